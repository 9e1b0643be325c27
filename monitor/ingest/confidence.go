package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Confidence values on the common 0..100 scale for the FIRMS classes. MODIS
// numeric confidence below 30 is called low, 30 to 79 nominal, 80 and above
// high; VIIRS reports only the class, which is mapped to the lowest number
// of that class.
const (
	ConfidenceLow     = 0
	ConfidenceNominal = 30
	ConfidenceHigh    = 80
)

// ParseConfidence reads a confidence value onto the 0..100 scale. It accepts
// the classes "low"/"l", "nominal"/"n" and "high"/"h" (case-insensitive,
// surrounding spaces ignored), mapped to ConfidenceLow, ConfidenceNominal
// and ConfidenceHigh, or a finite number from 0 to 100. Anything else,
// including the empty string, is an error. It is the one confidence
// parser: the configuration's min_confidence values are checked with it.
func ParseConfidence(s string) (float64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "l", "low":
		return ConfidenceLow, nil
	case "n", "nominal":
		return ConfidenceNominal, nil
	case "h", "high":
		return ConfidenceHigh, nil
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 100 {
		return 0, fmt.Errorf("%q is not low, nominal, high or a number 0..100", s)
	}
	return v, nil
}
