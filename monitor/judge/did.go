package judge

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// CompareRatesWithControls returns the zone's rate ratio (during over
// before) divided by the controls' rate ratio over the same periods: a
// difference in differences on the log scale. Below 1, the zone calmed
// more than its controls did, so a seasonal fall that hits every zone is
// not taken for de-escalation. level is the confidence level in (0, 1).
//
// The interval is APPROXIMATE (Exact is false): the log of the ratio of
// ratios, log(zd·cb/(zb·cd)) with the days cancelling when zone and
// controls share the periods, has a large-sample variance of
// 1/zb + 1/zd + 1/cb + 1/cd for independent Poisson counts (delta
// method), and the interval is exp(log ratio ± z·√variance) with z the
// normal quantile. When any of the four counts is 0, 0.5 is added to all
// of them, for the ratio and the interval alike (the Haldane–Anscombe
// correction), so both stay finite. An exact conditional interval exists
// (the four counts given their margins follow Fisher's noncentral
// hypergeometric law with the ratio of ratios as its odds ratio) but is
// not what this computes. The approximation is poor with counts below
// about 5 in any cell; it is good for thermal detections in control
// zones, which run to hundreds.
//
// Errors are those of CompareRates.
func CompareRatesWithControls(zoneBefore, zoneDuring, ctrlBefore, ctrlDuring Exposure, level float64) (RateRatio, error) {
	if err := checkExposures(level, zoneBefore, zoneDuring, ctrlBefore, ctrlDuring); err != nil {
		return RateRatio{}, err
	}
	zb, zd := float64(zoneBefore.Count), float64(zoneDuring.Count)
	cb, cd := float64(ctrlBefore.Count), float64(ctrlDuring.Count)
	if zb == 0 || zd == 0 || cb == 0 || cd == 0 {
		zb, zd, cb, cd = zb+0.5, zd+0.5, cb+0.5, cd+0.5
	}
	logRatio := math.Log(zd/zoneDuring.Days) - math.Log(zb/zoneBefore.Days) -
		(math.Log(cd/ctrlDuring.Days) - math.Log(cb/ctrlBefore.Days))
	se := math.Sqrt(1/zb + 1/zd + 1/cb + 1/cd)
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	return RateRatio{
		Ratio: math.Exp(logRatio),
		Lower: math.Exp(logRatio - z*se),
		Upper: math.Exp(logRatio + z*se),
		Level: level,
	}, nil
}
