// Package testenv finds the shared reference data that tests and
// benchmarks read: real zone files and incident feeds kept in a folder
// named shared/data beside the repository, never inside it. A fresh clone
// has no such folder, so every test that needs it skips.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedData returns the path of rel inside the shared data folder, or
// skips tb when the folder or the file is absent. An empty rel returns the
// folder itself.
func SharedData(tb testing.TB, rel string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("repository root not found")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data %s not present", filepath.Join("shared", "data", rel))
	}
	return p
}
