package judge_test

import (
	"math"
	"testing"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// FuzzBackground checks the invariants of the background test on any
// counts: the p-values are probabilities summing to 1, the interval
// holds the expectation, and the class agrees with the interval.
func FuzzBackground(f *testing.F) {
	f.Add(uint16(40), uint16(900), uint16(30), uint16(800), uint16(50), uint16(1200), uint16(20), uint16(700), 0.05, 0.0)
	f.Add(uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), 0.01, 0.0)
	f.Add(uint16(9), uint16(99), uint16(19), uint16(199), uint16(4), uint16(49), uint16(9), uint16(99), 0.2, 0.3)
	f.Fuzz(func(t *testing.T, z, c, z1, c1, z2, c2, z3, c3 uint16, alpha, minSD float64) {
		refs := []judge.Sample{
			august(2019, int(z1), int(c1)), august(2020, int(z2), int(c2)), august(2021, int(z3), int(c3)),
		}
		res, err := judge.Background(august(2022, int(z), int(c)), refs, judge.BackgroundOptions{Alpha: alpha, MinSD: minSD})
		if err != nil {
			if alpha > 0 && alpha < 0.5 && minSD >= 0 && !math.IsInf(minSD, 1) {
				t.Fatalf("valid options refused: %v", err)
			}
			return
		}
		if !(res.P >= 0 && res.P <= 1 && math.Abs(res.P+res.PBelow-1) < 1e-12) {
			t.Fatalf("P %v, PBelow %v", res.P, res.PBelow)
		}
		if !(res.Lower <= res.Expected && res.Expected <= res.Upper) {
			t.Fatalf("expected %v outside [%v, %v]", res.Expected, res.Lower, res.Upper)
		}
		if res.Class == judge.Above && res.Observed < int(res.Expected) {
			t.Fatalf("above with %d observed, %v expected", res.Observed, res.Expected)
		}
	})
}

// FuzzCompareRatesWithControls checks that both functions accept and
// refuse the same periods, and that each ratio lies in its interval,
// which starts at 0 or above.
func FuzzCompareRatesWithControls(f *testing.F) {
	f.Add(uint16(100), uint16(50), uint16(1000), uint16(700), 30.0, 10.0)
	f.Add(uint16(0), uint16(0), uint16(0), uint16(0), 1.0, 1.0)
	f.Add(uint16(0), uint16(5), uint16(3), uint16(0), 30.0, 30.0)
	f.Fuzz(func(t *testing.T, zb, zd, cb, cd uint16, before, during float64) {
		ex := func(n uint16, days float64) judge.Exposure { return judge.Exposure{Count: int(n), Days: days} }
		plain, err1 := judge.CompareRates(ex(zb, before), ex(zd, during), 0.95)
		rel, err2 := judge.CompareRatesWithControls(ex(zb, before), ex(zd, during), ex(cb, before), ex(cd, during), 0.95)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("errors disagree: %v, %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		for _, r := range []judge.RateRatio{plain, rel} {
			if !(r.Lower >= 0 && r.Lower <= r.Upper) || (!math.IsNaN(r.Ratio) && !(r.Lower <= r.Ratio && r.Ratio <= r.Upper)) {
				t.Fatalf("%+v: ratio outside its interval", r)
			}
		}
	})
}
