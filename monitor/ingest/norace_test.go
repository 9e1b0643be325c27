//go:build !race

package ingest

// raceEnabled reports whether the race detector is on; the large data tests
// then shrink to one file.
const raceEnabled = false
