package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name              string
		rows, read, total int64
		took              time.Duration
		want              string
	}{
		{"start", 0, 0, 1000, 0, "replay: 0 rows"},
		{"nothing read yet", 500, 0, 1000, time.Second, "replay: 500 rows, 500 rows/s"},
		{"a quarter", 250000, 250, 1000, 2 * time.Second, "replay: 250000 rows, 125000 rows/s, 25% read, about 6s left"},
		{"all read", 9, 1000, 1000, 3 * time.Second, "replay: 9 rows, 3 rows/s, 100% read, about 0s left"},
		{"file grew", 9, 1200, 1000, 3 * time.Second, "replay: 9 rows, 3 rows/s, 100% read, about 0s left"},
		{"no sizes", 9, 100, 0, 3 * time.Second, "replay: 9 rows, 3 rows/s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := progressLine(tc.rows, tc.read, tc.total, tc.took); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestProgressOnlyOnTerminals checks that no progress is drawn on a buffer,
// a regular file or a pipe, and that a nil progress wraps nothing.
func TestProgressOnlyOnTerminals(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]any{"buffer": &bytes.Buffer{}, "file": f, "pipe": w} {
		t.Run(name, func(t *testing.T) {
			var p *replayProgress
			switch o := out.(type) {
			case *bytes.Buffer:
				p = startProgress(o, nil)
			case *os.File:
				p = startProgress(o, nil)
			}
			if p != nil {
				p.Stop()
				t.Fatal("progress started on a writer that is not a terminal")
			}
			if dec := p.decoder(nil); dec != nil {
				t.Errorf("nil progress wrapped the decoder")
			}
			p.Stop() // harmless
		})
	}
}
