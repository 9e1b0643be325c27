package alerts_test

import (
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/alerts"
)

// A violation fires an alert at once; once the hold lapses, Tick sends it
// resolved, with endsAt at the end of the hold.
func ExampleManager() {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	m := alerts.NewManager(alerts.ManagerOptions{
		Hold:        time.Hour,
		ResendDelay: time.Minute,
		Now:         func() time.Time { return now },
	})
	fired := m.Observe(alerts.Event{
		Trial: "donbas-freeze", ZoneID: "UA-14", Category: "shelling",
		Source: "acled", IncidentID: "UKR123", OccurredAt: now.Add(-10 * time.Minute),
		Lon: 37.8, Lat: 48.0,
	})
	for _, a := range m.Tick() {
		fmt.Println(fired, a.Labels["zone_id"], a.Annotations["latest_incident"], a.EndsAt.Format(time.Kitchen))
	}
	now = now.Add(55 * time.Minute)
	for _, a := range m.Tick() {
		fmt.Println("resolved:", a.Resolved(now), a.EndsAt.Format(time.Kitchen))
	}
	// Output:
	// true UA-14 acled/UKR123 12:04PM
	// resolved: true 12:50PM
}
