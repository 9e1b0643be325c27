package alerts

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestManagerLabelsAndAnnotations(t *testing.T) {
	clk := newClock()
	m := NewManager(ManagerOptions{
		Hold: time.Hour, Now: clk.Now,
		Severity:    map[string]string{"shelling": "critical"},
		ExternalURL: "http://host:9797/base/",
	})
	m.Observe(
		event("T 1", "UA-14", "shelling", "acled", "new", t0.Add(-10*time.Minute), 37.8, 48.01),
		event("T 1", "UA-14", "shelling", "ucdp", "old", t0.Add(-30*time.Minute), 1, 2),
		event("T 1", "UA-14", "explosion", "firms", "x", t0, -0.5, -10),
	)
	got := m.Active()
	if len(got) != 2 {
		t.Fatalf("Active returned %d alerts, want 2", len(got))
	}
	for _, c := range []struct {
		name      string
		got, want string
	}{
		{"alertname", got[1].Labels["alertname"], "CeasefireViolation"},
		{"trial", got[1].Labels["trial"], "T 1"},
		{"zone_id", got[1].Labels["zone_id"], "UA-14"},
		{"category", got[1].Labels["category"], "shelling"},
		{"mapped severity", got[1].Labels["severity"], "critical"},
		{"default severity", got[0].Labels["severity"], DefaultSeverity},
		{"label count", strings.Repeat("x", len(got[1].Labels)), "xxxxx"},
		{"violations", got[1].Annotations["violations"], "2"},
		{"first_seen", got[1].Annotations["first_seen"], "2026-12-01T11:30:00Z"},
		{"last_seen", got[1].Annotations["last_seen"], "2026-12-01T11:50:00Z"},
		{"latest_incident is newest by event time", got[1].Annotations["latest_incident"], "acled/new"},
		{"latest_location is lat,lon", got[1].Annotations["latest_location"], "48.01,37.8"},
		{"negative location", got[0].Annotations["latest_location"], "-10,-0.5"},
		{"summary", got[1].Annotations["summary"], "Ceasefire violation (shelling) in zone UA-14 of trial T 1"},
		{"generatorURL escapes", got[1].GeneratorURL, "http://host:9797/base/?trial=T+1&zone_id=UA-14"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	t.Run("no generatorURL without ExternalURL", func(t *testing.T) {
		m.SetOptions(ManagerOptions{Hold: time.Hour, Now: clk.Now})
		if u := m.Active()[0].GeneratorURL; u != "" {
			t.Errorf("GeneratorURL = %q, want empty", u)
		}
	})
}

func TestManagerActiveLeavesOutResolved(t *testing.T) {
	clk := newClock()
	m := NewManager(ManagerOptions{Hold: time.Hour, Now: clk.Now})
	m.Observe(vz("B", "shelling", 0), vz("A", "shelling", -50*time.Minute), vz("C", "shelling", 0))
	clk.advance(20 * time.Minute) // A resolved at +10m
	var zones []string
	for _, a := range m.Active() {
		zones = append(zones, a.Labels["zone_id"])
	}
	if want := []string{"B", "C"}; !equalStrings(zones, want) {
		t.Errorf("Active zones %v, want %v", zones, want)
	}
	if n := len(m.Tick()); n != 3 {
		t.Errorf("Tick sent %d alerts, want 3 (resolved A included)", n)
	}
}

func TestManagerSetOptionsKeepsState(t *testing.T) {
	clk, first, second := newClock(), &recorder{}, &recorder{}
	m := NewManager(ManagerOptions{Hold: time.Hour, Now: clk.Now, Sender: first})
	m.Observe(v(0))
	m.Tick()
	clk.advance(30 * time.Minute)
	m.SetOptions(ManagerOptions{
		Hold: 20 * time.Minute, ResendDelay: 2 * time.Minute, Now: clk.Now, Sender: second,
		Severity: map[string]string{"shelling": "page"},
	})
	got := m.Tick()
	if len(first.calls) != 1 || len(second.calls) != 1 {
		t.Fatalf("Send calls: old sender %d, new %d, want 1 and 1", len(first.calls), len(second.calls))
	}
	if len(got) != 1 {
		t.Fatalf("Tick sent %d alerts, want 1", len(got))
	}
	if a := got[0]; !a.EndsAt.Equal(t0.Add(20*time.Minute)) || !a.StartsAt.Equal(t0) {
		t.Errorf("after shorter hold: startsAt %s endsAt %s, want t0 and t0+20m (resolved)", a.StartsAt, a.EndsAt)
	}
	if sev := got[0].Labels["severity"]; sev != "page" {
		t.Errorf("severity %q, want the reloaded %q", sev, "page")
	}
}

func TestManagerConcurrentUse(t *testing.T) {
	clk := newClock()
	m := NewManager(ManagerOptions{Hold: time.Hour, Now: clk.Now, Sender: &recorder{}})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				switch (g + i) % 4 {
				case 0:
					m.Observe(vz("Z", "shelling", 0))
				case 1:
					m.Tick()
				case 2:
					m.Active()
				default:
					clk.advance(time.Second)
				}
			}
		})
	}
	wg.Wait()
	if got := m.Active(); len(got) != 1 || got[0].Annotations["violations"] != "200" {
		t.Errorf("after concurrent use: %v, want one alert with 200 violations", got)
	}
}

