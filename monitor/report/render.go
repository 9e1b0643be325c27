package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Formats lists the formats Write renders.
var Formats = []string{"html", "md", "json", "csv"}

// Write renders r in format (one of Formats) to w. base prefixes the links
// to raw records in HTML and Markdown ("" keeps them relative to the
// daemon's root).
func (r *Report) Write(w io.Writer, format, base string) error {
	switch format {
	case "json":
		return r.WriteJSON(w)
	case "csv":
		return r.WriteCSV(w)
	case "md":
		return r.WriteMarkdown(w, base)
	case "html":
		return r.WriteHTML(w, base)
	}
	return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// WriteJSON writes r as indented JSON with a final newline. Field order is
// that of the structs and every list is sorted, so equal reports encode to
// equal bytes.
func (r *Report) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// csvHeader names the columns of WriteCSV.
var csvHeader = []string{"trial", "zone_id", "zone_name", "category", "source", "incident_id",
	"occurred_at", "lat", "lon", "placement", "day", "record", "tier"}

// WriteCSV writes one row per violation, ambiguous ones included, after a
// header: RFC 4180 (CRLF line ends, quotes where needed), UTF-8.
func (r *Report) WriteCSV(w io.Writer) error {
	names := map[string]string{}
	for _, z := range r.Zones {
		names[z.ID] = z.Name
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	// cw keeps its first write error; Error reports it after Flush.
	_ = cw.Write(csvHeader)
	for _, v := range r.Violations {
		_ = cw.Write([]string{r.Trial.Name, v.ZoneID, names[v.ZoneID], string(v.Category), v.Source, v.IncidentID,
			v.OccurredAt.Format(time.RFC3339), coord(v.Lat), coord(v.Lon), string(v.Placement),
			strconv.Itoa(v.Day), v.Record, v.Tier})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

func coord(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WriteMarkdown writes r as a Markdown document.
func (r *Report) WriteMarkdown(w io.Writer, base string) error {
	var b strings.Builder
	t := r.Trial
	fmt.Fprintf(&b, "# Trial report: %s\n\n", t.Name)
	fmt.Fprintf(&b, "%s. Window %s to %s (end excluded), %d days. Prohibited: %s.", statusText(t),
		t.Start.Format(time.RFC3339), t.End.Format(time.RFC3339), t.Days, joinCategories(t.Prohibited))
	if t.BufferMeters > 0 {
		fmt.Fprintf(&b, " Buffer: %s m.", fnum(judge.Number(t.BufferMeters)))
	}
	fmt.Fprintf(&b, "\n\nGenerated as of %s (the store's last commit).\n\n", r.GeneratedAt.Format(time.RFC3339))
	b.WriteString("## Verdicts\n\n" + r.markdownVerdicts())
	b.WriteString("\n## Zones\n\n| Zone | Name | Violations | Inside | Buffer | Ambiguous | By category | Last violation | Verdict |\n|---|---|--:|--:|--:|--:|---|---|---|\n")
	for _, z := range r.Zones {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %s | %s | %s |\n", mdCell(z.ID), mdCell(z.Name),
			z.Violations, z.Inside, z.Buffer, z.Ambiguous, categoryText(z.ByCategory), timeText(z.Last), zoneVerdictText(&z))
	}
	b.WriteString("\n## Day strip\n\nViolations per zone and trial day (inside and buffer). Days after the report's time are not shown; " +
		"`·` is a day without a recorded violation; `2+1` is 2 corroborated and 1 single violation, `3c` 3 corroborated; " +
		"`–` is a day no source observed (see Source coverage), where no recorded violation says nothing, and follows " +
		"the count of such a day that still has violations; " +
		"`*` marks the day in progress.\n\n")
	b.WriteString(r.markdownStrip())
	b.WriteString("\n## Source coverage\n\n" + r.markdownCoverage())
	b.WriteString("\n## Thermal detections against their background\n\n" + r.markdownThermal())
	fmt.Fprintf(&b, "\n## Violations (%d)\n\n", len(r.Violations))
	if len(r.Violations) == 0 {
		b.WriteString("None recorded.\n")
	} else {
		b.WriteString("| Event time (UTC) | Day | Zone | Category | Placement | Tier | Source | Incident | Lat, lon |\n|---|--:|---|---|---|---|---|---|---|\n")
		for _, v := range r.Violations {
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | [%s](%s) | %.5f, %.5f |\n", v.OccurredAt.Format("2006-01-02 15:04"),
				v.Day, mdCell(v.ZoneID), v.Category, v.Placement, v.Tier, mdCell(v.Source), mdCell(v.IncidentID), base+v.Record, v.Lat, v.Lon)
		}
	}
	fmt.Fprintf(&b, "\n## Methods\n\n%s\n\n## Files\n\n| Role | File | SHA-256 |\n|---|---|---|\n", r.Methods)
	for _, f := range r.Files {
		fmt.Fprintf(&b, "| %s | %s | `%s` |\n", f.Role, mdCell(f.Path), f.SHA256)
	}
	b.WriteString("\n## Sources and attributions\n\n")
	for _, s := range r.Sources {
		fmt.Fprintf(&b, "- %s (%s)\n", mdCell(s.Name), s.Format)
	}
	for _, a := range r.Attributions() {
		fmt.Fprintf(&b, "\n%s\n", a)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) markdownStrip() string {
	if len(r.Days) == 0 {
		return "The trial has not started.\n"
	}
	var b strings.Builder
	b.WriteString("| Zone |")
	for _, d := range r.Days {
		fmt.Fprintf(&b, " %d |", d.Day)
	}
	b.WriteString("\n|---|" + strings.Repeat("--:|", len(r.Days)) + "\n")
	for _, z := range r.Zones {
		fmt.Fprintf(&b, "| %s |", mdCell(z.ID))
		for i, n := range z.PerDay {
			cell := mdStripCell(n, z.PerDayCorroborated[i])
			switch {
			case r.Days[i].Coverage != NotObserved:
			case n == 0:
				cell = "–"
			default:
				cell += "–"
			}
			if r.Days[i].State == "in_progress" {
				cell += "*"
			}
			fmt.Fprintf(&b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

// mdStripCell is a strip cell's count in Markdown: "·", "3", "3c" (all
// corroborated) or "2+1" (2 corroborated, 1 single).
func mdStripCell(n, c int) string {
	switch {
	case n == 0:
		return "·"
	case c == n:
		return strconv.Itoa(n) + "c"
	case c > 0:
		return fmt.Sprintf("%d+%d", c, n-c)
	}
	return strconv.Itoa(n)
}
