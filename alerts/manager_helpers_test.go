package alerts

import (
	"sync"
	"time"
)

// t0 is the start of every test clock.
var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// clock is a manually advanced time source, safe for concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

// Now returns the current test time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// advance moves the clock forward by d.
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// set moves the clock to t0 + d.
func (c *clock) set(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t0.Add(d)
}

// at returns the current test time plus d.
func (c *clock) at(d time.Duration) time.Time { return c.Now().Add(d) }

// recorder is a Notifier remembering every call.
type recorder struct {
	mu    sync.Mutex
	calls [][]Alert
}

// Send records alerts.
func (r *recorder) Send(alerts ...Alert) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, alerts)
}

// event builds a violation event.
func event(trial, zone, category, source, id string, at time.Time, lon, lat float64) Event {
	return Event{
		Trial: trial, ZoneID: zone, Category: category,
		Source: source, IncidentID: id, OccurredAt: at, Lon: lon, Lat: lat,
	}
}
