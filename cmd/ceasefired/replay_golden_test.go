package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor/store/storetest"
)

// TestReplayGolden replays small files of every shape the CSV path reads
// (plain and gzip, a BOM, CRLF, no final newline, quotes from the middle
// of a file on, a field spanning lines, rows rejected for each reason,
// duplicates within a file and across files, a file read twice) and
// compares the JSON lines and the summary byte for byte with what the
// replay printed before its decoding and output were rewritten for speed
// (testdata/replay_golden/out.jsonl.gz and summary.txt, written by that code).
func TestReplayGolden(t *testing.T) {
	t.Parallel() // waits on real processes or reads large files; runs beside the other slow tests
	dir := filepath.Join("testdata", "replay_golden")
	var files []string
	for _, f := range []string{"a.csv", "b.csv.gz", "c.csv", "a.csv"} {
		files = append(files, filepath.Join(dir, f))
	}
	for _, dry := range []bool{true, false} {
		name := "stored"
		if dry {
			name = "dry run"
		}
		t.Run(name, func(t *testing.T) {
			o := replayOptions{configFile: filepath.Join(dir, "replay.yml"), dryRun: dry, files: files}
			if !dry {
				o.storagePath = filepath.Join(t.TempDir(), "db")
				storetest.Seed(t, o.storagePath)
			}
			var stdout, stderr bytes.Buffer
			if code := runReplay(o, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr.String())
			}
			wantOut, err := readGzip(filepath.Join(dir, "out.jsonl.gz"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(stdout.Bytes(), wantOut) {
				t.Errorf("JSON lines differ from out.jsonl.gz: %d bytes, want %d", stdout.Len(), len(wantOut))
			}
			wantSummary, err := os.ReadFile(filepath.Join(dir, "summary.txt"))
			if err != nil {
				t.Fatal(err)
			}
			got := timing.ReplaceAllString(stderr.String(), "")
			if dry {
				if got != string(wantSummary) {
					t.Errorf("summary:\n%s\nwant:\n%s", got, wantSummary)
				}
			} else if want := strings.Replace(string(wantSummary), "(dry run, nothing stored)", "(stored)", 1); got != want {
				t.Errorf("summary:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// timing matches the lines of the summary that vary from run to run.
var timing = regexp.MustCompile(`(?m)^  (seconds|rows/s):.*\n`)

// readGzip returns the uncompressed content of the gzip file at path.
func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
