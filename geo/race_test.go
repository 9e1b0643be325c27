//go:build race

package geo

// raceEnabled scales heavy property runs down under the race detector,
// which slows them about tenfold and has nothing to find in their
// single-goroutine loops: under it they check a deterministic sample, and
// CI runs them in full without it (see .ci/run). The concurrent tests keep
// their size.
const raceEnabled = true
