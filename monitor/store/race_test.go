//go:build race

package store

// raceEnabled reports whether the race detector is on. It slows the pure Go
// SQLite engine by an order of magnitude, so the heavier tests shrink.
const raceEnabled = true
