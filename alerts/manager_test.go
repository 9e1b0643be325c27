package alerts

import (
	"fmt"
	"testing"
	"time"
)

// v is a shelling violation in zone Z of trial T at t0 + at.
func v(at time.Duration) Event { return vz("Z", "shelling", at) }

// vz is a violation in zone of trial T of category at t0 + at.
func vz(zone, category string, at time.Duration) Event {
	return event("T", zone, category, "acled", "i"+at.String(), t0.Add(at), 37.5, 48.25)
}

// want is one alert expected from Tick; times are offsets from t0.
type want struct {
	key              string // zone/category
	startsAt, endsAt time.Duration
	violations       string
}

// step sets the clock to t0 + at, observes, then ticks.
type step struct {
	at      time.Duration
	observe []Event
	fired   bool
	tick    []want
}

func TestManagerLifecycle(t *testing.T) {
	m := time.Minute
	for _, c := range []struct {
		name  string
		steps []step
	}{
		{"fires and is re-sent with a lease of 4 resend delays", []step{
			{0, []Event{v(-m)}, true, []want{{"Z/shelling", 0, 4 * m, "1"}}},
			{m, nil, false, []want{{"Z/shelling", 0, 5 * m, "1"}}},
			{150 * time.Second, nil, false, []want{{"Z/shelling", 0, 6*m + 30*time.Second, "1"}}},
		}},
		{"more violations count and extend the hold", []step{
			{0, []Event{v(-m)}, true, []want{{"Z/shelling", 0, 4 * m, "1"}}},
			{30 * m, []Event{v(29 * m)}, false, []want{{"Z/shelling", 0, 34 * m, "2"}}},
			{88 * m, nil, false, []want{{"Z/shelling", 0, 92 * m, "2"}}},
			{89 * m, nil, false, []want{{"Z/shelling", 0, 89 * m, "2"}}},
		}},
		{"hold lapse resolves for 15 minutes, then forgets", []step{
			{0, []Event{v(0)}, true, []want{{"Z/shelling", 0, 4 * m, "1"}}},
			{time.Hour - time.Second, nil, false, []want{{"Z/shelling", 0, 64*m - time.Second, "1"}}},
			{time.Hour, nil, false, []want{{"Z/shelling", 0, 60 * m, "1"}}},
			{75*m - time.Second, nil, false, []want{{"Z/shelling", 0, 60 * m, "1"}}},
			{75 * m, nil, false, nil},
		}},
		{"violation after resolution starts a new episode", []step{
			{0, []Event{v(0)}, true, []want{{"Z/shelling", 0, 4 * m, "1"}}},
			{65 * m, nil, false, []want{{"Z/shelling", 0, 60 * m, "1"}}},
			{70 * m, []Event{v(69 * m)}, true, []want{{"Z/shelling", 70 * m, 74 * m, "1"}}},
		}},
		{"late event fires by event time and resolves by it", []step{
			{0, []Event{v(-59 * m)}, true, []want{{"Z/shelling", 0, 4 * m, "1"}}},
			{m, nil, false, []want{{"Z/shelling", 0, m, "1"}}},
		}},
		{"events as old as the hold never fire", []step{
			{0, []Event{v(-time.Hour), v(-2 * time.Hour)}, false, nil},
			{m, nil, false, nil},
		}},
		{"late event inside an episode only counts", []step{
			{0, []Event{v(-m)}, true, nil},
			{10 * m, []Event{v(-30 * m)}, false, []want{{"Z/shelling", 0, 14 * m, "2"}}},
			{59 * m, nil, false, []want{{"Z/shelling", 0, 59 * m, "2"}}},
		}},
		{"one alert per zone and category, sorted", []step{
			{0, []Event{vz("Z", "shelling", 0), vz("Y", "shelling", 0), vz("Z", "air_strike", 0), vz("Z", "shelling", 0)}, true, []want{
				{"Y/shelling", 0, 4 * m, "1"},
				{"Z/air_strike", 0, 4 * m, "1"},
				{"Z/shelling", 0, 4 * m, "2"},
			}},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk, rec := newClock(), &recorder{}
			mgr := NewManager(ManagerOptions{Hold: time.Hour, ResendDelay: m, Now: clk.Now, Sender: rec})
			for i, s := range c.steps {
				clk.set(s.at)
				if s.observe != nil {
					if fired := mgr.Observe(s.observe...); fired != s.fired {
						t.Errorf("step %d: Observe fired = %v, want %v", i, fired, s.fired)
					}
				}
				calls := len(rec.calls)
				got := mgr.Tick()
				if s.tick != nil || i == len(c.steps)-1 {
					checkTick(t, fmt.Sprintf("step %d at %s", i, s.at), got, s.tick)
				}
				if sent := len(rec.calls) - calls; (len(got) > 0) != (sent == 1) {
					t.Errorf("step %d: Tick of %d alerts made %d Send calls", i, len(got), sent)
				}
			}
		})
	}
}

// checkTick compares alerts from Tick with wants.
func checkTick(t *testing.T, where string, got []Alert, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("%s: Tick sent %d alerts, want %d: %v", where, len(got), len(wants), got)
	}
	for i, w := range wants {
		a := got[i]
		if k := a.Labels["zone_id"] + "/" + a.Labels["category"]; k != w.key {
			t.Errorf("%s: alert %d is %s, want %s", where, i, k, w.key)
		}
		if !a.StartsAt.Equal(t0.Add(w.startsAt)) {
			t.Errorf("%s: %s startsAt %s, want t0+%s", where, w.key, a.StartsAt, w.startsAt)
		}
		if !a.EndsAt.Equal(t0.Add(w.endsAt)) {
			t.Errorf("%s: %s endsAt %s, want t0+%s", where, w.key, a.EndsAt, w.endsAt)
		}
		if a.Annotations["violations"] != w.violations {
			t.Errorf("%s: %s violations %q, want %q", where, w.key, a.Annotations["violations"], w.violations)
		}
	}
}

