package judge_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// TestDecide checks the precedence of the verdicts and the reasons listed
// with each, which include the findings that did not decide.
func TestDecide(t *testing.T) {
	above := &judge.BackgroundResult{Observed: 420, Expected: 180, Lower: 100, Upper: 300, P: 0.003, Class: judge.Above, Years: 6}
	consistent := &judge.BackgroundResult{Observed: 150, Expected: 180, Lower: 100, Upper: 300, P: 0.6, Class: judge.Consistent, Years: 6}
	base := judge.VerdictInput{Trial: "t", ZoneID: "UA-14", ObservedDays: 30, CompleteDays: 30, MinDaysFraction: 0.8}
	with := func(f func(*judge.VerdictInput)) judge.VerdictInput {
		in := base
		f(&in)
		return in
	}
	tests := []struct {
		name    string
		in      judge.VerdictInput
		want    judge.State
		reasons []judge.ReasonCode
	}{
		{"nothing happened", base, judge.Held, []judge.ReasonCode{judge.ReasonCoverageEnough}},
		{"corroborated outranks all", with(func(in *judge.VerdictInput) {
			in.Corroborated, in.Single, in.Thermal, in.ObservedDays = 1, 2, above, 3
		}), judge.Violated, []judge.ReasonCode{
			judge.ReasonCorroborated, judge.ReasonSingle, judge.ReasonThermalAbove, judge.ReasonCoverageShort}},
		{"single outranks thermal excess and coverage", with(func(in *judge.VerdictInput) {
			in.Single, in.Thermal, in.ObservedDays = 1, above, 0
		}), judge.Reported, []judge.ReasonCode{judge.ReasonSingle, judge.ReasonThermalAbove, judge.ReasonCoverageShort}},
		{"lone satellite detections against a consistent background", with(func(in *judge.VerdictInput) {
			in.SingleSatellite, in.Thermal = 150, consistent
		}), judge.Held, []judge.ReasonCode{
			judge.ReasonSingleSatellite, judge.ReasonThermalConsistent, judge.ReasonCoverageEnough}},
		{"satellite detections above background", with(func(in *judge.VerdictInput) {
			in.SingleSatellite, in.Thermal = 420, above
		}), judge.ThermalExcess, []judge.ReasonCode{
			judge.ReasonSingleSatellite, judge.ReasonThermalAbove, judge.ReasonCoverageEnough}},
		{"thermal excess outranks coverage", with(func(in *judge.VerdictInput) {
			in.Thermal, in.ObservedDays = above, 1
		}), judge.ThermalExcess, []judge.ReasonCode{judge.ReasonThermalAbove, judge.ReasonCoverageShort}},
		{"24 of 30 days at 0.8 is enough", with(func(in *judge.VerdictInput) { in.ObservedDays = 24 }),
			judge.Held, []judge.ReasonCode{judge.ReasonCoverageEnough}},
		{"23 of 30 days at 0.8 is not", with(func(in *judge.VerdictInput) { in.ObservedDays = 23 }),
			judge.InsufficientCoverage, []judge.ReasonCode{judge.ReasonCoverageShort}},
		{"no complete day", with(func(in *judge.VerdictInput) { in.ObservedDays, in.CompleteDays = 0, 0 }),
			judge.InsufficientCoverage, []judge.ReasonCode{judge.ReasonNoCompleteDay}},
		{"background not computed", with(func(in *judge.VerdictInput) { in.ThermalNote = "fewer than two reference years" }),
			judge.Held, []judge.ReasonCode{judge.ReasonNoBackground, judge.ReasonCoverageEnough}},
		{"de-escalation", with(func(in *judge.VerdictInput) {
			in.Deescalation = &judge.RateRatio{Ratio: 0.4, Lower: 0.2, Upper: 0.7, Level: 0.95}
			in.ThermalDeescalation = &judge.RateRatio{Ratio: 1.5, Lower: 1.1, Upper: 2, Level: 0.95}
		}), judge.Held, []judge.ReasonCode{judge.ReasonCoverageEnough, judge.ReasonEventsFell, judge.ReasonThermalRose}},
		{"no events in either period", with(func(in *judge.VerdictInput) {
			in.Deescalation = &judge.RateRatio{Ratio: math.NaN(), Upper: math.Inf(1), Level: 0.95}
		}), judge.Held, []judge.ReasonCode{judge.ReasonCoverageEnough}},
		{"unchanged rate", with(func(in *judge.VerdictInput) {
			in.Deescalation = &judge.RateRatio{Ratio: 0, Upper: 3.7, Level: 0.95}
		}), judge.Held, []judge.ReasonCode{judge.ReasonCoverageEnough, judge.ReasonEventsUnclear}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := judge.Decide(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if v.Verdict != tt.want {
				t.Errorf("verdict %q, want %q", v.Verdict, tt.want)
			}
			var codes []judge.ReasonCode
			for _, r := range v.Reasons {
				codes = append(codes, r.Code)
				if r.Text == "" {
					t.Errorf("reason %s has no text", r.Code)
				}
			}
			if !slices.Equal(codes, tt.reasons) {
				t.Errorf("reasons %q, want %q", codes, tt.reasons)
			}
			if v.Text == "" {
				t.Error("no text")
			}
		})
	}
}

// TestDecideErrors checks that inconsistent inputs are refused.
func TestDecideErrors(t *testing.T) {
	for name, in := range map[string]judge.VerdictInput{
		"negative count":       {Single: -1, MinDaysFraction: 0.8},
		"more observed days":   {ObservedDays: 3, CompleteDays: 2, MinDaysFraction: 0.8},
		"fraction 0":           {MinDaysFraction: 0},
		"fraction above 1":     {MinDaysFraction: 1.01},
		"fraction not a value": {MinDaysFraction: math.NaN()},
	} {
		if _, err := judge.Decide(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestVerdictJSON checks the wire form of a verdict, including figures
// that are infinite or undefined.
func TestVerdictJSON(t *testing.T) {
	v, err := judge.Decide(judge.VerdictInput{
		Trial: "donbas-freeze", ZoneID: "UA-14", Single: 2, MinDaysFraction: 0.8,
		Deescalation: &judge.RateRatio{Ratio: math.Inf(1), Lower: 0.5, Upper: math.Inf(1), Level: 0.95},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"trial":"donbas-freeze","zone_id":"UA-14","verdict":"reported",` +
		`"text":"Reported: 2 violations, none corroborated yet.",` +
		`"reasons":[{"code":"single_violations","text":"2 violations from event data or field reports, not corroborated"},` +
		`{"code":"no_complete_day","text":"no complete trial day yet to judge coverage on"},` +
		`{"code":"events_rate_unchanged","text":"event rate during the trial ∞× that before it (95% interval 0.5 to ∞)"}],` +
		`"violations":{"corroborated":0,"single":2,"single_satellite":0},` +
		`"coverage":{"observed_days":0,"complete_days":0,"fraction":"NaN","min_fraction":0.8},` +
		`"thermal":null,"deescalation":{"ratio":"+Inf","lower":0.5,"upper":"+Inf","level":0.95},"thermal_deescalation":null}`
	if string(got) != want {
		t.Errorf("JSON\n%s\nwant\n%s", got, want)
	}
}
