package ingest

import (
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
)

// UCDPOptions tune the UCDP GED decoder.
type UCDPOptions struct {
	// Categories maps type_of_violence codes to categories, overriding the
	// defaults (1 state-based and 2 non-state conflict: armed_clash;
	// 3 one-sided violence: other) code by code. A code mapped to no valid
	// category is rejected as monitor.ReasonBadCategory.
	Categories map[int]monitor.Category
	// KeepNotSpatial keeps events with where_prec 6 (only the country is
	// known) and 7 (international waters or airspace), which are otherwise
	// rejected as monitor.ReasonNotSpatial, with an uncertainty of 500 and
	// 100 km.
	KeepNotSpatial bool
}

// ucdpUncertaintyM returns Incident.UncertaintyM, in meters, for a UCDP
// where_prec code, and whether the code is one GED defines:
//
//	1 exact location (a village or town)               1 km
//	2 within about 25 km of a named place             25 km
//	3 second-order administrative division (district) 50 km
//	4 first-order administrative division (oblast)    100 km
//	5 a line or area (front line, river, border)      100 km
//	6 only the country is known                       500 km
//	7 international waters or airspace                100 km
//
// Codes 6 and 7 are kept only with UCDPOptions.KeepNotSpatial.
func ucdpUncertaintyM(prec int) (float64, bool) {
	switch prec {
	case 1:
		return 1_000, true
	case 2:
		return 25_000, true
	case 3:
		return 50_000, true
	case 4, 5, 7:
		return 100_000, true
	case 6:
		return 500_000, true
	}
	return 0, false
}

// ucdpCategories returns the type_of_violence mapping: 1 state-based and
// 2 non-state conflict are armed clashes, 3 one-sided violence is other;
// overrides replace codes one by one.
func ucdpCategories(overrides map[int]monitor.Category) map[int]monitor.Category {
	m := map[int]monitor.Category{1: monitor.ArmedClash, 2: monitor.ArmedClash, 3: monitor.Other}
	maps.Copy(m, overrides)
	return m
}

// ucdpRawColumns are the GED columns kept as evidence, when present.
var ucdpRawColumns = []string{
	"id", "relid", "year", "type_of_violence", "conflict_name", "dyad_name",
	"where_prec", "where_coordinates", "adm_1", "latitude", "longitude",
	"date_prec", "date_start", "date_end", "best", "low", "high",
}

type ucdpDecoder struct {
	o UCDPOptions
}

// NewUCDP returns a decoder for UCDP Georeferenced Event Dataset (GED) CSV
// files. A file with a header row is read by column name (case-insensitive);
// a file without one must have the 49 GED columns in their standard order
// (id, relid, year, ..., gwnoa, gwnob). UTF-8 is read, and so is
// Windows-1252 from files saved by a spreadsheet; quoted fields may span
// lines.
//
// The id is the `id` column. OccurredAt is date_start at UTC, written
// YYYY-MM-DD, YYYY-MM-DD HH:MM:SS[.fff] or month-first M/D/YYYY h:mm:ss AM
// or MM/DD/YYYY HH:MM; a `year` column, when present, must agree with it
// (monitor.ReasonBadTime otherwise, which is how a day-first misreading
// that crosses a year shows). where_prec sets UncertaintyM: 1 exact place
// 1 km, 2 within 25 km 25 km, 3 district 50 km, 4 province 100 km, 5 line
// or area 100 km; 6 country only and 7 waters or airspace are rejected as
// monitor.ReasonNotSpatial unless UCDPOptions.KeepNotSpatial. Other codes
// are monitor.ReasonBadPrecision. type_of_violence gives the category (see
// UCDPOptions.Categories). Raw keeps the id, place, date, type_of_violence,
// conflict, where_prec and death-count (best, low, high) columns.
func NewUCDP(o UCDPOptions) monitor.Decoder {
	o.Categories = ucdpCategories(o.Categories)
	return &ucdpDecoder{o: o}
}

// ucdpColumns holds the column indices of one document; -1 marks an absent
// optional column.
type ucdpColumns struct {
	id, year, violence, prec, lat, lon, date int
	raw                                      []int // ucdpRawColumns, -1 when absent
}

