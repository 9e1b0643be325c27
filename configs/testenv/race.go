//go:build race

package testenv

// Race reports whether the race detector is on. It slows single-goroutine
// checks over real and generated data about tenfold, and the pure Go SQLite
// engine more, while it has nothing to find in them (nor in a child process
// built without it): under it such tests take a deterministic sample, and
// CI runs them in full without it (see .ci/run). Tests of concurrency keep
// their size.
const Race = true
