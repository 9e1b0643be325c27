package ingest

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
)

// CSVOptions describe a generic CSV document: which columns hold what.
// Column names are compared case-insensitively.
type CSVOptions struct {
	Lat, Lon, Time string // header names of the required columns
	// TimeFormat is the Go layout of the time column. "" accepts RFC 3339,
	// "2006-01-02 15:04:05", "2006-01-02T15:04:05" and "2006-01-02". Times
	// without a zone are UTC.
	TimeFormat string
	// ID names an optional id column. When "" the id is derived from the
	// row's time, latitude and longitude, normalised (for example
	// "2022-01-01/47.1005/37.6171").
	ID string
	// Category names an optional column holding a category name (see
	// monitor.ParseCategory; case and surrounding spaces are ignored). An
	// empty cell takes DefaultCategory.
	Category string
	// Confidence names an optional column read with ParseConfidence; an
	// empty cell, or no column, gives Confidence -1.
	Confidence string
	// DefaultCategory is the category of rows without one; "" means
	// monitor.Other.
	DefaultCategory monitor.Category
	// UncertaintyM is the location uncertainty in meters given to every
	// incident; 0 means exact.
	UncertaintyM float64
}

type csvDecoder struct {
	o   CSVOptions
	ids idSets // the sets of ids of the documents decoded
}

// csvColumns holds the column indices of one document; -1 marks an absent
// optional column.
type csvColumns struct {
	lat, lon, time, id, cat, conf int
}

// NewCSV returns a decoder for CSV documents laid out as o describes. It is
// an error when Lat, Lon or Time is empty, DefaultCategory is not a
// category, or UncertaintyM is negative or not finite.
func NewCSV(o CSVOptions) (monitor.Decoder, error) {
	if o.Lat == "" || o.Lon == "" || o.Time == "" {
		return nil, errors.New("csv: the latitude, longitude and time column names are required")
	}
	if o.DefaultCategory == "" {
		o.DefaultCategory = monitor.Other
	}
	if _, err := monitor.ParseCategory(string(o.DefaultCategory)); err != nil {
		return nil, fmt.Errorf("csv: default category: %w", err)
	}
	if o.UncertaintyM < 0 || math.IsNaN(o.UncertaintyM) || math.IsInf(o.UncertaintyM, 0) {
		return nil, fmt.Errorf("csv: uncertainty %v m: want a finite number >= 0", o.UncertaintyM)
	}
	return &csvDecoder{o: o}, nil
}

// Decode implements monitor.Decoder. A document without one of the named
// columns is an error naming the document and the column.
func (d *csvDecoder) Decode(r io.Reader, name string, sink monitor.Sink) error {
	t, err := newTable(r, name)
	if err != nil {
		return err
	}
	t.ids = &d.ids
	c := csvColumns{id: -1, cat: -1, conf: -1}
	if c.lat, err = t.require(d.o.Lat); err != nil {
		return err
	}
	if c.lon, err = t.require(d.o.Lon); err != nil {
		return err
	}
	if c.time, err = t.require(d.o.Time); err != nil {
		return err
	}
	for _, opt := range []struct {
		name string
		idx  *int
	}{{d.o.ID, &c.id}, {d.o.Category, &c.cat}, {d.o.Confidence, &c.conf}} {
		if opt.name == "" {
			continue
		}
		if *opt.idx, err = t.require(opt.name); err != nil {
			return err
		}
	}
	return t.each(sink, false, func(rec []string, inc *monitor.Incident) (monitor.RejectReason, error) {
		return d.row(&c, rec, inc, &t.arena)
	})
}

// row fills inc from one record, making the id it builds in arena.
func (d *csvDecoder) row(c *csvColumns, rec []string, inc *monitor.Incident, arena *strArena) (monitor.RejectReason, error) {
	lat, lon, reason, err := parseLatLon(rec[c.lat], rec[c.lon])
	if reason != "" {
		return reason, err
	}
	at, err := parseTimestamp(d.o.TimeFormat, rec[c.time])
	if err != nil {
		return monitor.ReasonBadTime, err
	}
	inc.Category = d.o.DefaultCategory
	if s := strings.ToLower(strings.TrimSpace(field(rec, c.cat))); s != "" {
		if inc.Category, err = monitor.ParseCategory(s); err != nil {
			return monitor.ReasonBadCategory, err
		}
	}
	if s := strings.TrimSpace(field(rec, c.conf)); s != "" {
		if inc.Confidence, err = ParseConfidence(s); err != nil {
			return monitor.ReasonBadConfidence, err
		}
	}
	if c.id >= 0 {
		inc.ID = strings.TrimSpace(rec[c.id])
		if inc.ID == "" {
			return monitor.ReasonMissingID, fmt.Errorf("column %q is empty", d.o.ID)
		}
	} else {
		var buf [80]byte
		id := append(appendInstant(buf[:0], at), '/')
		id = append(appendCoordText(id, strings.TrimSpace(rec[c.lat]), lat), '/')
		inc.ID = arena.string(appendCoordText(id, strings.TrimSpace(rec[c.lon]), lon))
	}
	inc.Lat, inc.Lon, inc.OccurredAt = lat, lon, at
	inc.UncertaintyM = d.o.UncertaintyM
	return "", nil
}
