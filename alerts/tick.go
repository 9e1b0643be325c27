package alerts

import (
	"cmp"
	"slices"
)

// Tick sends every firing alert, with endsAt = now + 4×ResendDelay, and
// every alert resolved less than ResolvedRetention ago, with endsAt = its
// resolve time (an alert whose tier label changed counts as resolved
// under its old label, at the change), through the Sender; alerts resolved longer ago are
// forgotten. The daemon calls it every ResendDelay and right after an
// Observe that fired. It returns the alerts it sent, sorted by trial,
// zone_id and category. Safe for concurrent use.
func (m *Manager) Tick() []Alert {
	m.mu.Lock()
	now := m.opts.Now()
	m.advance(now)
	out := make([]Alert, 0, len(m.alerts))
	for _, e := range m.sorted() {
		out = append(out, e.alert(now, &m.opts))
		if old, ok := e.superseded(now, &m.opts); ok {
			out = append(out, old)
		}
	}
	sender := m.opts.Sender
	m.mu.Unlock()
	if sender != nil && len(out) > 0 {
		sender.Send(out...)
	}
	return out
}

// Active returns the alerts firing now, as Tick would send them, sorted by
// trial, zone_id and category; resolved alerts are left out. Safe for
// concurrent use; the result is the caller's.
func (m *Manager) Active() []Alert {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.opts.Now()
	m.advance(now)
	var out []Alert
	for _, e := range m.sorted() {
		if e.ResolvedAt.IsZero() {
			out = append(out, e.alert(now, &m.opts))
		}
	}
	return out
}

// sorted returns the episodes ordered by trial, zone_id and category. The
// caller holds m.mu.
func (m *Manager) sorted() []*episode {
	es := make([]*episode, 0, len(m.alerts))
	for _, e := range m.alerts {
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b *episode) int {
		return cmp.Or(
			cmp.Compare(a.Trial, b.Trial),
			cmp.Compare(a.ZoneID, b.ZoneID),
			cmp.Compare(a.Category, b.Category),
		)
	})
	return es
}
