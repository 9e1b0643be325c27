package alerts

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// episode is one firing episode of one alert, from its first violation
// until it is forgotten ResolvedRetention after resolution. Its JSON form
// is the persisted state.
type episode struct {
	Trial    string `json:"trial"`
	ZoneID   string `json:"zone_id"`
	Category string `json:"category"`
	// StartsAt is when the episode started firing (observe time).
	StartsAt time.Time `json:"starts_at"`
	// FirstSeen and LastSeen are the oldest and newest event times.
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	Violations int       `json:"violations"`
	// The latest violation is the one with the newest event time.
	LatestSource   string  `json:"latest_source"`
	LatestIncident string  `json:"latest_incident"`
	LatestLon      float64 `json:"latest_lon"`
	LatestLat      float64 `json:"latest_lat"`
	// ResolvedAt is zero while firing, else LastSeen + Hold.
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	// Tier is the best tier of the violations counted: "corroborated"
	// once one is, else that of the first; "" when none was judged.
	Tier string `json:"tier,omitempty"`
	// SupersededAt is when the tier label last changed while the episode
	// fired, and SupersededTier the label before it: Alertmanager sees the
	// alert under the new label as another alert, so the one under the old
	// label is sent resolved at SupersededAt, for ResolvedRetention.
	SupersededAt   time.Time `json:"superseded_at,omitzero"`
	SupersededTier string    `json:"superseded_tier,omitempty"`
}

// add counts ev in e, observed at now; on a tie of event times the later
// call wins latest.
func (e *episode) add(ev Event, now time.Time) {
	if e.Tier == "" || ev.Tier == "corroborated" {
		e.setTier(ev.Tier, now)
	}
	e.Violations++
	if ev.OccurredAt.Before(e.FirstSeen) {
		e.FirstSeen = ev.OccurredAt
	}
	if !ev.OccurredAt.Before(e.LastSeen) {
		e.LastSeen = ev.OccurredAt
		e.LatestSource, e.LatestIncident = ev.Source, ev.IncidentID
		e.LatestLon, e.LatestLat = ev.Lon, ev.Lat
	}
}

// setTier sets the tier label of e at now, noting the label it replaces
// when e had already counted a violation under it.
func (e *episode) setTier(tier string, now time.Time) {
	if tier == e.Tier {
		return
	}
	if e.Violations > 0 {
		e.SupersededAt, e.SupersededTier = now, e.Tier
	}
	e.Tier = tier
}

// superseded renders, while it is younger than ResolvedRetention at now,
// the alert e was sent as before its tier label changed, resolved at the
// change; ok is false when there is none to send.
func (e *episode) superseded(now time.Time, o *ManagerOptions) (a Alert, ok bool) {
	if e.SupersededAt.IsZero() || !e.SupersededAt.Add(ResolvedRetention).After(now) {
		return Alert{}, false
	}
	old := *e
	old.Tier, old.ResolvedAt = e.SupersededTier, e.SupersededAt
	return old.alert(now, o), true
}

// alert renders e as sent at now under o: firing alerts lease until
// now + 4×ResendDelay, resolved ones end at ResolvedAt.
func (e *episode) alert(now time.Time, o *ManagerOptions) Alert {
	sev, ok := o.Severity[e.Category]
	if !ok || sev == "" {
		sev = DefaultSeverity
	}
	end := now.Add(4 * o.ResendDelay)
	if !e.ResolvedAt.IsZero() {
		end = e.ResolvedAt
	}
	latest := e.LatestSource + "/" + e.LatestIncident
	where := formatDegrees(e.LatestLat) + "," + formatDegrees(e.LatestLon)
	first, last := e.FirstSeen.UTC().Format(time.RFC3339), e.LastSeen.UTC().Format(time.RFC3339)
	labels := map[string]string{
		"alertname": AlertName,
		"trial":     e.Trial,
		"zone_id":   e.ZoneID,
		"category":  e.Category,
		"severity":  sev,
	}
	if e.Tier != "" {
		labels["tier"] = e.Tier
	}
	return Alert{
		Labels: labels,
		Annotations: map[string]string{
			"summary": fmt.Sprintf("Ceasefire violation (%s) in zone %s of trial %s",
				e.Category, e.ZoneID, e.Trial),
			"description": fmt.Sprintf("%d %s violation(s) in zone %s of trial %s from %s to %s; latest %s at %s.",
				e.Violations, e.Category, e.ZoneID, e.Trial, first, last, latest, where),
			"violations":      strconv.Itoa(e.Violations),
			"first_seen":      first,
			"last_seen":       last,
			"latest_incident": latest,
			"latest_location": where,
		},
		StartsAt:     e.StartsAt,
		EndsAt:       end,
		GeneratorURL: generatorURL(o.ExternalURL, e.Trial, e.ZoneID),
	}
}

// formatDegrees prints a coordinate with the fewest digits that round-trip.
func formatDegrees(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// generatorURL links to the daemon's page for one zone of one trial, or is
// empty when base is.
func generatorURL(base, trial, zone string) string {
	if base == "" {
		return ""
	}
	q := url.Values{"trial": {trial}, "zone_id": {zone}}
	return strings.TrimRight(base, "/") + "/?" + q.Encode()
}
