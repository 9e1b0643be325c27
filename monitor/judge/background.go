package judge

import (
	"errors"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Class is the verdict of the background test on one zone and window.
type Class string

// The classes of the background test.
const (
	// Above means the zone had more detections than its background
	// predicts: the one-sided p-value for "more" is below alpha.
	Above Class = "above"
	// Consistent means neither one-sided test rejected.
	Consistent Class = "consistent"
	// Below means the zone had fewer detections than its background
	// predicts: the one-sided p-value for "fewer" is below alpha.
	Below Class = "below"
)

// ErrTooFewYears is returned when fewer than two reference years remain
// after the ones overlapping the trial window are left out: with one year
// there is no spread to predict from, and the test is undefined.
var ErrTooFewYears = errors.New("fewer than two reference years")

// Sample is what one window contributes to the background test: the
// detections in the trial zone and in its control zones, counted over the
// half-open window [Start, End).
type Sample struct {
	Start, End time.Time
	// Zone is the number of detections in the trial zone (≥ 0).
	Zone int
	// Controls is the number of detections in all control zones together
	// (≥ 0).
	Controls int
}

// Overlaps reports whether the half-open windows of s and o share an
// instant. An empty window (End not after Start) overlaps nothing.
func (s Sample) Overlaps(o Sample) bool {
	return s.Start.Before(o.End) && o.Start.Before(s.End) &&
		s.Start.Before(s.End) && o.Start.Before(o.End)
}

// logRatio is log((Zone+1)/(Controls+1)); the +1 keeps empty windows
// finite. The quotient is taken before the logarithm so that equal ratios
// of different counts (1/10, 2/20) give the same number exactly.
func (s Sample) logRatio() float64 {
	return math.Log((float64(s.Zone) + 1) / (float64(s.Controls) + 1))
}

// BackgroundOptions tunes Background.
type BackgroundOptions struct {
	// Alpha is the level of each one-sided test, in (0, 0.5).
	Alpha float64
	// MinSD is a floor on the standard deviation of the reference log
	// ratios (natural log units, ≥ 0). Zero means no floor; see Background
	// for what happens when the reference ratios do not vary.
	MinSD float64
}

// BackgroundResult is the outcome of the background test. Counts are
// detections over the trial window; log ratios are natural logs.
type BackgroundResult struct {
	// Observed is the trial zone's count.
	Observed int
	// Expected is the count the background predicts for the zone given
	// its controls: (controls+1)·exp(mean reference log ratio) − 1.
	Expected float64
	// Lower and Upper bound the central 1−2α prediction interval on the
	// count scale, clamped at 0 below: Observed above Upper is exactly
	// Above, below Lower exactly Below.
	Lower, Upper float64
	// P is the one-sided p-value for "more than background"; PBelow the
	// one for "fewer". They sum to 1.
	P, PBelow float64
	// Class is Above when P < α, Below when PBelow < α, else Consistent.
	Class Class
	// Years is the number of reference years used, after leaving out the
	// ones overlapping the trial window; the test has Years−1 degrees of
	// freedom.
	Years int
	// LogRatio is the trial's log((zone+1)/(controls+1)); Mean and SD are
	// the mean and sample standard deviation (after the MinSD floor) of
	// the reference years' log ratios.
	LogRatio, Mean, SD float64
}

// Background tests trial's zone count against its seasonal background:
// the same calendar window in reference years, with control zones
// absorbing what hits every zone in a year (weather, harvest timing,
// satellite changes).
//
// Per reference year y, r_y = log((zone_y+1)/(controls_y+1)); for the
// trial, r_t likewise. With n reference years of mean m and sample
// standard deviation s (floored at opts.MinSD), r_t is compared with a
// Student-t prediction distribution of n−1 degrees of freedom, centre m
// and scale s·√(1+1/n): P = Pr(T ≥ t), PBelow = Pr(T ≤ t) with
// t = (r_t − m)/(s·√(1+1/n)). The test assumes the reference log ratios
// are independent draws from a normal distribution that the trial ratio
// also follows when nothing unusual happens.
//
// A reference sample whose window overlaps the trial's is left out, so a
// trial is never judged against itself. Fewer than two remaining years
// return ErrTooFewYears. When the reference ratios do not vary (s = 0)
// and MinSD is 0, the prediction interval collapses onto Expected: a
// trial ratio above it has P = 0, below it P = 1, and equal to it
// P = PBelow = 0.5. Negative counts and α outside (0, 0.5) are errors.
//
// To judge the days elapsed of a trial window as well as the whole
// window, call Background twice, each time with every sample cut to the
// same part of the calendar window.
func Background(trial Sample, refs []Sample, opts BackgroundOptions) (BackgroundResult, error) {
	if err := opts.check(); err != nil {
		return BackgroundResult{}, err
	}
	if err := trial.check(); err != nil {
		return BackgroundResult{}, fmt.Errorf("trial: %w", err)
	}
	rs := make([]float64, 0, len(refs))
	for i, ref := range refs {
		if err := ref.check(); err != nil {
			return BackgroundResult{}, fmt.Errorf("reference %d: %w", i, err)
		}
		if !ref.Overlaps(trial) {
			rs = append(rs, ref.logRatio())
		}
	}
	if len(rs) < 2 {
		return BackgroundResult{}, fmt.Errorf("background: %w (%d usable of %d)", ErrTooFewYears, len(rs), len(refs))
	}
	res := BackgroundResult{Observed: trial.Zone, Years: len(rs), LogRatio: trial.logRatio()}
	res.Mean, res.SD = meanSD(rs)
	res.SD = math.Max(res.SD, opts.MinSD)
	n := float64(len(rs))
	se := res.SD * math.Sqrt(1+1/n)
	tdist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}
	res.P, res.PBelow = tails(tdist, res.LogRatio-res.Mean, se)
	q := tdist.Quantile(1 - opts.Alpha)
	toCount := func(logRatio float64) float64 {
		return math.Max(0, (float64(trial.Controls)+1)*math.Exp(logRatio)-1)
	}
	res.Expected = toCount(res.Mean)
	res.Lower, res.Upper = toCount(res.Mean-q*se), toCount(res.Mean+q*se)
	switch {
	case res.P < opts.Alpha:
		res.Class = Above
	case res.PBelow < opts.Alpha:
		res.Class = Below
	default:
		res.Class = Consistent
	}
	return res, nil
}

