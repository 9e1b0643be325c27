package judge

import (
	"math"
	"strconv"
)

// FormatNumber writes a figure for people as a plain number, never in
// e-notation: whole from 1000 on (1180, not 1.18e+03), else rounded to
// three significant digits (12.3, 0.00123). Magnitudes below 0.0001 other
// than 0 print as "< 0.0001" (or "> −0.0001"), which is all a p-value that
// small needs to say; infinities and NaN print as "∞", "−∞" and "n/a".
// The verdicts' reasons and the trial report both print with it.
func FormatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "n/a"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return "−∞"
	case f == 0:
		return "0"
	case f > 0 && f < 1e-4:
		return "< 0.0001"
	case f < 0 && f > -1e-4:
		return "> −0.0001"
	}
	if math.Abs(f) >= 1000 {
		return strconv.FormatFloat(math.Round(f), 'f', 0, 64)
	}
	// Three significant digits; a rounding up to 1000 stays plain.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 3, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// pText says a p-value: "p = 0.0123", or "p < 0.0001".
func pText(p float64) string {
	if s := FormatNumber(p); s != "< 0.0001" {
		return "p = " + s
	}
	return "p < 0.0001"
}
