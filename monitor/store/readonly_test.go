package store

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// sqliteFull returns a real SQLITE_FULL error: an insert beyond
// max_page_count.
func sqliteFull(t *testing.T) error {
	t.Helper()
	c, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, q := range []string{"CREATE TABLE t (b BLOB)", "PRAGMA max_page_count = 3"} {
		if _, err := c.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.Exec("INSERT INTO t VALUES (zeroblob(100000))")
	if err == nil {
		t.Fatal("insert beyond max_page_count succeeded")
	}
	return err
}

// sqliteConstraint returns a real error that is not about space.
func sqliteConstraint(t *testing.T) error {
	t.Helper()
	c, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec("INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Exec("INSERT INTO t VALUES (1)")
	return err
}

func TestDiskFull(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		full bool
	}{
		{"SQLITE_FULL", sqliteFull(t), true},
		{"ENOSPC creating the folder", &fs.PathError{Op: "mkdir", Path: "/x", Err: syscall.ENOSPC}, true},
		{"constraint", sqliteConstraint(t), false},
		{"other", errors.New("boom"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := diskFull(tt.err)
			if errors.Is(got, ErrDiskFull) != tt.full {
				t.Errorf("diskFull(%v) = %v; wraps ErrDiskFull: %v, want %v", tt.err, got, !tt.full, tt.full)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("diskFull(%v) = %v lost the cause", tt.err, got)
			}
			if tt.full && !strings.Contains(got.Error(), "the disk is full") {
				t.Errorf("message %q does not say the disk is full", got)
			}
		})
	}
}

// closedStore returns a folder holding a cleanly closed store with one
// state value.
func closedStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := openTestDB(t, dir)
	if err := db.PutState(context.Background(), "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkReadOnly checks that db reads the stored state and refuses writes.
func checkReadOnly(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	if v, ok, err := db.GetState(ctx, "k"); string(v) != "v" || !ok || err != nil {
		t.Errorf("GetState = %q, %v, %v; want v", v, ok, err)
	}
	if _, err := db.Totals(ctx); err != nil {
		t.Errorf("Totals: %v", err)
	}
	if err := db.PutState(ctx, "k", []byte("w")); err == nil {
		t.Error("PutState on a read-only store succeeded")
	}
	if _, err := db.Commit(ctx, numberedBatch("s", 0, 1)); err == nil {
		t.Error("Commit on a read-only store succeeded")
	}
}

func TestOpenReadOnly(t *testing.T) {
	dir := closedStore(t)
	db, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	checkReadOnly(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(filepath.Join(dir, FileName+suffix)); err == nil {
			t.Errorf("read-only open created %s", FileName+suffix)
		}
	}
}

// TestOpenReadOnlyRefusesWAL: after a crash the write-ahead log may hold
// commits the main file lacks; reading the main file alone would be wrong.
func TestOpenReadOnlyRefusesWAL(t *testing.T) {
	src := t.TempDir()
	db := openTestDB(t, src)
	if err := db.PutState(context.Background(), "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	crashed := t.TempDir() // the files as a kill -9 leaves them
	for _, suffix := range []string{"", "-wal"} {
		copyFile(t, filepath.Join(src, FileName+suffix), filepath.Join(crashed, FileName+suffix))
	}
	_, err := Open(crashed, Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "write-ahead log") {
		t.Fatalf("read-only open with a non-empty WAL: %v, want a refusal naming the write-ahead log", err)
	}
}

// TestOpenFullDisk opens a store on a tmpfs with no space left, when the
// test may mount one (root on Linux): the writable open fails saying the
// disk is full, and the read-only one serves the stored state.
func TestOpenFullDisk(t *testing.T) {
	src := closedStore(t)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	copyFile(t, filepath.Join(src, FileName), filepath.Join(mnt, FileName))
	fill(t, filepath.Join(mnt, "filler"))

	_, err := Open(mnt, Options{})
	if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "the disk is full") {
		t.Fatalf("Open on a full disk: %v, want ErrDiskFull", err)
	}
	t.Logf("writable open: %v", err)
	db, err := Open(mnt, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open on a full disk: %v", err)
	}
	checkReadOnly(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// fill writes path until the file system has no space left.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}
