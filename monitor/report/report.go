// Package report builds the trial report a verification team hands over:
// per-zone counts, the day strip, the violations with their evidence links,
// the methods, the file hashes and the attributions that the sources'
// licences require; and renders it as JSON, CSV, Markdown or HTML with a
// map drawn as inline SVG. It is pure: the caller reads the store and the
// config and passes what they hold in an Input.
package report

import (
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// Input is what a report is built from.
type Input struct {
	Trial monitor.Trial
	// Zones are the loaded zones; those of the trial are kept, in the
	// trial's order.
	Zones []geo.Zone
	// Violations are the trial's standing violations, ambiguous ones
	// included; violations of other trials are ignored.
	Violations []monitor.Violation
	Sources    []Source // the configured sources, in config order
	Files      []File   // the config file and the zone files
	// AsOf is the instant the report describes, and its generation time:
	// callers pass the store's last commit, so that the same store gives
	// the same report byte for byte. Days after it are not shown.
	AsOf time.Time
	// Verdicts are the verdicts on the trial's zones as of AsOf
	// (monitor/verdicts), matched to zones by id; verdicts of other trials
	// are ignored. None: the report gives counts only.
	Verdicts []judge.Verdict
	// Details are the day-by-day coverage and thermal test the verdicts
	// rest on (verdicts.TrialDetails), computed as of AsOf; nil: days and
	// sources are shown without coverage, and no thermal chart.
	Details *verdicts.Details
	// Tiers are the corroboration tiers of the trial's incidents
	// (store.TrialTiers); an incident without one is "single".
	Tiers []monitor.TierUpdate
}

// Source is one configured source.
type Source struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	// Attribution is the notice the source's licence requires, or "".
	Attribution string `json:"attribution"`
}

// File is a file the report was judged under, with its SHA-256.
type File struct {
	Role   string `json:"role"` // "config" or "zones"
	Path   string `json:"path"` // as named in the config, relative to its folder
	SHA256 string `json:"sha256"`
}

// Report is one trial's report. Its JSON form keeps the field order of
// these structs; every list is sorted, so equal inputs encode equally.
type Report struct {
	Trial       Trial     `json:"trial"`
	GeneratedAt time.Time `json:"generated_at"`
	// Verdicts says where the verdicts stand: "judged" when the zones
	// carry their verdicts, "not_judged" (each Zone.Verdict null, counts
	// only) when none was passed in.
	Verdicts Verdicts `json:"verdicts"`
	Totals   Totals   `json:"totals"`
	Zones    []Zone   `json:"zones"`
	Days     []Day    `json:"days"`
	// Coverage is each judged source's coverage, empty when not judged.
	Coverage []SourceCoverage `json:"coverage"`
	// Thermal is the thermal detections against their background day by
	// day, null when the trial has no background or it was not passed in.
	Thermal    *Thermal    `json:"thermal"`
	Violations []Violation `json:"violations"`
	Sources    []Source    `json:"sources"`
	Files      []File      `json:"files"`
	Methods    string      `json:"methods"`

	shapes []geo.Zone // the trial's zones, for the map
}

// Trial describes the agreement and where it stands at GeneratedAt.
type Trial struct {
	Name         string             `json:"name"`
	Start        time.Time          `json:"start"`
	End          time.Time          `json:"end"` // first instant after the window
	Days         int                `json:"days"`
	Status       string             `json:"status"` // scheduled, active or completed
	Day          int                `json:"day"`    // 1-based day at GeneratedAt; 0 while scheduled
	Prohibited   []monitor.Category `json:"prohibited"`
	BufferMeters float64            `json:"buffer_meters"`
}

// Verdicts is the place of the verdicts.
type Verdicts struct {
	State string `json:"state"` // "judged", or "not_judged": counts only
	Note  string `json:"note"`
}

// Totals sums the zones.
type Totals struct {
	Violations          int `json:"violations"` // inside and buffer placements
	Ambiguous           int `json:"ambiguous"`  // evidence only, not counted
	ZonesWithViolations int `json:"zones_with_violations"`
	DaysWithViolations  int `json:"days_with_violations"` // shown days with one in any zone
	ShownDays           int `json:"shown_days"`
	QuietZoneDays       int `json:"quiet_zone_days"` // elapsed zone-days without one recorded
	// ObservedDays of CompleteDays were observed by at least one source
	// (both 0 when coverage is not judged).
	ObservedDays int `json:"observed_days"`
	CompleteDays int `json:"complete_days"`
}

// Zone is one zone of the trial.
type Zone struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Violations int             `json:"violations"` // inside and buffer
	Inside     int             `json:"inside"`
	Buffer     int             `json:"buffer"`
	Ambiguous  int             `json:"ambiguous"`
	ByCategory []CategoryCount `json:"by_category"` // inside and buffer, in vocabulary order
	First      *time.Time      `json:"first_violation"`
	Last       *time.Time      `json:"last_violation"`
	// PerDay counts inside and buffer violations on each shown day;
	// PerDayCorroborated those of them that are corroborated (the rest
	// are single).
	PerDay             []int `json:"per_day"`
	PerDayCorroborated []int `json:"per_day_corroborated"`
	// Verdict is the zone's verdict with what it rests on, null when the
	// zone is not judged.
	Verdict *judge.Verdict `json:"verdict"`
}

// CategoryCount is the count of one category.
type CategoryCount struct {
	Category monitor.Category `json:"category"`
	Count    int              `json:"count"`
}

