package report

import (
	"fmt"
	"strings"
	"time"
)

// The notices that the sources' licences and terms require, by format.
const (
	// FIRMSAttribution is the acknowledgement NASA asks of FIRMS users.
	FIRMSAttribution = "We acknowledge the use of data from NASA's Fire Information for Resource Management " +
		"System (FIRMS) (https://earthdata.nasa.gov/firms), part of NASA's Earth Science Data and Information " +
		"System (ESDIS). NASA FIRMS / LANCE data are free to use and redistribute under NASA's Earth science open data policy."
	// UCDPAttribution is the CC BY 4.0 notice and the citations UCDP asks for.
	UCDPAttribution = "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, licensed under " +
		"CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Sundberg, Ralph and Erik Melander (2013), " +
		"\"Introducing the UCDP Georeferenced Event Dataset\", Journal of Peace Research 50(4): 523-532; " +
		"Davies, Shawn, Therése Pettersson and Magnus Öberg (2023), \"Organized violence 1989-2022, and the " +
		"return of conflict between states\", Journal of Peace Research 60(4)."
	// ACLEDAttribution is the notice ACLED's terms of use require.
	ACLEDAttribution = "Armed Conflict Location & Event Data Project (ACLED), https://acleddata.com, used under " +
		"ACLED's Terms of Use and Attribution Policy, which restrict redistribution of the data: the records " +
		"shown here are for the verification of this trial only."
)

// attributions maps a source format to its notice; formats of our own
// (field reports, csv and geojson feeds) need none.
var attributions = map[string]string{"firms": FIRMSAttribution, "ucdp": UCDPAttribution, "acled": ACLEDAttribution}

// attributed returns the sources with their notices.
func attributed(in []Source) []Source {
	out := make([]Source, len(in)) // never nil: [] in JSON
	for i, s := range in {
		s.Attribution = attributions[s.Format]
		out[i] = s
	}
	return out
}

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

// methods states in one paragraph how the counts were made.
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
		fmt.Fprintf(&b, "An incident outside a zone but within %g m of it counts as a buffer placement. ", r.Trial.BufferMeters)
	}
	b.WriteString("An incident whose stated location uncertainty only reaches into a zone is ambiguous: " +
		"it is shown as evidence but not counted. Violations that a source later revised away or withdrew are " +
		"left out. Verdicts, corroboration across source kinds, the thermal background and source coverage are " +
		"not judged yet, so a day without a recorded violation is not evidence that none happened. ")
	fmt.Fprintf(&b, "The report describes the store as of its last commit, %s, and is generated as of that "+
		"instant, so the same store always gives the same report.", r.GeneratedAt.Format(time.RFC3339))
	return b.String()
}
