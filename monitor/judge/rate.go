package judge

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Exposure is a count of events over a period, for a Poisson rate.
type Exposure struct {
	// Count is the number of events, from 0 to 2^53 (beyond which a
	// float64 no longer holds every count).
	Count int
	// Days is the length of the period in days (> 0, finite).
	Days float64
}

// RateRatio is the ratio of the event rate during a trial to the rate
// before it, with a confidence interval. A ratio below 1 is
// de-escalation.
type RateRatio struct {
	// Ratio is (during.Count/during.Days) / (before.Count/before.Days):
	// 0 when nothing happened during, +Inf when nothing happened before
	// but something during, NaN when nothing happened in either period.
	Ratio float64
	// Lower and Upper bound the exact confidence interval; Upper may be
	// +Inf.
	Lower, Upper float64
	// Level is the confidence level, for example 0.95.
	Level float64
}

// CompareRates returns the ratio of the rate during to the rate before,
// with the exact conditional interval at the given confidence level in
// (0, 1).
//
// The counts are taken as independent Poisson variables. Given their sum
// n, the count during is binomial with n trials and probability
// p = ρ·e/(1+ρ·e), where ρ is the rate ratio and e = during.Days /
// before.Days. The Clopper–Pearson interval for p (quantiles of Beta
// distributions) is mapped to ρ = p/(1−p)/e, so the coverage is at least
// the level for every true ratio. This is the interval R's poisson.test
// gives for two samples.
//
// Edge cases: with no events during, Lower is 0; with none before, Upper
// is +Inf; with none in either period, Ratio is NaN and the interval is
// [0, +Inf), as the data say nothing. Negative counts, days not positive
// and finite, and levels outside (0, 1) are errors.
func CompareRates(before, during Exposure, level float64) (RateRatio, error) {
	if err := checkExposures(level, before, during); err != nil {
		return RateRatio{}, err
	}
	x, n := float64(during.Count), float64(before.Count+during.Count)
	tail := (1 - level) / 2
	pLo, pHi := 0.0, 1.0
	if during.Count > 0 {
		pLo = distuv.Beta{Alpha: x, Beta: n - x + 1}.Quantile(tail)
	}
	if before.Count > 0 {
		pHi = distuv.Beta{Alpha: x + 1, Beta: n - x}.Quantile(1 - tail)
	}
	e := during.Days / before.Days
	odds := func(p float64) float64 {
		if p >= 1 {
			return math.Inf(1)
		}
		return p / (1 - p) / e
	}
	return RateRatio{
		Ratio: ratio(during.Count, during.Days, before.Count, before.Days),
		Lower: odds(pLo),
		Upper: odds(pHi),
		Level: level,
	}, nil
}

// ratio is (a/aDays)/(b/bDays) with the conventions of RateRatio.Ratio.
func ratio(a int, aDays float64, b int, bDays float64) float64 {
	switch {
	case a == 0 && b == 0:
		return math.NaN()
	case b == 0:
		return math.Inf(1)
	}
	return float64(a) / aDays / (float64(b) / bDays)
}

func checkExposures(level float64, es ...Exposure) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("confidence level %v not in (0, 1)", level)
	}
	for _, e := range es {
		if e.Count < 0 || e.Count > 1<<53 {
			return fmt.Errorf("count %d not in [0, 2^53]", e.Count)
		}
		if !(e.Days > 0) || math.IsInf(e.Days, 1) {
			return fmt.Errorf("period of %v days not positive and finite", e.Days)
		}
	}
	return nil
}
