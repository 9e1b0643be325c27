package ingest

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// ACLEDOptions tune the ACLED decoder.
type ACLEDOptions struct {
	// KeepPrecision3 keeps events with geo_precision 3, placed only at an
	// administrative area, with an uncertainty of 100 km. Without it they
	// are rejected as monitor.ReasonNotSpatial.
	KeepPrecision3 bool
	// Categories maps sub_event_type values (compared case-insensitively,
	// surrounding spaces ignored) to categories, overriding the defaults one
	// by one. A value mapped to no valid category is rejected as
	// monitor.ReasonBadCategory.
	Categories map[string]monitor.Category
}

// FatalitiesNote is the note Raw carries beside an ACLED fatalities count
// of 0, which ACLED uses when no deaths were reported.
const FatalitiesNote = "0 means no fatalities were reported, not that none occurred"

// acledCategories returns the sub_event_type mapping, keyed in lower case;
// overrides replace entries one by one. Unlisted types are monitor.Other.
func acledCategories(overrides map[string]monitor.Category) map[string]monitor.Category {
	m := map[string]monitor.Category{
		"shelling/artillery/missile attack": monitor.Shelling,
		"air/drone strike":                  monitor.AirStrike,
		"armed clash":                       monitor.ArmedClash,
		"remote explosive/landmine/ied":     monitor.Explosion,
		"grenade":                           monitor.Explosion,
	}
	for k, v := range overrides {
		m[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return m
}

// acledUncertaintyM returns Incident.UncertaintyM, in meters, for an ACLED
// geo_precision code, and whether the code is one ACLED defines.
func acledUncertaintyM(prec int) (float64, bool) {
	switch prec {
	case 1: // the named town or village
		return 2_000, true
	case 2: // near a named place, or a part of a region
		return 25_000, true
	case 3: // only the administrative area (or a larger region)
		return 100_000, true
	}
	return 0, false
}

type acledDecoder struct {
	o ACLEDOptions
}

// acledColumns holds the column indices of one document; -1 marks an
// absent optional column.
type acledColumns struct {
	id, date, sub, lat, lon, geo int
	timePrec, fatalities         int
}

// NewACLED returns a decoder for ACLED CSV exports, read by column name
// (case-insensitive). The id is event_id_cnty; OccurredAt is event_date
// (YYYY-MM-DD, or "24 February 2022") at midnight UTC. sub_event_type gives
// the category: "Shelling/artillery/missile attack" shelling, "Air/drone
// strike" air_strike, "Armed clash" armed_clash, "Remote
// explosive/landmine/IED" and "Grenade" explosion, anything else other.
// geo_precision sets UncertaintyM: 1 2 km, 2 25 km, 3 100 km, and 3 is
// rejected as monitor.ReasonNotSpatial unless ACLEDOptions.KeepPrecision3;
// other values are monitor.ReasonBadPrecision.
//
// ACLED's terms forbid redistributing its rows, so Raw keeps only
// event_id_cnty, event_date, sub_event_type, geo_precision and
// time_precision, plus fatalities with FatalitiesNote when it is 0: never
// notes, actors or sources.
func NewACLED(o ACLEDOptions) monitor.Decoder {
	o.Categories = acledCategories(o.Categories)
	return &acledDecoder{o: o}
}

// Decode implements monitor.Decoder. A document without one of the
// columns event_id_cnty, event_date, sub_event_type, latitude, longitude
// and geo_precision is an error naming the column.
func (d *acledDecoder) Decode(r io.Reader, name string, sink monitor.Sink) error {
	t, err := newTable(r, name)
	if err != nil {
		return err
	}
	c := acledColumns{timePrec: t.column("time_precision"), fatalities: t.column("fatalities")}
	for _, col := range []struct {
		name string
		idx  *int
	}{{"event_id_cnty", &c.id}, {"event_date", &c.date}, {"sub_event_type", &c.sub}, {"latitude", &c.lat}, {"longitude", &c.lon}, {"geo_precision", &c.geo}} {
		if *col.idx, err = t.require(col.name); err != nil {
			return err
		}
	}
	var raw rawObject
	return t.each(sink, false, func(rec []string, inc *monitor.Incident) (monitor.RejectReason, error) {
		if reason, err := d.row(&c, rec, inc); reason != "" {
			return reason, err
		}
		raw.b = raw.b[:0]
		raw.add("event_id_cnty", rec[c.id])
		raw.add("event_date", rec[c.date])
		raw.add("sub_event_type", rec[c.sub])
		raw.add("geo_precision", rec[c.geo])
		if c.timePrec >= 0 {
			raw.add("time_precision", rec[c.timePrec])
		}
		if c.fatalities >= 0 {
			f := strings.TrimSpace(rec[c.fatalities])
			raw.add("fatalities", f)
			if f == "0" {
				raw.add("fatalities_note", FatalitiesNote)
			}
		}
		inc.Raw = raw.String()
		return "", nil
	})
}

// row fills inc from one ACLED record.
func (d *acledDecoder) row(c *acledColumns, rec []string, inc *monitor.Incident) (monitor.RejectReason, error) {
	inc.ID = strings.TrimSpace(rec[c.id])
	if inc.ID == "" {
		return monitor.ReasonMissingID, fmt.Errorf("column %q is empty", "event_id_cnty")
	}
	lat, lon, reason, err := parseLatLon(rec[c.lat], rec[c.lon])
	if reason != "" {
		return reason, err
	}
	at, err := parseACLEDDate(rec[c.date])
	if err != nil {
		return monitor.ReasonBadTime, err
	}
	prec, err := strconv.Atoi(strings.TrimSpace(rec[c.geo]))
	unc, known := acledUncertaintyM(prec)
	if err != nil || !known {
		return monitor.ReasonBadPrecision, fmt.Errorf("geo_precision %q: want 1, 2 or 3", rec[c.geo])
	}
	if prec == 3 && !d.o.KeepPrecision3 {
		return monitor.ReasonNotSpatial, fmt.Errorf("geo_precision 3: placed only at an administrative area")
	}
	inc.Category = monitor.Other
	if cat, ok := d.o.Categories[strings.ToLower(strings.TrimSpace(rec[c.sub]))]; ok {
		if _, err := monitor.ParseCategory(string(cat)); err != nil {
			return monitor.ReasonBadCategory, fmt.Errorf("sub_event_type %q: %w", rec[c.sub], err)
		}
		inc.Category = cat
	}
	inc.Lat, inc.Lon, inc.OccurredAt = lat, lon, at
	inc.UncertaintyM = unc
	return "", nil
}

// parseACLEDDate reads an event_date: YYYY-MM-DD, or the day-month-year
// form of older exports ("24 February 2022", "24 Feb 2022"), as midnight
// UTC.
func parseACLEDDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range []string{time.DateOnly, "2 January 2006", "2 Jan 2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, checkYear(t)
		}
	}
	return time.Time{}, fmt.Errorf("event_date %q: want YYYY-MM-DD or \"2 January 2006\"", s)
}
