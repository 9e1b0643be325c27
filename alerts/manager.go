package alerts

import (
	"maps"
	"sync"
	"time"
)

// Defaults and fixed durations of the alert lifecycle.
const (
	// DefaultHold is how long an alert fires after its newest violation
	// when ManagerOptions.Hold is not positive.
	DefaultHold = 6 * time.Hour
	// DefaultResendDelay is the Tick interval assumed when
	// ManagerOptions.ResendDelay is not positive.
	DefaultResendDelay = time.Minute
	// ResolvedRetention is how long a resolved alert keeps being sent, so
	// that every Alertmanager learns of the resolution.
	ResolvedRetention = 15 * time.Minute
	// AlertName is the alertname label of every violation alert.
	AlertName = "CeasefireViolation"
	// DefaultSeverity is the severity of a category missing from
	// ManagerOptions.Severity.
	DefaultSeverity = "warning"
)

// Event is one violation: an incident of Category from Source inside zone
// ZoneID during Trial. OccurredAt is the event time, which decides whether
// and how long the alert fires; Lon and Lat are WGS84 degrees.
type Event struct {
	Trial, ZoneID, Category string
	Source, IncidentID      string
	OccurredAt              time.Time
	Lon, Lat                float64
	// Tier is the violation's corroboration tier ("single",
	// "corroborated"), "" when not judged. An alert carries it as the
	// label tier: corroborated once any of its violations is.
	Tier string
}

// Notifier takes alerts for delivery; *Sender is one. Send must not block.
type Notifier interface {
	Send(alerts ...Alert)
}

// ManagerOptions configure a Manager. Zero durations take the defaults; a
// nil Now is time.Now; a nil Sender sends nothing.
type ManagerOptions struct {
	// Hold is how long an alert fires after its newest violation (event
	// time).
	Hold time.Duration
	// ResendDelay is how often the daemon calls Tick; a firing alert is
	// sent with endsAt = now + 4×ResendDelay.
	ResendDelay time.Duration
	// Severity maps a category to the severity label; missing categories
	// get DefaultSeverity. The map is copied.
	Severity map[string]string
	// ExternalURL is the daemon's public base URL; generatorURL is
	// <ExternalURL>/?trial=..&zone_id=.., or empty when ExternalURL is.
	ExternalURL string
	Now         func() time.Time
	Sender      Notifier
}

// Key identifies one alert, and the violations behind it, by (trial,
// zone_id, category): the labels of CeasefireViolation. It is the one type
// for that identity: monitor's tally, the store's totals and the daemon key
// their aggregates by it too. It lives here because alerts imports nothing
// of ours, so every other package can use it without a cycle; Category is
// therefore a plain string (monitor.Violation.Key converts).
type Key struct{ Trial, ZoneID, Category string }

// Manager keeps one alert per (trial, zone_id, category) and decides what
// to send. Its whole state is guarded by one mutex, so all methods are safe
// for concurrent use: Observe from ingestion, Tick from the daemon's loop,
// Active from HTTP handlers, SetOptions from reload. Nothing is sent while
// the mutex is held.
type Manager struct {
	mu     sync.Mutex
	opts   ManagerOptions   // guarded by mu
	alerts map[Key]*episode // guarded by mu
}

// NewManager returns a Manager with no alerts.
func NewManager(o ManagerOptions) *Manager {
	m := &Manager{alerts: map[Key]*episode{}}
	m.SetOptions(o)
	return m
}

// SetOptions replaces the options, e.g. on reload, keeping every alert. A
// new Hold applies to alerts still firing at the next call; alerts already
// resolved stay resolved. A new Severity changes the severity label, and
// so the identity, of alerts sent from then on; Alertmanager lets the old
// one expire at its endsAt. Safe for concurrent use.
func (m *Manager) SetOptions(o ManagerOptions) {
	if o.Hold <= 0 {
		o.Hold = DefaultHold
	}
	if o.ResendDelay <= 0 {
		o.ResendDelay = DefaultResendDelay
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Severity = maps.Clone(o.Severity)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.opts = o
}

// Observe records violations and reports whether any alert started firing
// (a new episode), in which case the caller should Tick at once. Events
// may arrive late and in any order: an event whose OccurredAt is not
// younger than Hold at observe time is ignored, and the others extend the
// alert's firing by event time. A violation for an alert that is not
// firing starts a new episode whose startsAt is the observe time, like
// Prometheus's ActiveAt, not the event time. Callers pass each violation
// once (the store deduplicates); a repeat is counted again.
func (m *Manager) Observe(evs ...Event) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.observe(m.opts.Now(), evs)
}

