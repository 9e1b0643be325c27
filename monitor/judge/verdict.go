package judge

import (
	"fmt"
	"math"
)

// State is the verdict on one zone of one trial.
type State string

// The verdicts, in order of precedence: when several apply, the first
// wins, and the reasons of a verdict list every one that applies.
const (
	// Violated means at least one corroborated violation stands.
	Violated State = "violated"
	// Reported means violations stand, but none is corroborated, and at
	// least one comes from a source that is not a satellite.
	Reported State = "reported"
	// ThermalExcess means the zone's satellite detections over the days
	// elapsed are above their seasonal background.
	ThermalExcess State = "thermal_excess"
	// InsufficientCoverage means none of the above, and too few complete
	// days were observed to say the zone held.
	InsufficientCoverage State = "insufficient_coverage"
	// Held means none of the above, on enough observed days.
	Held State = "held"
)

// States returns every verdict in order of precedence: the series of a
// verdict metric, one per state.
func States() []State {
	return []State{Violated, Reported, ThermalExcess, InsufficientCoverage, Held}
}

// VerdictInput is what the verdict on one zone of one trial rests on.
// Counts are of standing violations (not retracted, placement not
// ambiguous) of the trial in the zone.
type VerdictInput struct {
	Trial, ZoneID string
	// Corroborated counts corroborated violations, of any kind of source.
	Corroborated int
	// Single counts single-tier violations from sources that are not
	// satellites (event data, field reports).
	Single int
	// SingleSatellite counts single-tier violations from satellites: heat
	// detections that alone are evidence only against the background, so
	// they do not make a zone Reported.
	SingleSatellite int
	// Thermal is the background test over the complete days elapsed, or
	// nil when there is none; ThermalNote then says why ("" when the trial
	// configures no background).
	Thermal     *BackgroundResult
	ThermalNote string
	// ObservedDays of CompleteDays were observed (see CompleteDays).
	ObservedDays, CompleteDays int
	// MinDaysFraction is coverage.min_days_fraction, in (0, 1].
	MinDaysFraction float64
	// Deescalation is the rate of field and event-data incidents during
	// the trial over the rate in the pre-trial period (CompareRates);
	// ThermalDeescalation the same for satellite detections relative to
	// the controls (CompareRatesWithControls). nil when not computed.
	Deescalation, ThermalDeescalation *RateRatio
}

// Verdict is the verdict on one zone of one trial, with what it rests on,
// as served in JSON. Figures that may be infinite or undefined are
// Numbers.
type Verdict struct {
	Trial   string `json:"trial"`
	ZoneID  string `json:"zone_id"`
	Verdict State  `json:"verdict"`
	// Text says the verdict in one sentence for people.
	Text string `json:"text"`
	// Reasons lists every finding, in a fixed order: violations, thermal,
	// coverage, de-escalation.
	Reasons    []Reason        `json:"reasons"`
	Violations ViolationCounts `json:"violations"`
	Coverage   CoverageFigures `json:"coverage"`
	// Thermal is null when there is no background test.
	Thermal *ThermalFigures `json:"thermal"`
	// Deescalation and ThermalDeescalation are null when not computed.
	Deescalation        *Ratio `json:"deescalation"`
	ThermalDeescalation *Ratio `json:"thermal_deescalation"`
}

// ViolationCounts are the standing violations by tier.
type ViolationCounts struct {
	Corroborated    int `json:"corroborated"`
	Single          int `json:"single"`
	SingleSatellite int `json:"single_satellite"`
}

// CoverageFigures are the observed share of complete days.
type CoverageFigures struct {
	ObservedDays int `json:"observed_days"`
	CompleteDays int `json:"complete_days"`
	// Fraction is ObservedDays/CompleteDays, NaN with no complete day.
	Fraction    Number  `json:"fraction"`
	MinFraction float64 `json:"min_fraction"`
}

