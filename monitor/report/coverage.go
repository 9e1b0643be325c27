package report

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// The coverage of a shown day (Day.Coverage).
const (
	// Observed: a source observed the day, as the verdicts' coverage
	// judges it (judge.Coverage); for the day in progress, so far.
	Observed = "observed"
	// NotObserved: no source observed the day: no recorded violation on
	// it says nothing.
	NotObserved = "not_observed"
	// NotJudged: no coverage was passed in.
	NotJudged = "not_judged"
)

// SourceCoverage is one source's coverage of the trial as the verdicts
// judge it (verdicts.SourceCoverage).
type SourceCoverage struct {
	Source string     `json:"source"`
	Kind   judge.Kind `json:"kind"`
	// ObservedDays of CompleteDays (the trial's complete days so far) the
	// source observed.
	ObservedDays int `json:"observed_days"`
	CompleteDays int `json:"complete_days"`
	// OKAttempts and FailedAttempts count its fetches (or pushes) from the
	// trial's start to the report's time.
	OKAttempts     int `json:"ok_attempts"`
	FailedAttempts int `json:"failed_attempts"`
	// LastSuccess is its newest successful attempt, null when none is
	// stored.
	LastSuccess *time.Time `json:"last_success"`
}

// cover sets each shown day's coverage and the sources' coverage from d;
// nil leaves the days not judged and the coverage empty.
func (r *Report) cover(d *verdicts.Details) {
	r.Coverage = []SourceCoverage{}
	if d == nil {
		return
	}
	for _, day := range d.Days {
		if day.Day < 0 || day.Day >= len(r.Days) {
			continue
		}
		shown := &r.Days[day.Day]
		shown.Coverage, shown.ObservedBy = NotObserved, append([]string{}, day.Sources...)
		if day.Observed() {
			shown.Coverage = Observed
		}
	}
	for _, s := range d.Sources {
		c := SourceCoverage{Source: s.Source, Kind: s.Kind, ObservedDays: s.ObservedDays, CompleteDays: s.CompleteDays,
			OKAttempts: s.OK, FailedAttempts: s.Failed}
		if !s.LastSuccess.IsZero() {
			at := s.LastSuccess.UTC()
			c.LastSuccess = &at
		}
		r.Coverage = append(r.Coverage, c)
	}
	r.Totals.ObservedDays, r.Totals.CompleteDays = judge.CompleteDays(d.Days)
}

// CoverageTable returns the table of the sources' coverage as HTML (class
// "coverage", one row per source), or a notice that none was judged.
func (r *Report) CoverageTable() template.HTML {
	if len(r.Coverage) == 0 {
		return template.HTML(`<p class="notice">Source coverage was not judged: a day without a recorded violation ` +
			`is not evidence that none happened.</p>`)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<p class="meta">%s</p>`, html.EscapeString(r.coverageSummary()))
	b.WriteString(`<table class="data coverage"><thead><tr><th>Source</th><th>Kind</th><th>Days observed</th>` +
		`<th>Successful attempts</th><th>Failed attempts</th><th>Last success</th></tr></thead><tbody>`)
	for _, c := range r.Coverage {
		fmt.Fprintf(&b, `<tr><td>%s</td><td>%s</td><td class="n">%d / %d</td><td class="n">%d</td><td class="n">%d</td><td>%s</td></tr>`,
			html.EscapeString(c.Source), html.EscapeString(string(c.Kind)), c.ObservedDays, c.CompleteDays,
			c.OKAttempts, c.FailedAttempts, timeText(c.LastSuccess))
	}
	b.WriteString(`</tbody></table>`)
	return template.HTML(b.String())
}

// markdownCoverage returns the coverage table in Markdown.
func (r *Report) markdownCoverage() string {
	if len(r.Coverage) == 0 {
		return "Source coverage was not judged: a day without a recorded violation is not evidence that none happened.\n"
	}
	var b strings.Builder
	b.WriteString(r.coverageSummary() + "\n\n| Source | Kind | Days observed | Successful attempts | Failed attempts | Last success |\n|---|---|--:|--:|--:|---|\n")
	for _, c := range r.Coverage {
		fmt.Fprintf(&b, "| %s | %s | %d / %d | %d | %d | %s |\n", mdCell(c.Source), c.Kind, c.ObservedDays, c.CompleteDays,
			c.OKAttempts, c.FailedAttempts, timeText(c.LastSuccess))
	}
	return b.String()
}

// coverageSummary says how many complete days any source observed.
func (r *Report) coverageSummary() string {
	return fmt.Sprintf("Observed by at least one source on %d of %d complete days (the verdicts' coverage). A source "+
		"observes a day when it never goes longer than twice its fetch interval (or the push gap) without a successful "+
		"fetch; attempts count from the trial's start to the report's time.", r.Totals.ObservedDays, r.Totals.CompleteDays)
}
