package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// replayCounts counts the incidents of files by zone, source, category and
// UTC day and adds the counts to the store in one transaction, storing no
// incident: the history a trial's background is judged against. Counts
// add up, so a file replayed twice counts twice.
func replayCounts(ctx context.Context, o replayOptions, ev *monitor.Evaluator, src *monitor.Source, stderr io.Writer) int {
	start := time.Now()
	counter := monitor.NewCounter(ev, time.Now)
	var total monitor.CountStats
	for _, f := range o.files {
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
	} else {
		db, err := store.Open(o.storagePath, store.Options{Logger: o.logger})
		if err != nil {
			fmt.Fprintf(stderr, "replay: %v\n", err)
			return 1
		}
		err = db.AddCounts(ctx, counts)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			fmt.Fprintf(stderr, "replay: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "counts-only replay of source %s (%s)\n", src.Name, mode)
	fmt.Fprintf(stderr, "  rows read:    %d\n", total.Rows)
	fmt.Fprintf(stderr, "  rejected:     %d\n", total.Rejected)
	fmt.Fprintf(stderr, "  in a zone:    %d\n", total.Located)
	fmt.Fprintf(stderr, "  daily counts: %d\n", len(counts))
	fmt.Fprintf(stderr, "  seconds:      %.2f\n", time.Since(start).Seconds())
	return 0
}
