package judge_test

import (
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// A zone judged over August against the same month of three earlier
// years, with the other zones as controls.
func ExampleBackground() {
	window := func(year, zone, controls int) judge.Sample {
		start := time.Date(year, 8, 1, 0, 0, 0, 0, time.UTC)
		return judge.Sample{Start: start, End: start.AddDate(0, 1, 0), Zone: zone, Controls: controls}
	}
	refs := []judge.Sample{
		window(2019, 2793, 21000),
		window(2020, 1800, 15500),
		window(2021, 2511, 19800),
	}
	res, err := judge.Background(window(2022, 4200, 12000), refs, judge.BackgroundOptions{Alpha: 0.05})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("observed %d, expected %.0f, 90%% prediction interval [%.0f, %.0f]\n",
		res.Observed, res.Expected, res.Lower, res.Upper)
	fmt.Printf("p = %.4f over %d years: %s\n", res.P, res.Years, res.Class)
	// Output:
	// observed 4200, expected 1501, 90% prediction interval [1190, 1893]
	// p = 0.0030 over 3 years: above
}

// Incidents in a zone over the 30 days before a trial and its first ten
// days.
func ExampleCompareRates() {
	before := judge.Exposure{Count: 42, Days: 30}
	during := judge.Exposure{Count: 3, Days: 10}
	r, err := judge.CompareRates(before, during, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("rate ratio %.3f, exact 95%% interval [%.3f, %.3f]\n", r.Ratio, r.Lower, r.Upper)
	// Output:
	// rate ratio 0.214, exact 95% interval [0.042, 0.671]
}

// Thermal detections in a zone and in its controls, 30 days before and
// 30 days into a trial: the zone fell further than the season explains.
func ExampleCompareRatesWithControls() {
	days := func(n int) judge.Exposure { return judge.Exposure{Count: n, Days: 30} }
	r, err := judge.CompareRatesWithControls(days(400), days(90), days(5000), days(3000), 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("ratio of ratios %.3f, exact 95%% interval [%.3f, %.3f]\n", r.Ratio, r.Lower, r.Upper)
	// Output:
	// ratio of ratios 0.375, exact 95% interval [0.294, 0.475]
}
