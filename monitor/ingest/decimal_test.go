package ingest

import (
	"math"
	"strconv"
	"testing"
)

// checkDecimal checks fastFloat against strconv.ParseFloat and
// appendCoordText against appendCoord on s.
func checkDecimal(t *testing.T, s string) {
	t.Helper()
	want, err := strconv.ParseFloat(s, 64)
	if v, ok := fastFloat(s); ok {
		if err != nil || math.Float64bits(v) != math.Float64bits(want) {
			t.Fatalf("fastFloat(%q) = %v, ParseFloat gives %v, %v", s, v, want, err)
		}
	}
	if err != nil {
		return
	}
	if got, want := string(appendCoordText(nil, s, want)), string(appendCoord(nil, want)); got != want {
		t.Fatalf("appendCoordText(%q) = %s, appendCoord gives %s", s, got, want)
	}
}

func TestFastFloatAndCoordText(t *testing.T) {
	for _, s := range []string{
		"48.2113", "38.2567", "-0", "-0.0", "0", "000", "0.000", "48.21130", "048.2", "-179.9999",
		".5", "-.5", "5.", ".", "-", "", "+5", "1e5", "1_0", "0x10", "inf", "NaN", " 1", "1 ",
		"123456789012345", "1234567890123456", "0.000000000000001", "0.0000000000000001",
		"999999999999999", "9.99999999999999", "0.1", "0.3", "-90", "180.000000000000",
		"17.976931348623157", "4.9406564584124654", "2.2250738585072014",
	} {
		t.Run(s, func(t *testing.T) { checkDecimal(t, s) })
	}
}

func FuzzFastFloat(f *testing.F) {
	for _, s := range []string{"48.2113", "-0.0", ".5", "123456789012345", "0.000000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkDecimal(t, s) })
}
