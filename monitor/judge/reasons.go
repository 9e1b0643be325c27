package judge

import (
	"fmt"
	"math"
	"strconv"
)

// ReasonCode names one finding behind a verdict, for machines.
type ReasonCode string

// The reason codes.
const (
	ReasonCorroborated      ReasonCode = "corroborated_violations"
	ReasonSingle            ReasonCode = "single_violations"
	ReasonSingleSatellite   ReasonCode = "single_satellite_detections"
	ReasonThermalAbove      ReasonCode = "thermal_above_background"
	ReasonThermalConsistent ReasonCode = "thermal_consistent_with_background"
	ReasonThermalBelow      ReasonCode = "thermal_below_background"
	ReasonNoBackground      ReasonCode = "no_background"
	ReasonCoverageShort     ReasonCode = "coverage_insufficient"
	ReasonCoverageEnough    ReasonCode = "coverage_sufficient"
	ReasonNoCompleteDay     ReasonCode = "no_complete_day"
	ReasonEventsFell        ReasonCode = "events_rate_fell"
	ReasonEventsRose        ReasonCode = "events_rate_rose"
	ReasonEventsUnclear     ReasonCode = "events_rate_unchanged"
	ReasonThermalFell       ReasonCode = "thermal_rate_fell_against_controls"
	ReasonThermalRose       ReasonCode = "thermal_rate_rose_against_controls"
	ReasonThermalUnclear    ReasonCode = "thermal_rate_unchanged_against_controls"
)

// Reason is one finding behind a verdict: a code for machines and a
// sentence for people.
type Reason struct {
	Code ReasonCode `json:"code"`
	Text string     `json:"text"`
}

// reasons lists every finding of in, in the order of Verdict.Reasons.
func reasons(in VerdictInput) []Reason {
	var rs []Reason
	add := func(c ReasonCode, format string, args ...any) {
		rs = append(rs, Reason{c, fmt.Sprintf(format, args...)})
	}
	if n := in.Corroborated; n > 0 {
		add(ReasonCorroborated, "%s corroborated by a source of another kind", plural(n, "violation"))
	}
	if n := in.Single; n > 0 {
		add(ReasonSingle, "%s from event data or field reports, not corroborated", plural(n, "violation"))
	}
	if n := in.SingleSatellite; n > 0 {
		add(ReasonSingleSatellite, "%s not corroborated, judged against the background only",
			plural(n, "satellite detection"))
	}
	switch b := in.Thermal; {
	case b != nil:
		code := map[Class]ReasonCode{Above: ReasonThermalAbove, Consistent: ReasonThermalConsistent, Below: ReasonThermalBelow}[b.Class]
		words := map[Class]string{Above: "above background", Consistent: "consistent with background", Below: "below background"}[b.Class]
		add(code, "%d thermal detections against %s expected (interval %s to %s), %s: %s",
			b.Observed, num(b.Expected), num(b.Lower), num(b.Upper), pText(b.P), words)
	case in.ThermalNote != "":
		add(ReasonNoBackground, "no thermal background: %s", in.ThermalNote)
	}
	switch {
	case in.CompleteDays == 0:
		add(ReasonNoCompleteDay, "no complete trial day yet to judge coverage on")
	case in.coverageShort():
		add(ReasonCoverageShort, "observed on %d of %d complete days, fewer than %s",
			in.ObservedDays, in.CompleteDays, percent(in.MinDaysFraction))
	default:
		add(ReasonCoverageEnough, "observed on %d of %d complete days, at least %s",
			in.ObservedDays, in.CompleteDays, percent(in.MinDaysFraction))
	}
	if r := in.Deescalation; r != nil && !math.IsNaN(r.Ratio) {
		code := direction(*r, ReasonEventsFell, ReasonEventsRose, ReasonEventsUnclear)
		add(code, "event rate during the trial %s× that before it (%s interval %s to %s)",
			num(r.Ratio), percent(r.Level), num(r.Lower), num(r.Upper))
	}
	if r := in.ThermalDeescalation; r != nil && !math.IsNaN(r.Ratio) {
		code := direction(*r, ReasonThermalFell, ReasonThermalRose, ReasonThermalUnclear)
		add(code, "thermal rate change %s× that of the controls (%s interval %s to %s)",
			num(r.Ratio), percent(r.Level), num(r.Lower), num(r.Upper))
	}
	return rs
}

// direction classes a rate ratio by its interval: fell when it lies below
// 1, rose when above, else unchanged.
func direction(r RateRatio, fell, rose, unchanged ReasonCode) ReasonCode {
	switch {
	case r.Upper < 1:
		return fell
	case r.Lower > 1:
		return rose
	}
	return unchanged
}

// summary is the sentence of Verdict.Text.
func summary(v Verdict) string {
	c := v.Violations
	switch v.Verdict {
	case Violated:
		return fmt.Sprintf("Violated: %s corroborated by a source of another kind.", plural(c.Corroborated, "violation"))
	case Reported:
		return fmt.Sprintf("Reported: %s, none corroborated yet.", plural(c.Single, "violation"))
	case ThermalExcess:
		return fmt.Sprintf("Thermal excess: %d detections where the background predicts %s.",
			v.Thermal.Observed, num(float64(v.Thermal.Expected)))
	case InsufficientCoverage:
		if v.Coverage.CompleteDays == 0 {
			return "Insufficient coverage: no complete trial day yet."
		}
		return fmt.Sprintf("Insufficient coverage: observed on %d of %d complete days.",
			v.Coverage.ObservedDays, v.Coverage.CompleteDays)
	}
	return fmt.Sprintf("Held: no reported violation and no thermal excess; observed on %d of %d complete days.",
		v.Coverage.ObservedDays, v.Coverage.CompleteDays)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'g', 4, 64) + "%" }

// num formats a figure for people (FormatNumber).
func num(f float64) string { return FormatNumber(f) }

// Number is a float64 that JSON can carry whatever its value: finite
// values as numbers, +Inf, -Inf and NaN as the strings "+Inf", "-Inf" and
// "NaN", as the Prometheus HTTP API writes them.
type Number float64

// MarshalJSON implements json.Marshaler.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}
