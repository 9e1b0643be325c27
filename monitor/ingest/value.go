package ingest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// parseLatLon reads a latitude and a longitude in decimal degrees. A value
// that is not a finite number is a bad coordinate; |lat| > 90 or |lon| > 180
// is out of range.
func parseLatLon(latS, lonS string) (lat, lon float64, reason monitor.RejectReason, err error) {
	lat, err = parseDegrees("latitude", latS)
	if err != nil {
		return 0, 0, monitor.ReasonBadCoordinate, err
	}
	lon, err = parseDegrees("longitude", lonS)
	if err != nil {
		return 0, 0, monitor.ReasonBadCoordinate, err
	}
	if lat < -90 || lat > 90 {
		return 0, 0, monitor.ReasonOutOfRange, fmt.Errorf("latitude %v outside [-90, 90]", lat)
	}
	if lon < -180 || lon > 180 {
		return 0, 0, monitor.ReasonOutOfRange, fmt.Errorf("longitude %v outside [-180, 180]", lon)
	}
	return lat, lon, "", nil
}

// parseDegrees reads one finite decimal number; what names it in errors.
func parseDegrees(what, s string) (float64, error) {
	if v, ok := fastFloat(strings.TrimSpace(s)); ok {
		return v, nil // finite
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("%s %q: not a number", what, s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %q: not finite", what, s)
	}
	return v, nil
}

// formatCoord writes v with the fewest digits that read back to v, so that
// "48.12340" and "48.1234" give the same id. Negative zero is written as 0.
func formatCoord(v float64) string {
	var buf [32]byte
	return string(appendCoord(buf[:0], v))
}

// formatInstant writes t (UTC) as compactly as it can be read back: a date
// at midnight, minutes when seconds are zero, else RFC 3339 with fraction.
func formatInstant(t time.Time) string {
	var buf [40]byte
	return string(appendInstant(buf[:0], t))
}

// parseClock reads a FIRMS acquisition time of day (UTC): HHMM with leading
// zeros possibly dropped ("46" is 00:46, "5" is 00:05), HH:MM or HH:MM:SS.
func parseClock(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var h, m, sec int
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, fmt.Errorf("time %q: want HH:MM or HH:MM:SS", s)
		}
		vals := [3]int{}
		for i, p := range parts {
			n, err := smallUint(p, 2)
			if err != nil {
				return 0, fmt.Errorf("time %q: %w", s, err)
			}
			vals[i] = n
		}
		if len(parts) < 2 {
			return 0, fmt.Errorf("time %q: want HH:MM or HH:MM:SS", s)
		}
		h, m, sec = vals[0], vals[1], vals[2]
	} else {
		n, err := smallUint(s, 4)
		if err != nil {
			return 0, fmt.Errorf("time %q: %w", s, err)
		}
		h, m = n/100, n%100
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, fmt.Errorf("time %q: no such time of day", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, nil
}

// smallUint reads 1 to maxDigits ASCII digits.
func smallUint(s string, maxDigits int) (int, error) {
	if s == "" || len(s) > maxDigits {
		return 0, fmt.Errorf("want 1 to %d digits", maxDigits)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, errors.New("not a number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// parseDate reads an ISO date (YYYY-MM-DD) as midnight UTC. Impossible dates
// such as 2022-02-30 are errors, and so are years outside MinYear..MaxYear.
func parseDate(s string) (time.Time, error) {
	if t, ok := fastDate(s); ok {
		return t, checkYear(t)
	}
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, checkYear(t)
}

// The years an event time may fall in: anything else is a typo or a filler
// value such as 0001-01-01, and the store could not keep it.
const (
	MinYear = 1900
	MaxYear = 2200
)

// checkYear returns an error when t lies outside MinYear..MaxYear.
func checkYear(t time.Time) error {
	if y := t.Year(); y < MinYear || y > MaxYear {
		return fmt.Errorf("year %d is outside %d..%d", y, MinYear, MaxYear)
	}
	return nil
}

// parseTimestamp reads a time with layout, or, when layout is empty, with
// the first default layout whose shape fits: RFC 3339, "2006-01-02
// 15:04:05", "2006-01-02T15:04:05" or "2006-01-02". Times without a zone are
// UTC. The zero time is an error, as it marks no real event.
func parseTimestamp(layout, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if layout == "" {
		var t time.Time
		ok := false
		switch {
		case len(s) == len(time.DateOnly):
			layout = time.DateOnly
			t, ok = fastDate(s)
		case len(s) == len(time.DateTime) && s[10] == ' ':
			layout = time.DateTime
			t, ok = fastDateTime(s, ' ')
		case len(s) == len(time.DateTime) && s[10] == 'T':
			layout = "2006-01-02T15:04:05"
			t, ok = fastDateTime(s, 'T')
		default:
			layout = time.RFC3339Nano
		}
		if ok {
			if err := checkYear(t); err != nil {
				return time.Time{}, fmt.Errorf("time %q: %w", s, err)
			}
			return t, nil
		}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	if err := checkYear(t); err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	return t.UTC(), nil
}
