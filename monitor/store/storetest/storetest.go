// Package storetest gives tests of other packages a new store without
// migrating its schema each time.
package storetest

import (
	"path/filepath"
	"testing"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// Seed puts the database of a new, empty store into the storage folder dir
// unless dir has one, so that opening it finds the schema current. The
// database is made once per test binary; the store's own tests of opening
// and migrating start from nothing.
func Seed(tb testing.TB, dir string) {
	tb.Helper()
	testenv.WriteOnce(tb, filepath.Join(dir, store.FileName), "an empty store", empty)
}

// empty opens a new store in dir, closes it and returns its database's
// path.
func empty(dir string) (string, error) {
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, store.FileName), db.Close()
}
