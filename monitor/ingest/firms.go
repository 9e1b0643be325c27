package ingest

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// FIRMSOptions are the quality filters of a FIRMS source.
type FIRMSOptions struct {
	// MinConfidence is on the 0..100 scale of ParseConfidence; rows below it
	// are rejected as monitor.ReasonLowConfidence. Rows without a confidence
	// value pass. 0 keeps every row.
	MinConfidence float64
	// DropTypes lists FIRMS `type` values (0 vegetation fire, 1 volcano,
	// 2 other static land source, 3 offshore) rejected as
	// monitor.ReasonStaticSource. Rows without a type, or with a type that is
	// not an integer, are kept. The caller passes [2] by default.
	DropTypes []int
	// Footprint, when true, sets Incident.UncertaintyM to half the diagonal
	// of the scan×track pixel (both in km), in meters. Rows whose scan or
	// track is missing or not a positive number keep UncertaintyM 0.
	Footprint bool
}

// firmsColumns holds the column indices of one FIRMS document; -1 marks an
// optional column that is absent.
type firmsColumns struct {
	lat, lon, date                     int
	clock, sat, conf, typ, scan, track int
}

type firmsDecoder struct {
	o   FIRMSOptions
	ids idSets // the sets of ids of the documents decoded
}

// NewFIRMS returns a decoder for NASA FIRMS CSV files: MODIS and VIIRS, near
// real-time (14 columns) and standard-processing archives (15, with
// `type`), and reduced files with only latitude, longitude and acq_date.
// Columns are found by header name, case-insensitively. Every incident has
// category thermal_anomaly, an id built from satellite, time, latitude and
// longitude (for example "A/2022-03-18T10:35Z/48.1234/37.5678"; without a
// satellite column the first part is left out, without acq_time the time is
// the date), and Confidence -1 when the row has none.
func NewFIRMS(o FIRMSOptions) monitor.Decoder {
	o.DropTypes = slices.Clone(o.DropTypes)
	return &firmsDecoder{o: o}
}

// Decode implements monitor.Decoder. A document without latitude,
// longitude or acq_date column is an error naming the column.
func (d *firmsDecoder) Decode(r io.Reader, name string, sink monitor.Sink) error {
	t, err := newTable(r, name)
	if err != nil {
		return err
	}
	t.ids = &d.ids
	var c firmsColumns
	if c.lat, err = t.require("latitude"); err != nil {
		return err
	}
	if c.lon, err = t.require("longitude"); err != nil {
		return err
	}
	if c.date, err = t.require("acq_date"); err != nil {
		return err
	}
	c.clock, c.sat, c.conf = t.column("acq_time"), t.column("satellite"), t.column("confidence")
	c.typ, c.scan, c.track = t.column("type"), t.column("scan"), t.column("track")
	return t.each(sink, true, func(rec []string, inc *monitor.Incident) (monitor.RejectReason, error) {
		return d.row(&c, rec, inc, &t.arena)
	})
}

// row fills inc from one FIRMS record, making its id in arena.
func (d *firmsDecoder) row(c *firmsColumns, rec []string, inc *monitor.Incident, arena *strArena) (monitor.RejectReason, error) {
	lat, lon, reason, err := parseLatLon(rec[c.lat], rec[c.lon])
	if reason != "" {
		return reason, err
	}
	at, timed, err := firmsTime(rec[c.date], field(rec, c.clock), c.clock >= 0)
	if err != nil {
		return monitor.ReasonBadTime, err
	}
	if s := strings.TrimSpace(field(rec, c.conf)); s != "" {
		if inc.Confidence, err = ParseConfidence(s); err != nil {
			return monitor.ReasonBadConfidence, err
		}
		if inc.Confidence < d.o.MinConfidence {
			return monitor.ReasonLowConfidence, fmt.Errorf("confidence %v below %v", inc.Confidence, d.o.MinConfidence)
		}
	}
	if typ, err := strconv.Atoi(strings.TrimSpace(field(rec, c.typ))); err == nil && slices.Contains(d.o.DropTypes, typ) {
		return monitor.ReasonStaticSource, fmt.Errorf("type %d is filtered", typ)
	}
	if d.o.Footprint {
		inc.UncertaintyM = footprintM(field(rec, c.scan), field(rec, c.track))
	}
	inc.Lat, inc.Lon, inc.OccurredAt = lat, lon, at
	inc.Category = monitor.ThermalAnomaly
	var buf [96]byte
	inc.ID = arena.string(appendFIRMSID(buf[:0], field(rec, c.sat), at, timed, lat, lon))
	return "", nil
}

// field returns rec[i], or "" when the column is absent (i < 0) or the
// record is too short.
func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// firmsTime combines acq_date and acq_time. timed reports whether a time of
// day was part of the row; hasClock says whether the document has an
// acq_time column, in which case an empty value is an error.
func firmsTime(date, clock string, hasClock bool) (at time.Time, timed bool, err error) {
	day, err := parseDate(date)
	if err != nil {
		return time.Time{}, false, err
	}
	if !hasClock {
		return day, false, nil
	}
	d, err := parseClock(clock)
	if err != nil {
		return time.Time{}, false, err
	}
	return day.Add(d), true, nil
}

// footprintM returns half the diagonal of a scan×track pixel given in km,
// in meters, or 0 when either side is not a positive finite number.
func footprintM(scan, track string) float64 {
	s, err1 := strconv.ParseFloat(strings.TrimSpace(scan), 64)
	t, err2 := strconv.ParseFloat(strings.TrimSpace(track), 64)
	if err1 != nil || err2 != nil || !(s > 0) || !(t > 0) || math.IsInf(s, 0) || math.IsInf(t, 0) {
		return 0
	}
	return math.Hypot(s, t) / 2 * 1000
}

// appendFIRMSID appends the readable id of a detection. Satellite names
// are shortened to FIRMS letters (Terra T, Aqua A) and upper-cased.
func appendFIRMSID(b []byte, sat string, at time.Time, timed bool, lat, lon float64) []byte {
	switch s := strings.TrimSpace(sat); {
	case s == "":
	case strings.EqualFold(s, "TERRA"):
		b = append(b, "T/"...)
	case strings.EqualFold(s, "AQUA"):
		b = append(b, "A/"...)
	default:
		b = append(b, strings.ToUpper(s)...)
		b = append(b, '/')
	}
	b = appendDate(b, at)
	if timed {
		b = appendClock(b, at, at.Second() != 0)
	}
	b = append(appendCoord(append(b, '/'), lat), '/')
	return appendCoord(b, lon)
}