// Day is one shown trial day: days after GeneratedAt are not shown.
type Day struct {
	Day   int    `json:"day"`   // 1-based
	Date  string `json:"date"`  // of its start, UTC, YYYY-MM-DD
	State string `json:"state"` // "elapsed" or "in_progress"
	// Coverage is "observed" when at least one source observed the day as
	// the verdicts' coverage judges it (so far, for the day in progress),
	// "not_observed" when none did, and "not_judged" when no coverage was
	// passed in. Sources are not tied to zones: it holds for every zone.
	Coverage string `json:"coverage"`
	// ObservedBy names the sources that observed the day.
	ObservedBy []string `json:"observed_by"`
}

// Violation is one violation with the link to its raw record.
type Violation struct {
	ZoneID     string            `json:"zone_id"`
	Category   monitor.Category  `json:"category"`
	Source     string            `json:"source"`
	IncidentID string            `json:"incident_id"`
	OccurredAt time.Time         `json:"occurred_at"`
	Lon        float64           `json:"lon"`
	Lat        float64           `json:"lat"`
	Placement  monitor.Placement `json:"placement"`
	// Tier is the corroboration tier: "corroborated" when a source of
	// another kind reported it nearby in place and time, else "single".
	Tier string `json:"tier"`
	Day  int    `json:"day"` // 1-based
	// Record is the path of the stored raw record on the daemon.
	Record string `json:"record"`
}

// RecordPath returns the daemon's path of the raw record of incident id
// of source.
func RecordPath(source, id string) string {
	return "/api/v1/incidents/" + url.PathEscape(source) + "/" + url.PathEscape(id)
}

// Build makes the report of in.Trial.
func Build(in Input) *Report {
	t := in.Trial
	asOf := in.AsOf.UTC()
	r := &Report{
		Trial: Trial{Name: t.Name, Start: t.Start.UTC(), End: t.End().UTC(), Days: t.Days,
			Status: string(t.Status(asOf)), Day: t.DayNumber(asOf), Prohibited: t.Prohibited,
			BufferMeters: t.BufferMeters},
		GeneratedAt: asOf,
		Days:        days(&t, asOf),
		Sources:     append([]Source{}, in.Sources...), // never nil: [] in JSON
		Files:       in.Files,
	}
	// Empty lists encode as [], never null.
	if r.Trial.Prohibited == nil {
		r.Trial.Prohibited = []monitor.Category{}
	}
	if r.Files == nil {
		r.Files = []File{}
	}
	byID := map[string]geo.Zone{}
	for _, z := range in.Zones {
		byID[z.ID] = z
	}
	index := map[string]int{}
	for _, id := range t.Zones {
		z := byID[id]
		if z.ID == "" {
			z.ID = id
		}
		index[id] = len(r.Zones)
		r.Zones = append(r.Zones, Zone{ID: id, Name: z.Name, PerDay: make([]int, len(r.Days)),
			PerDayCorroborated: make([]int, len(r.Days)), ByCategory: []CategoryCount{}})
		r.shapes = append(r.shapes, z)
	}
	tiers := map[[2]string]string{}
	for _, u := range in.Tiers {
		if u.Trial == t.Name {
			tiers[[2]string{u.Source, u.IncidentID}] = u.Tier
		}
	}
	vs := slices.Clone(in.Violations)
	slices.SortFunc(vs, compareViolations)
	r.Violations = []Violation{}
	for _, v := range vs {
		i, ok := index[v.ZoneID]
		if v.Trial != t.Name || !ok {
			continue
		}
		r.Violations = append(r.Violations, Violation{ZoneID: v.ZoneID, Category: v.Category, Source: v.Source,
			IncidentID: v.IncidentID, OccurredAt: v.OccurredAt.UTC(), Lon: v.Lon, Lat: v.Lat,
			Placement: v.Placement, Tier: tierOf(tiers, v), Day: v.Day + 1, Record: RecordPath(v.Source, v.IncidentID)})
		r.Zones[i].add(v, r.Violations[len(r.Violations)-1].Tier)
	}
	r.judge(in)
	r.cover(in.Details)
	r.thermal(in.Details)
	r.total()
	r.Methods = methods(r, in.Sources)
	return r
}

// judge gives each zone its verdict from in.Verdicts, and says where the
// verdicts stand.
func (r *Report) judge(in Input) {
	byZone := map[string]judge.Verdict{}
	for _, v := range in.Verdicts {
		if v.Trial == r.Trial.Name {
			byZone[v.ZoneID] = v
		}
	}
	judged := 0
	for i := range r.Zones {
		if v, ok := byZone[r.Zones[i].ID]; ok {
			r.Zones[i].Verdict = &v
			judged++
		}
	}
	switch {
	case judged == 0:
		r.Verdicts = Verdicts{State: "not_judged", Note: "No verdict was passed in: this report gives counts only, " +
			"and a day without a recorded violation is not evidence that none happened."}
	case judged < len(r.Zones):
		r.Verdicts = Verdicts{State: "judged", Note: fmt.Sprintf("%d of %d zones judged as of the report's time; "+
			"the others give counts only.", judged, len(r.Zones))}
	default:
		r.Verdicts = Verdicts{State: "judged", Note: "Every zone judged as of the report's time: corroboration across " +
			"source kinds, thermal background, source coverage and de-escalation (see Methods)."}
	}
}