// Recover observes, after Restore, the violations that were stored but
// may not have reached the persisted state: those committed in the instant
// between a commit and the persistence of the state that followed it, when
// the daemon crashed there. evs are the standing violations younger than
// Hold. An event no newer than the last event its alert's state records is
// taken as already counted; a newer one extends its alert if the state
// still had it firing (even when its hold ran out while the daemon was
// down, since the event would have kept it firing) and is otherwise
// observed as by Observe. Missed events with older times than an alert's
// last are not counted. It reports whether an alert started firing.
func (m *Manager) Recover(evs ...Event) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.opts.Now()
	known := make(map[Key]time.Time, len(m.alerts))
	for k, e := range m.alerts {
		known[k] = e.LastSeen
	}
	var rest []Event
	for _, ev := range evs {
		k := Key{ev.Trial, ev.ZoneID, ev.Category}
		last, ok := known[k]
		if ok && !ev.OccurredAt.After(last) {
			continue
		}
		if e := m.alerts[k]; ok && e.ResolvedAt.IsZero() && ev.OccurredAt.Add(m.opts.Hold).After(now) {
			e.add(ev, now)
			continue
		}
		rest = append(rest, ev)
	}
	return m.observe(now, rest)
}

// observe is Observe at now; the caller holds m.mu.
func (m *Manager) observe(now time.Time, evs []Event) bool {
	m.advance(now)
	fired := false
	for _, ev := range evs {
		if !ev.OccurredAt.Add(m.opts.Hold).After(now) {
			continue
		}
		k := Key{ev.Trial, ev.ZoneID, ev.Category}
		e := m.alerts[k]
		if e == nil || !e.ResolvedAt.IsZero() {
			e = &episode{
				Trial: ev.Trial, ZoneID: ev.ZoneID, Category: ev.Category,
				StartsAt: now, FirstSeen: ev.OccurredAt, LastSeen: ev.OccurredAt,
			}
			m.alerts[k] = e
			fired = true
		}
		e.add(ev, now)
	}
	return fired
}

// advance resolves alerts whose hold has lapsed at now, at the instant it
// lapsed (LastSeen + Hold), and forgets alerts resolved ResolvedRetention
// or longer ago. The caller holds m.mu.
func (m *Manager) advance(now time.Time) {
	for k, e := range m.alerts {
		if e.ResolvedAt.IsZero() {
			if end := e.LastSeen.Add(m.opts.Hold); !end.After(now) {
				e.ResolvedAt = end
			}
		}
		if !e.ResolvedAt.IsZero() && !e.ResolvedAt.Add(ResolvedRetention).After(now) {
			delete(m.alerts, k)
		}
	}
}

// Retract takes back n violations of the alert (trial, zoneID, category)
// that their source revised or deleted. latest is the event time of the
// newest violation that still stands for it, zero when none does: the alert
// keeps firing while latest is younger than Hold and is resolved at once
// otherwise. It reports whether the alert changed, in which case the
// caller should Tick so that Alertmanager learns of it.
func (m *Manager) Retract(trial, zoneID, category string, n int, latest time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.alerts[Key{trial, zoneID, category}]
	if e == nil || !e.ResolvedAt.IsZero() {
		return false
	}
	now := m.opts.Now()
	e.Violations = max(e.Violations-n, 0)
	if latest.IsZero() || !latest.Add(m.opts.Hold).After(now) {
		e.ResolvedAt = now
		return true
	}
	if latest.Before(e.LastSeen) {
		e.LastSeen = latest
	}
	return true
}

// Corroborate marks the firing alert (trial, zoneID, category) as resting
// on a corroborated violation: a violation it counted was corroborated
// after it was observed. It reports whether the alert changed, in which
// case the caller should Tick so that Alertmanager learns of it: the alert
// under the new tier label fires and the one under the old label is sent
// resolved.
func (m *Manager) Corroborate(trial, zoneID, category string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.alerts[Key{trial, zoneID, category}]
	if e == nil || !e.ResolvedAt.IsZero() || e.Tier == "corroborated" {
		return false
	}
	e.setTier("corroborated", m.opts.Now())
	return true
}
