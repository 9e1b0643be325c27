package ingest

import (
	"strconv"
	"time"
)

// The decoders read and write millions of dates in a handful of fixed
// shapes; time.Parse and time.Format, which interpret a layout each call,
// cost more than the rest of a row. These functions handle the common
// shapes by hand and leave every other input, including every invalid one,
// to the time package, so that results and error messages stay those of
// time.Parse and time.Format.

// fastDate reads "YYYY-MM-DD" as midnight UTC. ok is false when s has
// another shape or is no real date; the caller then asks time.Parse.
func fastDate(s string) (t time.Time, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// fastDateTime reads "YYYY-MM-DD hh:mm:ss", or with sep 'T' in place of the
// space, as UTC; ok is false as for fastDate.
func fastDateTime(s string, sep byte) (t time.Time, ok bool) {
	if len(s) != 19 || s[10] != sep || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	day, ok := fastDate(s[:10])
	h, ok1 := digits(s[11:13])
	m, ok2 := digits(s[14:16])
	sec, ok3 := digits(s[17:19])
	if !ok || !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 59 {
		return time.Time{}, false
	}
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second), true
}

// digits reads a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days of month m in year y.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// appendInstant appends t (UTC) as formatInstant writes it: a date at
// midnight, minutes when seconds are zero, else RFC 3339 with fraction.
func appendInstant(dst []byte, t time.Time) []byte {
	t = t.UTC()
	h, m, s := t.Clock()
	switch {
	case t.Nanosecond() != 0:
		return t.AppendFormat(dst, time.RFC3339Nano)
	case h == 0 && m == 0 && s == 0:
		return appendDate(dst, t)
	}
	return appendClock(appendDate(dst, t), t, s != 0)
}

// appendDate appends the date of t (UTC) as "2006-01-02".
func appendDate(dst []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(dst, time.DateOnly)
	}
	dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	return append(dst, byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendClock appends "T15:04Z", or with seconds "T15:04:05Z", of t (UTC).
func appendClock(dst []byte, t time.Time, seconds bool) []byte {
	h, m, s := t.Clock()
	dst = append(dst, 'T', byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10))
	if seconds {
		dst = append(dst, ':', byte('0'+s/10), byte('0'+s%10))
	}
	return append(dst, 'Z')
}

// appendCoord appends v as formatCoord writes it.
func appendCoord(dst []byte, v float64) []byte {
	if v == 0 {
		return append(dst, '0')
	}
	return strconv.AppendFloat(dst, v, 'f', -1, 64)
}
