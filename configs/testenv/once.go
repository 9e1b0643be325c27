package testenv

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var built struct {
	sync.Mutex
	files map[string]*onceFile
}

type onceFile struct {
	once sync.Once
	data []byte
	err  error
}

// fileOnce returns the bytes of the file that build makes in a fresh
// folder and names by its path, building it once per test binary and name.
func fileOnce(tb testing.TB, name string, build func(dir string) (path string, err error)) []byte {
	tb.Helper()
	built.Lock()
	if built.files == nil {
		built.files = map[string]*onceFile{}
	}
	f := built.files[name]
	if f == nil {
		f = &onceFile{}
		built.files[name] = f
	}
	built.Unlock()
	f.once.Do(func() {
		dir, err := os.MkdirTemp("", "testenv-")
		if err != nil {
			f.err = err
			return
		}
		defer os.RemoveAll(dir)
		path, err := build(dir)
		if err != nil {
			f.err = err
			return
		}
		f.data, f.err = os.ReadFile(path)
	})
	if f.err != nil {
		tb.Fatalf("make %s: %v", name, f.err)
	}
	return f.data
}

// WriteOnce writes to path, unless it exists, a copy of the file that
// build makes in a fresh folder and names by its path; build runs once per
// test binary and name. Tests copy such a file instead of making it again:
// a new store's database, for one, costs its whole schema migration, which
// the race detector makes a tenth of a second or more.
func WriteOnce(tb testing.TB, path, name string, build func(dir string) (string, error)) {
	tb.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	data := fileOnce(tb, name, build)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
}
