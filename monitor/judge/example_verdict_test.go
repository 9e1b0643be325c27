package judge_test

import (
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// A field report of shelling is single until a satellite detection 1.2 km
// away and two hours later arrives, and single again once the detection
// is withdrawn.
func ExampleCorroborator() {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c, err := judge.NewCorroborator(judge.CorroborationOptions{
		DistanceM: judge.DefaultCorroborationDistanceM, Window: judge.DefaultCorroborationWindow,
		Start: start, End: start.AddDate(0, 0, 30),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	show := func(changes []judge.TierChange, err error) {
		if err != nil {
			fmt.Println(err)
		}
		for _, ch := range changes {
			fmt.Printf("%s/%s: %q -> %q\n", ch.Source, ch.ID, ch.From, ch.To)
		}
	}
	show(c.Add(judge.Report{Source: "team-north", ID: "17", Kind: judge.Field,
		At: start.Add(10 * time.Hour), Lon: 37.80, Lat: 48.00, Violation: true}))
	show(c.Add(judge.Report{Source: "firms", ID: "d1", Kind: judge.Satellite,
		At: start.Add(12 * time.Hour), Lon: 37.80, Lat: 48.0108}))
	show(c.Remove("firms", "d1"), nil)
	// Output:
	// team-north/17: "" -> "single"
	// team-north/17: "single" -> "corroborated"
	// team-north/17: "corroborated" -> "single"
}

// A zone with lone satellite detections, consistent with its background,
// watched on 27 of 28 complete days, and whose event rate fell.
func ExampleDecide() {
	v, err := judge.Decide(judge.VerdictInput{
		Trial: "donbas-freeze", ZoneID: "UA-14",
		SingleSatellite: 310,
		Thermal: &judge.BackgroundResult{Observed: 310, Expected: 280, Lower: 120, Upper: 610,
			P: 0.41, Class: judge.Consistent, Years: 7},
		ObservedDays: 27, CompleteDays: 28, MinDaysFraction: judge.DefaultMinDaysFraction,
		Deescalation: &judge.RateRatio{Ratio: 0.25, Lower: 0.12, Upper: 0.48, Level: 0.95},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Verdict, "-", v.Text)
	for _, r := range v.Reasons {
		fmt.Printf("%s: %s\n", r.Code, r.Text)
	}
	// Output:
	// held - Held: no reported violation and no thermal excess; observed on 27 of 28 complete days.
	// single_satellite_detections: 310 satellite detections not corroborated, judged against the background only
	// thermal_consistent_with_background: 310 thermal detections against 280 expected (interval 120 to 610), p = 0.41: consistent with background
	// coverage_sufficient: observed on 27 of 28 complete days, at least 80%
	// events_rate_fell: event rate during the trial 0.25× that before it (95% interval 0.12 to 0.48)
}
