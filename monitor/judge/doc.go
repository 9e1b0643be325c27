// Package judge holds the statistics that turn counts of incidents into
// verdicts: whether a zone's thermal detections are above their seasonal
// background (Background), and whether the rate of incidents fell from the
// pre-trial period to the trial (CompareRates, CompareRatesWithControls).
//
// The package is pure: it takes counts and returns numbers, with no clock,
// store or file behind it. Distributions come from gonum's distuv; nothing
// here evaluates a special function by hand. docs/judging.md states the
// methods, their assumptions and the calibration on the shared FIRMS
// archive.
package judge
