package ingest

import (
	"strings"
	"testing"
	"time"
)

// slowTimestamp is parseTimestamp as it was before the fast paths: the
// default layouts chosen by shape, all read by time.Parse.
func slowTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	layout := time.RFC3339Nano
	switch {
	case len(s) == len(time.DateOnly):
		layout = time.DateOnly
	case len(s) == len(time.DateTime) && s[10] == ' ':
		layout = time.DateTime
	case len(s) == len(time.DateTime) && s[10] == 'T':
		layout = "2006-01-02T15:04:05"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, err
	}
	if err := checkYear(t); err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// checkFastTime fails t when parseTimestamp, parseDate or formatInstant
// differ from what time.Parse and time.Format give for s.
func checkFastTime(t *testing.T, s string) {
	t.Helper()
	want, werr := slowTimestamp(s)
	got, gerr := parseTimestamp("", s)
	if (werr == nil) != (gerr == nil) || !got.Equal(want) || got.Location() != want.Location() {
		t.Errorf("parseTimestamp(%q) = %v, %v; time.Parse gives %v, %v", s, got, gerr, want, werr)
	}
	if len(strings.TrimSpace(s)) == len(time.DateOnly) {
		d, derr := parseDate(s)
		if (derr == nil) != (werr == nil) || (derr == nil && !d.Equal(want)) {
			t.Errorf("parseDate(%q) = %v, %v; time.Parse gives %v, %v", s, d, derr, want, werr)
		}
	}
	if werr != nil {
		return
	}
	var slow string
	switch {
	case want.Nanosecond() != 0:
		slow = want.Format(time.RFC3339Nano)
	case want.Hour() == 0 && want.Minute() == 0 && want.Second() == 0:
		slow = want.Format(time.DateOnly)
	case want.Second() == 0:
		slow = want.Format("2006-01-02T15:04Z")
	default:
		slow = want.Format("2006-01-02T15:04:05Z")
	}
	if fast := formatInstant(want); fast != slow {
		t.Errorf("formatInstant(%v) = %q, time.Format gives %q", want, fast, slow)
	}
}

// TestFastTimesMatchTimePackage checks the hand-written date paths against
// time.Parse and time.Format on valid, impossible and odd inputs.
func TestFastTimesMatchTimePackage(t *testing.T) {
	for _, s := range []string{
		"2022-03-18", " 2022-03-18 ", "2000-02-29", "1900-02-29", "2100-02-28", "2024-02-29", "2023-02-29",
		"2022-04-31", "2022-12-31", "2022-13-01", "2022-00-10", "2022-01-00", "2022-1-018", "20x2-01-01",
		"1899-12-31", "2201-01-01", "0001-01-01", "9999-12-31", "2022/03/18", "2022-03-18 10:35:00",
		"2022-03-18T10:35:07", "2022-03-18 24:00:00", "2022-03-18 23:60:00", "2022-03-18 23:59:60",
		"2022-03-18 1:35:007", "2022-03-18X10:35:00", "2022-03-18T10:35:07Z", "2022-03-18T10:35:07.5+02:00",
		"+022-03-18", "-022-03-18", "2022-03-+8", "", "garbage",
	} {
		t.Run(s, func(t *testing.T) { checkFastTime(t, s) })
	}
}

// FuzzFastTimes compares the fast date paths with the time package on
// arbitrary text.
func FuzzFastTimes(f *testing.F) {
	for _, s := range []string{"2022-03-18", "2024-02-29 23:59:59", "2022-03-18T10:35:07", "2022-03-18T10:35:07.25Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkFastTime(t, s) })
}

// TestFIRMSIDMatchesFormat checks firmsID against the id written with
// time.Format and strings.Builder, as it was built before.
func TestFIRMSIDMatchesFormat(t *testing.T) {
	slow := func(sat string, at time.Time, timed bool, lat, lon float64) string {
		var b strings.Builder
		switch s := strings.ToUpper(strings.TrimSpace(sat)); s {
		case "":
		case "TERRA":
			b.WriteString("T/")
		case "AQUA":
			b.WriteString("A/")
		default:
			b.WriteString(s + "/")
		}
		switch {
		case !timed:
			b.WriteString(at.Format(time.DateOnly))
		case at.Second() == 0:
			b.WriteString(at.Format("2006-01-02T15:04Z"))
		default:
			b.WriteString(at.Format("2006-01-02T15:04:05Z"))
		}
		return b.String() + "/" + formatCoord(lat) + "/" + formatCoord(lon)
	}
	at := time.Date(2022, 3, 18, 10, 35, 0, 0, time.UTC)
	for _, tc := range []struct {
		sat   string
		at    time.Time
		timed bool
	}{
		{"Terra", at, true}, {" aqua ", at, true}, {"N", at.Add(7 * time.Second), true}, {"", at, false},
		{"noaa-20", time.Date(2022, 3, 18, 0, 0, 0, 0, time.UTC), true}, {"Über", at, true}, {"1", at, false},
	} {
		t.Run(tc.sat, func(t *testing.T) {
			got, want := string(appendFIRMSID(nil, tc.sat, tc.at, tc.timed, 48.1234, -0.0001)), slow(tc.sat, tc.at, tc.timed, 48.1234, -0.0001)
			if got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
