package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// replayCounts counts the incidents of files by zone, source, category and
// UTC day and adds the counts to the store in one transaction, storing no
// incident: the history a trial's background is judged against. A file
// whose content the store counted before for the same source is skipped,
// with a line saying so: counts add up, and a file counted twice would
// double its days.
func replayCounts(ctx context.Context, o replayOptions, db *store.DB, ev *monitor.Evaluator, src *monitor.Source, stderr io.Writer) int {
	start := time.Now()
	files, sums, err := uncounted(ctx, db, o.files, src.Name, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return 1
	}
	counter := monitor.NewCounter(ev, time.Now)
	var total monitor.CountStats
	for _, f := range files {
		st, err := counter.Count(ctx, src.Name, src.Decoder, monitor.Document{Key: f, Open: func() (io.ReadCloser, error) {
			return os.Open(f)
		}})
		total.Rows, total.Rejected, total.Located = total.Rows+st.Rows, total.Rejected+st.Rejected, total.Located+st.Located
		if err != nil {
			fmt.Fprintf(stderr, "replay: %v\n", err)
			return 1
		}
	}
	counts := counter.Counts()
	mode := "stored"
	if o.dryRun {
		mode = "dry run, nothing stored"
	} else if err := db.AddDocumentCounts(ctx, src.Name, sums, counts); err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "counts-only replay of source %s (%s)\n", src.Name, mode)
	fmt.Fprintf(stderr, "  files:        %d counted, %d skipped (counted before)\n", len(files), len(o.files)-len(files))
	fmt.Fprintf(stderr, "  rows read:    %d\n", total.Rows)
	fmt.Fprintf(stderr, "  rejected:     %d\n", total.Rejected)
	fmt.Fprintf(stderr, "  in a zone:    %d\n", total.Located)
	fmt.Fprintf(stderr, "  daily counts: %d\n", len(counts))
	fmt.Fprintf(stderr, "  seconds:      %.2f\n", time.Since(start).Seconds())
	return 0
}

// uncounted returns the files, and their SHA-256 digests, that db has
// not counted for source before, each once, saying on stderr which it
// skips. Without a store (a dry run) it skips only repeats within files.
func uncounted(ctx context.Context, db *store.DB, paths []string, source string, stderr io.Writer) ([]string, [][32]byte, error) {
	var files []string
	var sums [][32]byte
	seen := map[[32]byte]string{}
	for _, f := range paths {
		sum, err := fileDigest(f)
		if err != nil {
			return nil, nil, err
		}
		if first, ok := seen[sum]; ok {
			fmt.Fprintf(stderr, "replay: %s skipped: the same content as %s\n", f, first)
			continue
		}
		seen[sum] = f
		files, sums = append(files, f), append(sums, sum)
	}
	if db == nil || len(sums) == 0 {
		return files, sums, nil
	}
	counted, err := db.Counted(ctx, source, sums)
	if err != nil {
		return nil, nil, err
	}
	keptFiles, keptSums := files[:0:0], sums[:0:0]
	for i, f := range files {
		if at, ok := counted[sums[i]]; ok {
			fmt.Fprintf(stderr, "replay: %s skipped: its content was counted for source %s at %s\n", f, source, at.Format(time.RFC3339))
			continue
		}
		keptFiles, keptSums = append(keptFiles, f), append(keptSums, sums[i])
	}
	return keptFiles, keptSums, nil
}

// fileDigest returns the SHA-256 of the file at path.
func fileDigest(path string) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, fmt.Errorf("read %s: %w", path, err)
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}