// ThermalFigures are the background test's figures (BackgroundResult).
type ThermalFigures struct {
	Observed int    `json:"observed"`
	Expected Number `json:"expected"`
	Lower    Number `json:"lower"`
	Upper    Number `json:"upper"`
	P        Number `json:"p"`
	Class    Class  `json:"class"`
	Years    int    `json:"years"`
}

// Ratio is a RateRatio as served.
type Ratio struct {
	Ratio Number  `json:"ratio"`
	Lower Number  `json:"lower"`
	Upper Number  `json:"upper"`
	Level float64 `json:"level"`
}

// Decide returns the verdict on in's zone and trial. The first that
// applies wins:
//
//  1. Violated: Corroborated > 0.
//  2. Reported: Single > 0.
//  3. ThermalExcess: Thermal.Class is Above.
//  4. InsufficientCoverage: ObservedDays < MinDaysFraction·CompleteDays,
//     or no complete day yet.
//  5. Held.
//
// Evidence of a violation outranks poor coverage, since coverage only
// limits what may be said of days nobody watched. Negative counts, more
// observed than complete days, and MinDaysFraction outside (0, 1] are
// errors.
func Decide(in VerdictInput) (Verdict, error) {
	if err := in.check(); err != nil {
		return Verdict{}, fmt.Errorf("verdict %s/%s: %w", in.Trial, in.ZoneID, err)
	}
	v := Verdict{
		Trial: in.Trial, ZoneID: in.ZoneID,
		Violations: ViolationCounts{in.Corroborated, in.Single, in.SingleSatellite},
		Coverage: CoverageFigures{
			ObservedDays: in.ObservedDays, CompleteDays: in.CompleteDays,
			Fraction: Number(math.NaN()), MinFraction: in.MinDaysFraction,
		},
		Thermal:             thermalFigures(in.Thermal),
		Deescalation:        ratioFigures(in.Deescalation),
		ThermalDeescalation: ratioFigures(in.ThermalDeescalation),
	}
	if in.CompleteDays > 0 {
		v.Coverage.Fraction = Number(float64(in.ObservedDays) / float64(in.CompleteDays))
	}
	covered := in.CompleteDays > 0 && !in.coverageShort()
	switch {
	case in.Corroborated > 0:
		v.Verdict = Violated
	case in.Single > 0:
		v.Verdict = Reported
	case in.Thermal != nil && in.Thermal.Class == Above:
		v.Verdict = ThermalExcess
	case !covered:
		v.Verdict = InsufficientCoverage
	default:
		v.Verdict = Held
	}
	v.Reasons = reasons(in)
	v.Text = summary(v)
	return v, nil
}

// coverageShort reports whether fewer than MinDaysFraction of the
// complete days were observed. The product is compared with a tolerance
// of 1e-9 days, so that 24 of 30 days at 0.8 is enough although 0.8·30 is
// not exactly 24 in binary.
func (in VerdictInput) coverageShort() bool {
	return float64(in.ObservedDays) < in.MinDaysFraction*float64(in.CompleteDays)-1e-9
}

func (in VerdictInput) check() error {
	switch {
	case in.Corroborated < 0 || in.Single < 0 || in.SingleSatellite < 0:
		return fmt.Errorf("negative violation count")
	case in.ObservedDays < 0 || in.ObservedDays > in.CompleteDays:
		return fmt.Errorf("%d observed of %d complete days", in.ObservedDays, in.CompleteDays)
	case !(in.MinDaysFraction > 0 && in.MinDaysFraction <= 1):
		return fmt.Errorf("minimum fraction of days %v not in (0, 1]", in.MinDaysFraction)
	}
	return nil
}

func thermalFigures(b *BackgroundResult) *ThermalFigures {
	if b == nil {
		return nil
	}
	return &ThermalFigures{
		Observed: b.Observed, Expected: Number(b.Expected), Lower: Number(b.Lower),
		Upper: Number(b.Upper), P: Number(b.P), Class: b.Class, Years: b.Years,
	}
}

func ratioFigures(r *RateRatio) *Ratio {
	if r == nil {
		return nil
	}
	return &Ratio{Number(r.Ratio), Number(r.Lower), Number(r.Upper), r.Level}
}
