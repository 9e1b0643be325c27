package daemon

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// alertEvents converts violations to alert events, leaving out ambiguous
// ones: they are evidence only, since the incident may have been outside
// the zone. Inside and buffer placements alert, with their tier, except a
// thermal detection that is not corroborated: alone it is evidence only
// against its zone's background, which the rule CeasefireThermalExcess
// watches; it joins CeasefireViolation once corroborated (promote).
func alertEvents(vs []monitor.Violation) []alerts.Event {
	evs := make([]alerts.Event, 0, len(vs))
	for _, v := range vs {
		if !alerted(&v) {
			continue
		}
		evs = append(evs, alerts.Event{Trial: v.Trial, ZoneID: v.ZoneID, Category: string(v.Category),
			Source: v.Source, IncidentID: v.IncidentID, OccurredAt: v.OccurredAt, Lon: v.Lon, Lat: v.Lat, Tier: v.Tier})
	}
	return evs
}

// alerted reports whether v counts for an alert: it is not ambiguous, and
// not a thermal detection short of corroborated (for a retracted one, its
// tier before the retraction).
func alerted(v *monitor.Violation) bool {
	return v.Placement != monitor.Ambiguous && (v.Category != monitor.ThermalAnomaly || v.Tier == string(judge.Corroborated))
}

// promote is the runner's OnPromotions hook: violations stored before that
// a new incident corroborated. Thermal detections among them now alert;
// the others alerted when stored, and their alert takes the corroborated
// tier.
func (a *alerting) promote(vs []monitor.Violation) {
	var thermal []monitor.Violation
	changed := false
	for _, v := range vs {
		switch {
		case v.Placement == monitor.Ambiguous:
		case v.Category == monitor.ThermalAnomaly:
			thermal = append(thermal, v)
		default:
			changed = a.manager.Corroborate(v.Trial, v.ZoneID, string(v.Category)) || changed
		}
	}
	if changed {
		a.persistOrLog()
		a.wake()
	}
	a.observe(thermal)
}

// observe is the runner's OnViolations hook: it records the violations and
// persists the lifecycle before the fetch goes on.
func (a *alerting) observe(vs []monitor.Violation) {
	evs := alertEvents(vs)
	if len(evs) == 0 {
		return
	}
	fired := a.manager.Observe(evs...)
	a.persistOrLog()
	if fired {
		a.wake()
	}
}

// retract is the runner's OnRetractions hook: each alert that lost
// violations learns what still stands for it (the newest standing event
// time, from the store) and resolves when nothing keeps it firing.
func (a *alerting) retract(vs []monitor.Violation) {
	lost := map[alerts.Key]int{}
	for _, v := range vs {
		if alerted(&v) {
			lost[v.Key()]++
		}
	}
	if len(lost) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	totals, err := a.db.Totals(ctx)
	if err != nil {
		a.log.Error("read standing violations for retracted alerts", "err", err)
		return
	}
	latest := map[alerts.Key]time.Time{}
	for _, t := range totals {
		latest[t.Key()] = t.Last
	}
	changed := false
	for k, n := range lost {
		changed = a.manager.Retract(k.Trial, k.ZoneID, k.Category, n, latest[k]) || changed
	}
	a.persistOrLog()
	if changed {
		a.wake()
	}
}

// externalURL returns the configured URL, or one derived from the first
// listener (with the host name for an unspecified address), for alert
// links.
func externalURL(configured string, addrs []net.Addr) string {
	if configured != "" || len(addrs) == 0 {
		return configured
	}
	if tcp, ok := addrs[0].(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		if host, err := os.Hostname(); err == nil {
			return fmt.Sprintf("http://%s:%d", host, tcp.Port)
		}
	}
	return "http://" + DisplayAddr(addrs[0])
}

// DisplayAddr turns a bound address into one a browser can open: an
// unspecified host becomes localhost.
func DisplayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return fmt.Sprintf("localhost:%d", tcp.Port)
}
