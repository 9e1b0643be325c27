package configs

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"

	"github.com/ceasefired/ceasefired/monitor"
)

// labelSafeRE matches names used as Prometheus label values: trial and
// source names.
var labelSafeRE = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)

// Ranges of the numeric keys.
const (
	maxDays   = 3660 // ten years: replays of a baseline use long windows
	maxMeters = 100000
)

// checkName records a problem when name, the value at p (such as
// trials[2].name), is empty, not label-safe, or already used by an earlier
// entry listed in seen.
func checkName(ps *problems, p keyPath, name string, seen map[string]int, index int) {
	switch {
	case name == "":
		ps.addf(p, "required")
	case !labelSafeRE.MatchString(name):
		ps.addf(p, "%q may only contain letters, digits and _ . : -", name)
	default:
		if first, dup := seen[name]; dup {
			ps.addf(p, "duplicate name %q, also used by %v[%d]", name, p[0], first)
			return
		}
		seen[name] = index
	}
}

// validateTrials checks every trial. zoneIDs holds the loaded zone ids;
// trial zone ids are checked against it only when complete, that is when
// every zone file loaded.
func validateTrials(c *Config, ps *problems, zoneIDs map[string]bool, complete bool) {
	names := map[string]int{}
	for i, t := range c.Trials {
		p := keyPath{"trials", i}
		checkName(ps, p.key("name"), t.Name, names, i)
		validateTrialZones(ps, p.key("zones"), t.Zones, zoneIDs, complete)
		if t.Start.IsZero() {
			ps.addf(p.key("start"), "required")
		}
		if t.Days < 1 || t.Days > maxDays {
			ps.addf(p.key("days"), "%d is out of range 1..%d", t.Days, maxDays)
		}
		validateCategories(ps, p.key("prohibited"), t.Prohibited)
		checkRange(ps, p.key("buffer_meters"), t.BufferMeters, maxMeters)
	}
}

// validateTrialZones checks the zone list of one trial.
func validateTrialZones(ps *problems, p keyPath, ids []string, known map[string]bool, complete bool) {
	if len(ids) == 0 {
		ps.addf(p, `at least one zone id (or "*") is required`)
		return
	}
	if slices.Contains(ids, "*") {
		if len(ids) > 1 {
			ps.addf(p, `"*" must be the only entry`)
		}
		return
	}
	seen := map[string]bool{}
	for j, id := range ids {
		switch {
		case id == "":
			ps.addf(p.index(j), "empty zone id")
		case seen[id]:
			ps.addf(p.index(j), "duplicate zone id %q", id)
		case complete && !known[id]:
			ps.addf(p.index(j), "unknown zone id %q", id)
		}
		seen[id] = true
	}
}

// validateCategories checks a non-empty list of distinct categories.
func validateCategories(ps *problems, p keyPath, cats []string) {
	if len(cats) == 0 {
		ps.addf(p, "at least one category is required")
		return
	}
	seen := map[string]bool{}
	for j, c := range cats {
		if _, err := monitor.ParseCategory(c); err != nil {
			ps.addErr(p.index(j), err)
		} else if seen[c] {
			ps.addf(p.index(j), "duplicate category %q", c)
		}
		seen[c] = true
	}
}

// checkRange records a problem when v is not in 0..upper.
func checkRange(ps *problems, p keyPath, v, upper float64) {
	if math.IsNaN(v) || v < 0 || v > upper {
		ps.addf(p, "%g is out of range 0..%g", v, upper)
	}
}

// validateAlerting checks the alerting block.
func validateAlerting(c *Config, ps *problems) {
	a, p := &c.Alerting, keyPath{"alerting"}
	seen := map[string]int{}
	for j, u := range a.Alertmanagers {
		if err := checkHTTPURL(u); err != nil {
			ps.addErr(p.key("alertmanagers").index(j), err)
		} else if first, dup := seen[u]; dup {
			ps.addf(p.key("alertmanagers").index(j), "duplicate of [%d]", first)
		} else {
			seen[u] = j
		}
	}
	if a.ResendDelay <= 0 {
		ps.addf(p.key("resend_delay"), "must be greater than 0")
	}
	if a.Hold <= 0 {
		ps.addf(p.key("hold"), "must be greater than 0")
	}
	keys := make([]string, 0, len(a.Severity))
	for k := range a.Severity {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		sp := p.key("severity").key(k)
		if _, err := monitor.ParseCategory(k); err != nil {
			ps.addErr(sp, err)
		} else if a.Severity[k] == "" {
			ps.addf(sp, "empty severity")
		}
	}
}

// checkHTTPURL reports why raw is not an http or https URL with a host. The
// error never quotes raw, which may hold a secret.
func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("invalid URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("URL has no host")
	}
	return nil
}
