package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// PointOptions tune the decoders of point items: GeoJSON Point features,
// JSON lines and single pushed items (DecodeItem).
type PointOptions struct {
	// DefaultCategory is the category of items without one. "" makes the
	// category required: items without one are rejected as
	// monitor.ReasonBadCategory.
	DefaultCategory monitor.Category
	// MinConfidence is on the 0..100 scale of ParseConfidence; items below
	// it are rejected as monitor.ReasonLowConfidence. Items without a
	// confidence pass. 0 keeps every item.
	MinConfidence float64
	// MaxUncertaintyM, when > 0, rejects items whose uncertainty_m exceeds
	// it, in meters, as monitor.ReasonUncertaintyTooLarge.
	MaxUncertaintyM float64
}

// DecodeItem validates one point item, such as a field report pushed over
// HTTP, exactly as a JSON line is validated. m is the decoded JSON object;
// decode it with json.Decoder.UseNumber so that numbers keep their digits.
// Members:
//
//   - id: a non-empty string or a number (required);
//   - time: an RFC 3339 time with a zone, converted to UTC (required);
//   - lat, lon: WGS84 degrees as JSON numbers (required);
//   - category: a category name, case-insensitive (see
//     PointOptions.DefaultCategory);
//   - confidence: 0 to 100, or "low", "nominal", "high" (optional, else -1);
//   - uncertainty_m: meters, >= 0 (optional, else 0);
//   - anything else is free attributes, kept in Raw.
//
// On success the reason is empty and Raw is m as compact JSON (keys
// sorted); otherwise the reason and an error say what is wrong.
func DecodeItem(m map[string]any, o PointOptions) (monitor.Incident, monitor.RejectReason, error) {
	lat, lon, reason, err := latLonValues(m["lat"], m["lon"])
	if reason != "" {
		return monitor.Incident{}, reason, err
	}
	inc, reason, err := decodePoint(m, nil, lat, lon, o)
	if reason != "" {
		return monitor.Incident{}, reason, err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return monitor.Incident{}, monitor.ReasonMalformed, fmt.Errorf("item as JSON: %w", err)
	}
	inc.Raw = string(b)
	return inc, "", nil
}

// decodePoint reads the members of a point item other than its location;
// fallbackID is used when m has no id (a GeoJSON feature's own id). Raw is
// left to the caller.
func decodePoint(m map[string]any, fallbackID any, lat, lon float64, o PointOptions) (monitor.Incident, monitor.RejectReason, error) {
	inc := monitor.Incident{Lat: lat, Lon: lon, Confidence: -1}
	id, ok := m["id"]
	if !ok || id == nil {
		id = fallbackID
	}
	var err error
	if inc.ID, err = itemID(id); err != nil {
		return inc, monitor.ReasonMissingID, err
	}
	if inc.OccurredAt, err = itemTime(m["time"]); err != nil {
		return inc, monitor.ReasonBadTime, err
	}
	if inc.Category, err = itemCategory(m["category"], o.DefaultCategory); err != nil {
		return inc, monitor.ReasonBadCategory, err
	}
	if c, ok := m["confidence"]; ok && c != nil {
		if inc.Confidence, err = itemConfidence(c); err != nil {
			return inc, monitor.ReasonBadConfidence, err
		}
		if inc.Confidence < o.MinConfidence {
			return inc, monitor.ReasonLowConfidence, fmt.Errorf("confidence %v below %v", inc.Confidence, o.MinConfidence)
		}
	}
	if u, ok := m["uncertainty_m"]; ok && u != nil {
		v, ok := numberText(u)
		if inc.UncertaintyM, err = strconv.ParseFloat(v, 64); !ok || err != nil || !(inc.UncertaintyM >= 0) || math.IsInf(inc.UncertaintyM, 0) {
			return inc, monitor.ReasonBadUncertainty, fmt.Errorf("uncertainty_m %v: want a finite number of meters >= 0", u)
		}
		if o.MaxUncertaintyM > 0 && inc.UncertaintyM > o.MaxUncertaintyM {
			return inc, monitor.ReasonUncertaintyTooLarge, fmt.Errorf("uncertainty_m %v above %v", inc.UncertaintyM, o.MaxUncertaintyM)
		}
	}
	return inc, "", nil
}

// latLonValues reads a latitude and a longitude given as JSON numbers.
func latLonValues(lat, lon any) (float64, float64, monitor.RejectReason, error) {
	latS, ok1 := numberText(lat)
	lonS, ok2 := numberText(lon)
	if !ok1 || !ok2 {
		return 0, 0, monitor.ReasonBadCoordinate, fmt.Errorf("lat %v, lon %v: want two numbers", lat, lon)
	}
	return parseLatLon(latS, lonS)
}

// numberText returns the digits of a JSON number (json.Number, float64 or
// an integer type), and false for anything else.
func numberText(v any) (string, bool) {
	switch n := v.(type) {
	case json.Number:
		return n.String(), true
	case float64:
		return strconv.FormatFloat(n, 'g', -1, 64), true
	case int:
		return strconv.Itoa(n), true
	case int64:
		return strconv.FormatInt(n, 10), true
	}
	return "", false
}

// itemID reads an id: a non-empty string (trimmed) or a number.
func itemID(v any) (string, error) {
	if s, ok := v.(string); ok {
		if s = strings.TrimSpace(s); s != "" {
			return s, nil
		}
	} else if s, ok := numberText(v); ok {
		return s, nil
	}
	return "", fmt.Errorf("id %v: want a non-empty string or a number", v)
}

// itemTime reads an RFC 3339 time, which must name its zone, as UTC.
func itemTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("time %v: want an RFC 3339 string", v)
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	if err := checkYear(t); err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// itemCategory reads a category name; absent, null or "" gives dflt, which
// must itself be set.
func itemCategory(v any, dflt monitor.Category) (monitor.Category, error) {
	s, ok := v.(string)
	if v != nil && !ok {
		return "", fmt.Errorf("category %v: want a string", v)
	}
	if s = strings.ToLower(strings.TrimSpace(s)); s == "" {
		if dflt == "" {
			return "", errors.New("no category")
		}
		s = string(dflt)
	}
	return monitor.ParseCategory(s)
}

// itemConfidence reads a confidence number or class onto 0..100.
func itemConfidence(v any) (float64, error) {
	if s, ok := v.(string); ok {
		return ParseConfidence(s)
	}
	if s, ok := numberText(v); ok {
		return ParseConfidence(s)
	}
	return 0, fmt.Errorf("confidence %v: want a number or a class name", v)
}
