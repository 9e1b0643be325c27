package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Attributions returns the distinct notices of the report's sources, in
// source order.
func (r *Report) Attributions() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range r.Sources {
		if s.Attribution != "" && !seen[s.Attribution] {
			seen[s.Attribution] = true
			out = append(out, s.Attribution)
		}
	}
	return out
}

// methods states in one paragraph how the counts were made and the
// zones judged.
func methods(r *Report, sources []Source) string {
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = fmt.Sprintf("%s (%s)", s.Name, s.Format)
	}
	src := "no configured source"
	if len(names) > 0 {
		src = fmt.Sprintf("%d configured source(s): %s", len(names), strings.Join(names, ", "))
	}
	cats := make([]string, len(r.Trial.Prohibited))
	for i, c := range r.Trial.Prohibited {
		cats[i] = string(c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Incidents were ingested from %s, deduplicated by source and id, and placed against the "+
		"zone polygons in WGS84 (points on a boundary count as inside; holes are respected). ", src)
	fmt.Fprintf(&b, "A violation is an incident of a prohibited category (%s) whose event time falls in the "+
		"half-open window from %s to %s (UTC); trial days are 24-hour periods from the start. ",
		strings.Join(cats, ", "), r.Trial.Start.Format(time.RFC3339), r.Trial.End.Format(time.RFC3339))
	if r.Trial.BufferMeters > 0 {
		fmt.Fprintf(&b, "An incident outside a zone but within %s m of it counts as a buffer placement. ", fnum(judge.Number(r.Trial.BufferMeters)))
	}
	b.WriteString("An incident whose stated location uncertainty only reaches into a zone is ambiguous: " +
		"it is shown as evidence but not counted. Violations that a source later revised away or withdrew are " +
		"left out. ")
	if r.Verdicts.State == "judged" {
		b.WriteString("Each zone's verdict is the first that applies: violated when a violation is corroborated by a " +
			"source of another kind nearby in place and time; reported when uncorroborated violations from event data " +
			"or field reports stand; thermal excess when its satellite heat detections over the complete days exceed " +
			"their seasonal background, predicted from reference years relative to control zones (one-sided Student's t " +
			"test on log ratios); insufficient coverage when fewer than the configured share of complete days were " +
			"observed by a source; else held. Alongside, the event rate during the trial is compared with the " +
			"pre-trial period, and the thermal rate change with that of the controls, as ratios with 95% intervals. ")
		if len(r.Coverage) > 0 {
			b.WriteString("A source observes a day when it never goes longer than twice its fetch interval (or the " +
				"configured push gap) without a successful fetch; the strip greys the days no source observed, and a " +
				"day observed without a recorded violation is still not evidence that none happened. ")
		} else {
			b.WriteString("Coverage is judged over the complete days as a whole, so a day without a recorded violation " +
				"is still not evidence that none happened. ")
		}
	} else {
		b.WriteString("No verdict was passed in: corroboration, the thermal background and source coverage are not " +
			"judged here, so a day without a recorded violation is not evidence that none happened. ")
	}
	fmt.Fprintf(&b, "The report describes the store as of its last commit, %s, and is generated as of that "+
		"instant, so the same store always gives the same report.", r.GeneratedAt.Format(time.RFC3339))
	return b.String()
}
