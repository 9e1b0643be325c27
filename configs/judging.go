package configs

import (
	"slices"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Ranges of the judging keys.
const (
	minYear, maxYear    = 1900, 2200
	maxCorroborationWin = 30 * 24 * time.Hour
)

// validateJudging checks each trial's pre_days and background block and
// the corroboration and coverage blocks. zoneIDs and complete are as for
// validateTrials.
func validateJudging(c *Config, ps *problems, zoneIDs map[string]bool, complete bool) {
	for i, t := range c.Trials {
		p := keyPath{"trials", i}
		if t.PreDays < 1 || t.PreDays > maxDays {
			ps.addf(p.key("pre_days"), "%d is out of range 1..%d", t.PreDays, maxDays)
		}
		if t.Background != nil {
			validateBackground(c, ps, p.key("background"), t, zoneIDs, complete)
		}
	}
	cp := keyPath{"corroboration"}
	if d := c.Corroboration.DistanceM; !(d > 0 && d <= maxMeters) {
		ps.addf(cp.key("distance_m"), "%g is out of range (0, %d]", d, maxMeters)
	}
	if w := time.Duration(c.Corroboration.Window); w <= 0 || w > maxCorroborationWin {
		ps.addf(cp.key("window"), "must be greater than 0 and at most 30d")
	}
	vp := keyPath{"coverage"}
	if f := c.Coverage.MinDaysFraction; !(f > 0 && f <= 1) {
		ps.addf(vp.key("min_days_fraction"), "%g is out of range (0, 1]", f)
	}
	if c.Coverage.PushMaxGap <= 0 {
		ps.addf(vp.key("push_max_gap"), "must be greater than 0")
	}
}

// validateBackground checks the background block of trial t, at p.
func validateBackground(c *Config, ps *problems, p keyPath, t Trial, zoneIDs map[string]bool, complete bool) {
	b := t.Background
	switch {
	case b.Source == "":
		ps.addf(p.key("source"), "required")
	case !slices.ContainsFunc(c.Sources, func(s Source) bool { return s.Name == b.Source }):
		ps.addf(p.key("source"), "unknown source %q", b.Source)
	}
	checkCategory(ps, p.key("category"), b.Category)
	if len(b.Years) < 2 {
		ps.addf(p.key("years"), "at least two reference years are required")
	}
	for j, y := range b.Years {
		if y < minYear || y > maxYear {
			ps.addf(p.key("years").index(j), "%d is out of range %d..%d", y, minYear, maxYear)
		} else if slices.Contains(b.Years[:j], y) {
			ps.addf(p.key("years").index(j), "duplicate year %d", y)
		}
	}
	validateControls(c, ps, p.key("controls"), t, zoneIDs, complete)
	if !(b.Alpha > 0 && b.Alpha < 0.5) {
		ps.addf(p.key("alpha"), "%g is out of range (0, 0.5)", b.Alpha)
	}
}

// validateControls checks the control zones of trial t: loaded zone ids
// outside the trial, each once, or "*" alone, and at least one in the
// end. Zone ids are checked only when the zone files all loaded.
func validateControls(c *Config, ps *problems, p keyPath, t Trial, known map[string]bool, complete bool) {
	ids := t.Background.Controls
	if len(ids) == 0 {
		ps.addf(p, `at least one zone id (or "*") is required`)
		return
	}
	if slices.Contains(ids, "*") {
		if len(ids) > 1 {
			ps.addf(p, `"*" must be the only entry`)
		} else if complete && len(c.Controls(t)) == 0 {
			ps.addf(p, "no zone loaded is outside the trial to serve as a control")
		}
		return
	}
	trial := c.ZoneIDs(t)
	for j, id := range ids {
		switch {
		case id == "":
			ps.addf(p.index(j), "empty zone id")
		case slices.Contains(ids[:j], id):
			ps.addf(p.index(j), "duplicate zone id %q", id)
		case complete && !known[id]:
			ps.addf(p.index(j), "unknown zone id %q", id)
		case slices.Contains(trial, id):
			ps.addf(p.index(j), "zone %q is in the trial and cannot be its control", id)
		}
	}
}

// Controls returns the control zone ids of trial t's background, in load
// order for "*" (every loaded zone outside the trial), else as written;
// nil when t has no background.
func (c *Config) Controls(t Trial) []string {
	if t.Background == nil {
		return nil
	}
	if ids := t.Background.Controls; len(ids) != 1 || ids[0] != "*" {
		return slices.Clone(ids)
	}
	trial := c.ZoneIDs(t)
	var out []string
	for _, z := range c.Loaded {
		if !slices.Contains(trial, z.ID) {
			out = append(out, z.ID)
		}
	}
	return out
}

// validateKind checks a source's kind, at p.
func validateKind(ps *problems, p keyPath, k judge.Kind) {
	if _, err := judge.ParseKind(string(k)); err != nil {
		ps.addErr(p, err)
	}
}
