//go:build race

package judge_test

// raceEnabled scales the single-goroutine checks over real and random data
// down to a deterministic sample under the race detector, which slows them
// about tenfold and has nothing to find in them; CI runs them in full
// without it (see .ci/run).
const raceEnabled = true
