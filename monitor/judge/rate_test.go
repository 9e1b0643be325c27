package judge_test

import (
	"math"
	"testing"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// TestCompareRatesReference checks the exact interval against values
// computed independently of gonum and of the Beta–binomial identity the
// code relies on: for each case, the Clopper–Pearson bounds on
// p = during/(before+during) were found by bisection (200 halvings) on the
// binomial tail sums themselves, P(X ≥ x; n, p) = 0.025 for the lower and
// P(X ≤ x; n, p) = 0.025 for the upper bound, evaluated term by term in
// 40-digit arithmetic with Python's mpmath, then mapped to the rate ratio
// with p/(1−p)·before.Days/during.Days. The first case is the
// two-sample example of R's poisson.test, whose printed interval
// 0.8584264 4.2772659 agrees to every digit shown.
func TestCompareRatesReference(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name                string
		before, during      judge.Exposure
		ratio, lower, upper float64
	}{
		{"R poisson.test example", judge.Exposure{Count: 21, Days: 3011}, judge.Exposure{Count: 11, Days: 800},
			11.0 / 800 / (21.0 / 3011), 0.85842640339163967, 4.2772659436540744},
		{"fall from 10 to 3", judge.Exposure{Count: 10, Days: 30}, judge.Exposure{Count: 3, Days: 30},
			0.3, 0.053053990484763229, 1.1651186104840496},
		{"none before", judge.Exposure{Count: 0, Days: 30}, judge.Exposure{Count: 5, Days: 30},
			inf, 0.91635585731545962, inf},
		{"none during", judge.Exposure{Count: 7, Days: 30}, judge.Exposure{Count: 0, Days: 10},
			0, 0, 2.081441940289358},
		{"large counts, unequal periods", judge.Exposure{Count: 1000, Days: 30}, judge.Exposure{Count: 900, Days: 12},
			2.25, 2.0539433942693856, 2.464499234950416},
		{"one and one", judge.Exposure{Count: 1, Days: 1}, judge.Exposure{Count: 1, Days: 1},
			1, 0.012739367083666616, 78.496835316262998},
		{"fall from 50 to 20", judge.Exposure{Count: 50, Days: 30}, judge.Exposure{Count: 20, Days: 30},
			0.4, 0.2255586960584133, 0.68411918938816417},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := judge.CompareRates(tc.before, tc.during, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if got.Level != 0.95 {
				t.Errorf("Level = %v, want 0.95", got.Level)
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"ratio", got.Ratio, tc.ratio}, {"lower", got.Lower, tc.lower}, {"upper", got.Upper, tc.upper}} {
				if !near(c.got, c.want, 1e-9) {
					t.Errorf("%s = %.17g, want %.17g", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestCompareRatesEdges(t *testing.T) {
	t.Run("nothing in either period", func(t *testing.T) {
		got, err := judge.CompareRates(judge.Exposure{Days: 30}, judge.Exposure{Days: 5}, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(got.Ratio) || got.Lower != 0 || !math.IsInf(got.Upper, 1) {
			t.Errorf("got %+v, want ratio NaN in [0, +Inf)", got)
		}
	})
	t.Run("higher level is wider", func(t *testing.T) {
		b, d := judge.Exposure{Count: 40, Days: 30}, judge.Exposure{Count: 25, Days: 30}
		r95, err1 := judge.CompareRates(b, d, 0.95)
		r99, err2 := judge.CompareRates(b, d, 0.99)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !(r99.Lower < r95.Lower && r95.Upper < r99.Upper) {
			t.Errorf("99%% [%v, %v] does not contain 95%% [%v, %v]", r99.Lower, r99.Upper, r95.Lower, r95.Upper)
		}
	})
	for _, tc := range []struct {
		name           string
		before, during judge.Exposure
		level          float64
	}{
		{"negative count", judge.Exposure{Count: -1, Days: 30}, judge.Exposure{Count: 1, Days: 30}, 0.95},
		{"count beyond 2^53", judge.Exposure{Count: 1<<53 + 1, Days: 30}, judge.Exposure{Count: 1, Days: 30}, 0.95},
		{"zero days", judge.Exposure{Count: 1, Days: 30}, judge.Exposure{Count: 1}, 0.95},
		{"infinite days", judge.Exposure{Count: 1, Days: math.Inf(1)}, judge.Exposure{Count: 1, Days: 1}, 0.95},
		{"NaN days", judge.Exposure{Count: 1, Days: math.NaN()}, judge.Exposure{Count: 1, Days: 1}, 0.95},
		{"level 1", judge.Exposure{Count: 1, Days: 30}, judge.Exposure{Count: 1, Days: 30}, 1},
		{"level 0", judge.Exposure{Count: 1, Days: 30}, judge.Exposure{Count: 1, Days: 30}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := judge.CompareRates(tc.before, tc.during, tc.level); err == nil {
				t.Errorf("got %+v, want an error", got)
			}
			if got, err := judge.CompareRatesWithControls(tc.before, tc.during, tc.before, tc.during, tc.level); err == nil {
				t.Errorf("with controls: got %+v, want an error", got)
			}
		})
	}
}

// TestCompareRatesWithControls checks the exact conditional interval
// against values computed independently of gonum, the same way as for
// TestCompareRatesReference: with Python's mpmath in 40-digit arithmetic,
// the noncentral hypergeometric tails were summed term by term from
// binomial coefficients and the odds ratios where they equal 0.025 found
// by bisection (150 halvings on the log odds ratio), then divided by the
// ratio of the periods' lengths. The first case is R's TeaTasting table.
func TestCompareRatesWithControls(t *testing.T) {
	inf := math.Inf(1)
	ex := func(n int, days float64) judge.Exposure { return judge.Exposure{Count: n, Days: days} }
	for _, tc := range []struct {
		name                string
		zb, zd, cb, cd      judge.Exposure
		ratio, lower, upper float64
	}{
		{"tea tasting", ex(1, 1), ex(3, 1), ex(3, 1), ex(1, 1), 9, 0.21173559544657857, 626.24353058881404},
		{"zone halves, controls steady", ex(100, 30), ex(50, 30), ex(1000, 30), ex(1000, 30),
			0.5, 0.34478969282189741, 0.71792614807402695},
		{"zone follows controls", ex(100, 30), ex(50, 30), ex(1000, 30), ex(500, 30),
			1, 0.68546854677011094, 1.4441218309795154},
		{"none during", ex(9, 30), ex(0, 30), ex(99, 30), ex(99, 30), 0, 0, 0.52559148314346114},
		{"none before", ex(0, 30), ex(5, 30), ex(50, 30), ex(40, 30), inf, 1.067876723425506, inf},
		{"small counts", ex(10, 30), ex(3, 30), ex(12, 30), ex(15, 30), 0.24, 0.035858204205270774, 1.2622677102726936},
		{"thermal fall", ex(400, 30), ex(90, 30), ex(5000, 30), ex(3000, 30), 0.375, 0.29365501019667497, 0.47477037801765781},
		{"zone periods differ from the controls'", ex(100, 30), ex(20, 10), ex(600, 30), ex(100, 20),
			(20.0 / 10 / (100.0 / 30)) / (100.0 / 20 / (600.0 / 30)), 1.3430363220650628, 4.1225288703468839},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := judge.CompareRatesWithControls(tc.zb, tc.zd, tc.cb, tc.cd, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got.Ratio, tc.ratio, 1e-12) || !near(got.Lower, tc.lower, 1e-9) || !near(got.Upper, tc.upper, 1e-9) {
				t.Errorf("got %+v, want %.17g in [%.17g, %.17g]", got, tc.ratio, tc.lower, tc.upper)
			}
		})
	}
	t.Run("too many tables", func(t *testing.T) {
		// The zone's count during can be anything from 0 to its total,
		// MaxTables: one table too many.
		n := judge.MaxTables
		if got, err := judge.CompareRatesWithControls(ex(n/2, 30), ex(n/2, 30), ex(n, 30), ex(1<<40, 30), 0.95); err == nil {
			t.Errorf("got %+v, want an error", got)
		}
	})
	t.Run("nothing at all", func(t *testing.T) {
		got, err := judge.CompareRatesWithControls(ex(0, 30), ex(0, 30), ex(0, 30), ex(0, 30), 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(got.Ratio) || got.Lower != 0 || !math.IsInf(got.Upper, 1) {
			t.Errorf("got %+v, want ratio NaN in [0, +Inf)", got)
		}
	})
}

// near reports whether got is want within relative tolerance tol, with
// infinities and zeros compared exactly.
func near(got, want, tol float64) bool {
	if math.IsInf(want, 0) || want == 0 {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}
