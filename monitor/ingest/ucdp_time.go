package ingest

import (
	"fmt"
	"strings"
	"time"
)

// gedColumns returns the 49 columns of a UCDP GED CSV file in their
// standard order, for files without a header row.
func gedColumns() []string {
	return []string{
		"id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
	}
}

// parseUCDPTime reads a GED date_start or date_end as UTC. It accepts ISO
// dates ("2014-01-22"), ISO date-times with optional fraction
// ("2014-01-22 00:00:00.000", also with a T), and the month-first forms a
// spreadsheet writes ("1/22/2014 12:00:00 AM", "01/22/2014 00:00",
// "1/22/2014"). Day-first dates are not guessed: "22/01/2014" is an error,
// and a day-first date that happens to be valid month-first is caught by
// the year check of the caller only when the years differ.
func parseUCDPTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var layouts []string
	switch {
	case strings.Contains(s, "/"):
		layouts = []string{"1/2/2006 3:04:05 PM", "1/2/2006 3:04 PM", "1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006"}
	case len(s) > 10 && s[10] == 'T':
		layouts = []string{"2006-01-02T15:04:05", time.RFC3339Nano}
	case len(s) > 10:
		layouts = []string{time.DateTime, "2006-01-02 15:04"}
	default:
		layouts = []string{time.DateOnly}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil && checkYear(t) == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD[ HH:MM:SS] or M/D/YYYY[ h:mm[:ss] [AM|PM]]", s)
}