func TestRetract(t *testing.T) {
	start := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	now := start
	var sent []Alert
	m := NewManager(ManagerOptions{Hold: time.Hour, ResendDelay: time.Minute, Now: func() time.Time { return now },
		Sender: notifierFunc(func(a ...Alert) { sent = append(sent, a...) })})
	ev := func(id string, ago time.Duration) Event {
		return Event{Trial: "t", ZoneID: "z", Category: "shelling", Source: "s", IncidentID: id, OccurredAt: now.Add(-ago)}
	}
	m.Observe(ev("a", 10*time.Minute), ev("b", 50*time.Minute))

	// b is withdrawn but a still stands: the alert keeps firing.
	if !m.Retract("t", "z", "shelling", 1, now.Add(-10*time.Minute)) {
		t.Fatal("Retract of a firing alert reported no change")
	}
	if got := m.Active(); len(got) != 1 || got[0].Annotations["violations"] != "1" {
		t.Fatalf("after one retraction: %+v", got)
	}
	// a is withdrawn too: nothing stands, the alert resolves now.
	m.Retract("t", "z", "shelling", 1, time.Time{})
	if got := m.Active(); len(got) != 0 {
		t.Fatalf("alert still firing with nothing standing: %+v", got)
	}
	sent = nil
	m.Tick()
	if len(sent) != 1 || !sent[0].EndsAt.Equal(now) {
		t.Fatalf("resolved alert sent as %+v, want endsAt %v", sent, now)
	}
	if m.Retract("t", "z", "shelling", 1, time.Time{}) || m.Retract("t", "other", "shelling", 1, time.Time{}) {
		t.Error("Retract of a resolved or unknown alert reported a change")
	}
	// A standing violation older than the hold resolves it too.
	now = now.Add(time.Minute)
	m.Observe(ev("c", 0))
	m.Retract("t", "z", "shelling", 1, now.Add(-2*time.Hour))
	if len(m.Active()) != 0 {
		t.Error("alert kept firing on a violation older than the hold")
	}
}

type notifierFunc func(...Alert)

func (f notifierFunc) Send(a ...Alert) { f(a...) }

// TestRecover restores a state written at t0, as if the daemon crashed
// after later commits whose violations never reached the state, and
// recovers those violations from the store at restart.
func TestRecover(t *testing.T) {
	m := time.Minute
	before := func() []byte {
		clk := newClock()
		mgr := NewManager(ManagerOptions{Hold: time.Hour, ResendDelay: m, Now: clk.Now, Sender: &recorder{}})
		clk.set(-70 * m)
		mgr.Observe(vz("Y", "shelling", -70*m)) // resolved at t0-10m
		clk.set(0)
		mgr.Observe(v(-m))
		mgr.Tick()
		state, err := mgr.State()
		if err != nil {
			t.Fatal(err)
		}
		return state
	}()
	restart := func(at time.Duration) (*Manager, *clock) {
		clk := newClock()
		clk.set(at)
		mgr := NewManager(ManagerOptions{Hold: time.Hour, ResendDelay: m, Now: clk.Now, Sender: &recorder{}})
		if err := mgr.Restore(before); err != nil {
			t.Fatal(err)
		}
		return mgr, clk
	}

	t.Run("missed violations count, start or extend alerts", func(t *testing.T) {
		mgr, _ := restart(30 * m)
		fired := mgr.Recover(
			v(-m),                      // in the state already
			v(5*m),                     // newer: Z keeps firing, 2 violations
			vz("Y", "shelling", 2*m),   // Y had resolved: a new episode
			vz("X", "shelling", -20*m), // unknown: a new episode
			vz("W", "shelling", -40*m), // older than the hold
		)
		if !fired {
			t.Error("Recover reported no alert firing; X and Y start firing")
		}
		checkTick(t, "after Recover", mgr.Tick(), []want{
			{"X/shelling", 30 * m, 34 * m, "1"},
			{"Y/shelling", 30 * m, 34 * m, "1"},
			{"Z/shelling", 0, 34 * m, "2"},
		})
	})
	t.Run("a missed violation keeps an alert firing across the downtime", func(t *testing.T) {
		mgr, _ := restart(65 * m) // Z alone would have lapsed at t0+59m
		if mgr.Recover(v(10 * m)) {
			t.Error("Recover reported a new alert; Z was firing already")
		}
		// Y, resolved at t0-10m, is forgotten 15 minutes later.
		checkTick(t, "after Recover", mgr.Tick(), []want{{"Z/shelling", 0, 69 * m, "2"}})
	})
	t.Run("nothing missed changes nothing", func(t *testing.T) {
		mgr, _ := restart(0)
		if mgr.Recover(v(-m), vz("Y", "shelling", -70*m)) {
			t.Error("Recover reported a new alert")
		}
		state, err := mgr.State()
		if err != nil {
			t.Fatal(err)
		}
		if string(state) != string(before) {
			t.Errorf("state after Recover of known violations\n%s\nwant\n%s", state, before)
		}
	})
}
