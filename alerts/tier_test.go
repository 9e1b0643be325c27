package alerts

import (
	"fmt"
	"testing"
	"time"
)

// TestTierChangeResolvesOldLabel: an alert whose tier label changes while
// it fires is also sent resolved under its old label, at the change, so
// that Alertmanager does not keep a stale alert until its lease runs out.
func TestTierChangeResolvesOldLabel(t *testing.T) {
	m := time.Minute
	tiered := func(at time.Duration, tier string) Event {
		ev := v(at)
		ev.Tier = tier
		return ev
	}
	for _, c := range []struct {
		name    string
		promote func(mgr *Manager)
	}{
		{"by Corroborate", func(mgr *Manager) { mgr.Corroborate("T", "Z", "shelling") }},
		{"by a corroborated violation", func(mgr *Manager) { mgr.Observe(tiered(9*m, "corroborated")) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			mgr := NewManager(ManagerOptions{Now: clk.Now, ResendDelay: m, Hold: 6 * time.Hour})
			mgr.Observe(tiered(-m, "single"))
			if got := tierEnds(mgr.Tick(), clk); got != "single:+4m0s" {
				t.Fatalf("before the promotion: %s", got)
			}
			clk.set(10 * m)
			c.promote(mgr)
			if got := tierEnds(mgr.Tick(), clk); got != "corroborated:+4m0s single:+0s" {
				t.Errorf("at the promotion: %s, want the corroborated alert firing and the single one resolved now", got)
			}
			clk.set(24 * m)
			if got := tierEnds(mgr.Tick(), clk); got != "corroborated:+4m0s single:-14m0s" {
				t.Errorf("14 minutes on: %s, want the single one still sent resolved at the promotion", got)
			}
			clk.set(25 * m)
			if got := tierEnds(mgr.Tick(), clk); got != "corroborated:+4m0s" {
				t.Errorf("after ResolvedRetention: %s, want the corroborated alert alone", got)
			}
			if a := mgr.Active(); len(a) != 1 || a[0].Labels["tier"] != "corroborated" {
				t.Errorf("Active = %v, want the corroborated alert alone", a)
			}
		})
	}
}

// tierEnds lists each alert as TIER:ENDS, ENDS relative to the clock.
func tierEnds(alerts []Alert, clk *clock) string {
	s := ""
	for i, a := range alerts {
		if i > 0 {
			s += " "
		}
		d := a.EndsAt.Sub(clk.Now())
		sign := "+"
		if d < 0 {
			sign, d = "-", -d
		}
		s += fmt.Sprintf("%s:%s%s", a.Labels["tier"], sign, d)
	}
	return s
}
