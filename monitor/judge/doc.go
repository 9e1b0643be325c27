// Package judge turns incidents and counts into verdicts: whether a
// zone's thermal detections are above their seasonal background
// (Background), whether the rate of incidents fell from the pre-trial
// period to the trial (CompareRates, CompareRatesWithControls), which
// violations a source of another Kind corroborates (Corroborator), which
// trial days the sources observed (Coverage), and the verdict per zone
// and trial that puts them together (Decide).
//
// The package is pure: it takes counts, incidents and fetch times and
// returns results, with no clock, store or file behind it. Distributions
// come from gonum's distuv; nothing here evaluates a special function by
// hand. docs/judging.md states the methods, their assumptions and the
// calibration on the shared FIRMS archive.
package judge