// Decode implements monitor.Decoder. A header without one of the columns
// id, type_of_violence, where_prec, latitude, longitude and date_start is an
// error naming the column.
func (d *ucdpDecoder) Decode(r io.Reader, name string, sink monitor.Sink) error {
	t, err := newTable(utf8OrCP1252(r), name)
	if err != nil {
		return err
	}
	if !isUCDPHeader(t.header) {
		t.headerless(gedColumns())
	}
	c := ucdpColumns{year: t.column("year")}
	for _, col := range []struct {
		name string
		idx  *int
	}{{"id", &c.id}, {"type_of_violence", &c.violence}, {"where_prec", &c.prec}, {"latitude", &c.lat}, {"longitude", &c.lon}, {"date_start", &c.date}} {
		if *col.idx, err = t.require(col.name); err != nil {
			return err
		}
	}
	for _, n := range ucdpRawColumns {
		c.raw = append(c.raw, t.column(n))
	}
	var raw rawObject
	return t.each(sink, false, func(rec []string, inc *monitor.Incident) (monitor.RejectReason, error) {
		if reason, err := d.row(&c, rec, inc); reason != "" {
			return reason, err
		}
		raw.b = raw.b[:0]
		for i, n := range ucdpRawColumns {
			if c.raw[i] >= 0 {
				raw.add(n, rec[c.raw[i]])
			}
		}
		inc.Raw = raw.String()
		return "", nil
	})
}

// isUCDPHeader reports whether the first record of a document is a header:
// one of its fields names a required GED column.
func isUCDPHeader(rec []string) bool {
	for _, f := range rec {
		switch strings.ToLower(f) {
		case "id", "latitude", "longitude", "date_start", "where_prec", "type_of_violence":
			return true
		}
	}
	return false
}

// row fills inc from one GED record.
func (d *ucdpDecoder) row(c *ucdpColumns, rec []string, inc *monitor.Incident) (monitor.RejectReason, error) {
	inc.ID = strings.TrimSpace(rec[c.id])
	if inc.ID == "" {
		return monitor.ReasonMissingID, fmt.Errorf("column %q is empty", "id")
	}
	lat, lon, reason, err := parseLatLon(rec[c.lat], rec[c.lon])
	if reason != "" {
		return reason, err
	}
	at, err := parseUCDPTime(rec[c.date])
	if err != nil {
		return monitor.ReasonBadTime, err
	}
	if c.year >= 0 {
		y, err := strconv.Atoi(strings.TrimSpace(rec[c.year]))
		if err != nil || y != at.Year() {
			return monitor.ReasonBadTime, fmt.Errorf("date_start %q is in %d, but year is %q", rec[c.date], at.Year(), rec[c.year])
		}
	}
	prec, err := strconv.Atoi(strings.TrimSpace(rec[c.prec]))
	unc, known := ucdpUncertaintyM(prec)
	if err != nil || !known {
		return monitor.ReasonBadPrecision, fmt.Errorf("where_prec %q: want 1 to 7", rec[c.prec])
	}
	if prec >= 6 && !d.o.KeepNotSpatial {
		return monitor.ReasonNotSpatial, fmt.Errorf("where_prec %d: placed only in a country or in international waters or airspace", prec)
	}
	if inc.Category, err = d.category(rec[c.violence]); err != nil {
		return monitor.ReasonBadCategory, err
	}
	inc.Lat, inc.Lon, inc.OccurredAt = lat, lon, at
	inc.UncertaintyM = unc
	return "", nil
}

// category maps a type_of_violence value.
func (d *ucdpDecoder) category(s string) (monitor.Category, error) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("type_of_violence %q: not a number", s)
	}
	c, ok := d.o.Categories[v]
	if !ok {
		return "", fmt.Errorf("type_of_violence %d: not mapped to a category", v)
	}
	if _, err := monitor.ParseCategory(string(c)); err != nil {
		return "", fmt.Errorf("type_of_violence %d: %w", v, err)
	}
	return c, nil
}