// tails returns Pr(T ≥ d/se) and Pr(T ≤ d/se) for T distributed as
// tdist, with the limits of Background's doc comment when se is 0.
func tails(tdist distuv.StudentsT, d, se float64) (above, below float64) {
	switch {
	case se > 0:
		return tdist.Survival(d / se), tdist.CDF(d / se)
	case d > 0:
		return 0, 1
	case d < 0:
		return 1, 0
	}
	return 0.5, 0.5
}

// meanSD returns the mean and the sample standard deviation (divisor
// n−1) of xs, which has at least two elements. The mean is taken as
// offsets from xs[0], so identical values give exactly that value and a
// standard deviation of exactly 0.
func meanSD(xs []float64) (mean, sd float64) {
	var sum float64
	for _, x := range xs {
		sum += x - xs[0]
	}
	off := sum / float64(len(xs))
	var ss float64
	for _, x := range xs {
		d := x - xs[0] - off
		ss += d * d
	}
	return xs[0] + off, math.Sqrt(ss / float64(len(xs)-1))
}

func (o BackgroundOptions) check() error {
	if !(o.Alpha > 0 && o.Alpha < 0.5) {
		return fmt.Errorf("alpha %v not in (0, 0.5)", o.Alpha)
	}
	if !(o.MinSD >= 0) || math.IsInf(o.MinSD, 1) {
		return fmt.Errorf("minimum standard deviation %v not finite and ≥ 0", o.MinSD)
	}
	return nil
}

func (s Sample) check() error {
	if s.Zone < 0 || s.Controls < 0 {
		return fmt.Errorf("negative count (zone %d, controls %d)", s.Zone, s.Controls)
	}
	return nil
}