func TestManagerRestoreKeepsStartsAt(t *testing.T) {
	clk := newClock()
	a := NewManager(ManagerOptions{Hold: time.Hour, Now: clk.Now})
	a.Observe(v(-time.Minute), vz("Y", "explosion", -55*time.Minute))
	clk.advance(10 * time.Minute) // Y resolved at +5m
	state, err := a.State()
	if err != nil {
		t.Fatal(err)
	}

	clk.advance(time.Minute) // a restart
	b := NewManager(ManagerOptions{Hold: time.Hour, Now: clk.Now})
	if err := b.Restore(state); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	b.Observe(v(10 * time.Minute))
	checkTick(t, "after restore", b.Tick(), []want{
		{"Y/explosion", 0, 5 * time.Minute, "1"},
		{"Z/shelling", 0, 15 * time.Minute, "2"},
	})
	again, err := b.State()
	if err != nil {
		t.Fatal(err)
	}
	c := NewManager(ManagerOptions{Hold: time.Hour, Now: clk.Now})
	if err := c.Restore(again); err != nil {
		t.Fatal(err)
	}
	if third, _ := c.State(); !bytes.Equal(third, again) {
		t.Errorf("State after Restore differs:\n%s\n%s", third, again)
	}
	clk.advance(time.Hour) // long downtime: retention of Y is over, Z resolved
	checkTick(t, "an hour later", c.Tick(), []want{{"Z/shelling", 0, 70 * time.Minute, "2"}})
}

func TestManagerRestoreRejects(t *testing.T) {
	ok := `{"trial":"T","zone_id":"Z","category":"c","starts_at":"2026-12-01T00:00:00Z",` +
		`"first_seen":"2026-12-01T00:00:00Z","last_seen":"2026-12-01T00:00:00Z","violations":1}`
	for _, c := range []struct{ name, data, want string }{
		{"not JSON", `{`, "decode alert state"},
		{"wrong version", `{"version":2,"alerts":[]}`, "version 2"},
		{"null alert", `{"version":1,"alerts":[null]}`, "alert 0: null"},
		{"no trial", `{"version":1,"alerts":[` + strings.Replace(ok, `"T"`, `""`, 1) + `]}`, "empty trial"},
		{"no count", `{"version":1,"alerts":[` + strings.Replace(ok, `:1}`, `:0}`, 1) + `]}`, "violations 0"},
		{"missing time", `{"version":1,"alerts":[` + strings.Replace(ok, `"starts_at"`, `"x"`, 1) + `]}`, "missing starts_at"},
		{"duplicate", `{"version":1,"alerts":[` + ok + `,` + ok + `]}`, "alert 1: duplicate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			m := NewManager(ManagerOptions{Hold: time.Hour, Now: clk.Now})
			m.Observe(v(0))
			err := m.Restore([]byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Restore = %v, want error containing %q", err, c.want)
			}
			if n := len(m.Active()); n != 1 {
				t.Errorf("failed Restore changed state: %d active, want 1", n)
			}
		})
	}
	t.Run("empty restores nothing", func(t *testing.T) {
		m := NewManager(ManagerOptions{Now: newClock().Now})
		if err := m.Restore(nil); err != nil || len(m.Active()) != 0 {
			t.Errorf("Restore(nil) = %v with %d active", err, len(m.Active()))
		}
	})
}
