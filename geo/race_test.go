//go:build race

package geo

// raceEnabled scales heavy property runs down under the race detector,
// which slows them about tenfold.
const raceEnabled = true
