package judge

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {0.00123, "0.00123"}, {0.000123, "0.000123"}, {0.00001234, "< 0.0001"}, {-0.00001, "> −0.0001"},
		{12.5, "12.5"}, {12.345, "12.3"}, {999.4, "999"}, {999.6, "1000"}, {1183.6, "1184"},
		{-1183.6, "-1184"}, {2.5e10, "25000000000"}, {math.Inf(1), "∞"}, {math.Inf(-1), "−∞"}, {math.NaN(), "n/a"},
	} {
		t.Run(strconv.FormatFloat(c.in, 'g', -1, 64), func(t *testing.T) {
			if got := FormatNumber(c.in); got != c.want {
				t.Errorf("FormatNumber(%v) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestReasonsPlainNumbers: a background of 1180 expected detections and a
// p-value of 2e-7 read as plain numbers in the reasons and the summary.
func TestReasonsPlainNumbers(t *testing.T) {
	v, err := Decide(VerdictInput{Trial: "t", ZoneID: "z", ObservedDays: 10, CompleteDays: 10, MinDaysFraction: 0.8,
		Thermal: &BackgroundResult{Observed: 2400, Expected: 1180.4, Lower: 950.2, Upper: 1466.7, P: 2e-7, Class: Above}})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{v.Text}
	for _, r := range v.Reasons {
		texts = append(texts, r.Text)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"2400 thermal detections against 1180 expected (interval 950 to 1467), p < 0.0001",
		"where the background predicts 1180."} {
		if !strings.Contains(all, want) {
			t.Errorf("reasons lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "e+") || strings.Contains(all, "e-") {
		t.Errorf("e-notation in the reasons:\n%s", all)
	}
}
