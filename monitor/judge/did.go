package judge

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/combin"
)

// CompareRatesWithControls returns the zone's rate ratio (during over
// before) divided by the controls' rate ratio over their periods: a
// difference in differences on the log scale. Below 1, the zone calmed
// more than its controls did, so a seasonal fall that hits every zone is
// not taken for de-escalation. level is the confidence level in (0, 1).
//
// The interval is exact and conditional, like that of CompareRates. With
// the four counts independent Poisson variables, the zone's count during,
// given the zone's total, the controls' total and the total during,
// follows Fisher's noncentral hypergeometric law whose odds ratio is the
// ratio of ratios times k = (zoneDuring.Days/zoneBefore.Days) /
// (ctrlDuring.Days/ctrlBefore.Days), which is 1 when zone and controls
// share the periods. The bounds are the odds ratios at which the observed
// count sits in a tail of probability (1−level)/2 (the interval of R's
// fisher.test), divided by k. Coverage is at least the level. The work
// grows with the number of tables the margins allow, at most the zone's
// total count: about 20 ms for ten thousand. Beyond MaxTables tables the
// call is refused with an error rather than left to run for minutes.
//
// Ratio is (zd·cb)/(zb·cd)/k: 0 when the numerator alone is 0, +Inf when
// the denominator alone is, NaN when both are. When the zone's count
// during is the least the margins allow (for example 0), Lower is 0; when
// it is the most (for example no zone detections before), Upper is +Inf;
// when the margins allow only one table, the interval is [0, +Inf).
// Errors are those of CompareRates, and too many tables.
func CompareRatesWithControls(zoneBefore, zoneDuring, ctrlBefore, ctrlDuring Exposure, level float64) (RateRatio, error) {
	if err := checkExposures(level, zoneBefore, zoneDuring, ctrlBefore, ctrlDuring); err != nil {
		return RateRatio{}, err
	}
	k := (zoneDuring.Days / zoneBefore.Days) / (ctrlDuring.Days / ctrlBefore.Days)
	num := float64(zoneDuring.Count) * float64(ctrlBefore.Count)
	den := float64(zoneBefore.Count) * float64(ctrlDuring.Count)
	r := RateRatio{Level: level}
	switch {
	case num == 0 && den == 0:
		r.Ratio = math.NaN()
	case den == 0:
		r.Ratio = math.Inf(1)
	default:
		r.Ratio = num / den / k
	}
	if n := tables(zoneDuring.Count, zoneBefore.Count, ctrlDuring.Count, ctrlBefore.Count); n > MaxTables {
		return RateRatio{}, fmt.Errorf("exact interval over %d tables, more than %d", n, MaxTables)
	}
	t := newTable(zoneDuring.Count, zoneBefore.Count, ctrlDuring.Count, ctrlBefore.Count)
	lo, hi := t.interval((1 - level) / 2)
	r.Lower, r.Upper = lo/k, hi/k
	return r, nil
}

// MaxTables is the most tables (values of the zone's count during that
// the margins allow) CompareRatesWithControls sums over: about two
// seconds of work and 8 MiB of memory.
const MaxTables = 1 << 20

// tables returns how many tables the margins of (zd, zb; cd, cb) allow.
func tables(zd, zb, cd, cb int) int {
	lo, hi := support(zd, zb, cd, cb)
	return hi - lo + 1
}

// support returns the least and the most the top-left cell zd can be
// given the margins: the zone's total zd+zb, the controls' total cd+cb
// and the total during zd+cd.
func support(zd, zb, cd, cb int) (lo, hi int) {
	return max(0, zd-cb), min(zd+zb, zd+cd)
}

// table is a 2×2 table of counts seen through its margins: x is the
// top-left cell (zone, during), which ranges over [min, max] given the
// margins, and logBase[i] is the log of the central hypergeometric
// weight of x = min+i.
type table struct {
	x, min, max int
	logBase     []float64
}

// newTable builds the table with rows (zd, zb) and (cd, cb).
func newTable(zd, zb, cd, cb int) table {
	rowZ, rowC, colD := zd+zb, cd+cb, zd+cd
	t := table{x: zd}
	t.min, t.max = support(zd, zb, cd, cb)
	t.logBase = make([]float64, t.max-t.min+1)
	for i := range t.logBase {
		v := float64(t.min + i)
		t.logBase[i] = combin.LogGeneralizedBinomial(float64(rowZ), v) +
			combin.LogGeneralizedBinomial(float64(rowC), float64(colD)-v)
	}
	return t
}

// tails returns Pr(X ≥ x) and Pr(X ≤ x) under the noncentral
// hypergeometric law with log odds ratio logPsi.
func (t table) tails(logPsi float64) (upper, lower float64) {
	peak := math.Inf(-1)
	for i, b := range t.logBase {
		peak = math.Max(peak, b+float64(t.min+i)*logPsi)
	}
	var total float64
	for i, b := range t.logBase {
		w := math.Exp(b + float64(t.min+i)*logPsi - peak)
		total += w
		if t.min+i >= t.x {
			upper += w
		}
		if t.min+i <= t.x {
			lower += w
		}
	}
	return upper / total, lower / total
}

// interval returns the odds ratios at which Pr(X ≥ x) and Pr(X ≤ x)
// equal tail: 0 and +Inf at the ends of the support.
func (t table) interval(tail float64) (lo, hi float64) {
	lo, hi = 0, math.Inf(1)
	if t.x > t.min {
		// Pr(X ≥ x) rises with the odds ratio.
		lo = math.Exp(solve(func(l float64) float64 { u, _ := t.tails(l); return u - tail }))
	}
	if t.x < t.max {
		// Pr(X ≤ x) falls with the odds ratio.
		hi = math.Exp(solve(func(l float64) float64 { _, d := t.tails(l); return tail - d }))
	}
	return lo, hi
}

// solve returns the root of f, increasing in the log odds ratio l, by
// bracketing and bisection to about 1e-13 in l. The root exists when the
// observed count is inside the support, as f then runs from −tail to
// 1−tail.
func solve(f func(l float64) float64) float64 {
	a, b := -1.0, 1.0
	for f(a) > 0 && a > -800 {
		a *= 2
	}
	for f(b) < 0 && b < 800 {
		b *= 2
	}
	for range 200 {
		m := (a + b) / 2
		if m == a || m == b || b-a < 1e-13 {
			break
		}
		if f(m) < 0 {
			a = m
		} else {
			b = m
		}
	}
	return (a + b) / 2
}
