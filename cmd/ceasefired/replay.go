package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/ceasefired/ceasefired/cmd/ceasefired/internal/daemon"
	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/store"
)

type replayOptions struct {
	configFile  string
	storagePath string
	source      string
	dryRun      bool
	countsOnly  bool
	files       []string
	logger      *slog.Logger
	debug       replayDebug
}

// replayLine is one violation as replay prints it, as encoding/json would
// write it; appendReplayLine writes the same bytes faster.
type replayLine struct {
	Trial      string    `json:"trial"`
	ZoneID     string    `json:"zone_id"`
	Category   string    `json:"category"`
	Source     string    `json:"source"`
	IncidentID string    `json:"incident_id"`
	OccurredAt time.Time `json:"occurred_at"`
	Lon        float64   `json:"lon"`
	Lat        float64   `json:"lat"`
	Placement  string    `json:"placement"` // inside, buffer or ambiguous
}

// runReplay runs files through the pipeline of one configured source and
// prints the violations they produce.
func runReplay(o replayOptions, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg, err := configs.Load(o.configFile)
	if err != nil {
		fmt.Fprintf(stderr, "replay: load config:\n%v\n", err)
		return 1
	}
	var db *store.DB // nil in a dry run
	if !o.dryRun {
		if db, err = store.Open(o.storagePath, store.Options{Logger: o.logger}); err != nil {
			fmt.Fprintf(stderr, "replay: %v\n", err)
			return 1
		}
		defer db.Close()
		if cfg, err = judgedUnder(ctx, db, cfg, o.logger); err != nil {
			fmt.Fprintf(stderr, "replay: %v\n", err)
			return 1
		}
	}
	st, err := daemon.BuildSetup(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return 1
	}
	src, err := pickSource(st, o.source)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return 1
	}
	if o.countsOnly {
		return replayCounts(ctx, o, db, st.Evaluator(), src, stderr)
	}
	var s monitor.Store = db
	var recycle func([]monitor.Violation) // the store's, if it takes them back
	if o.dryRun {
		dry := store.NewDryRun()
		defer dry.Close()
		s, recycle = dry, dry.Recycle
	}
	restore, err := boundReplayMemory(ctx, db)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return 1
	}
	defer restore()

	prof, err := o.debug.start()
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return 1
	}
	out := newRecyclingLineWriter(stdout, recycle)
	var total monitor.DocStats
	runner := monitor.NewRunner(monitor.RunnerOptions{
		Store: s, Logger: o.logger, BatchSize: batchSize(o.dryRun),
		// Nothing reads a replay's live aggregates: its summary is
		// the documents' counts.
		NoTally: true,
		// A dry run's commits cost about what decoding does; a stored
		// one's need the other core themselves.
		CommitBehind: o.dryRun,
		OnViolations: func(vs []monitor.Violation) { prof.sample(); out.write(vs) },
	})
	runner.SetEvaluator(st.Evaluator())
	start := time.Now()
	code := 0
	prog := startProgress(stderr, o.files)
	for _, f := range o.files {
		ds, err := replayFile(ctx, runner, src, f, prog)
		total.Add(ds)
		if err != nil {
			fmt.Fprintf(stderr, "replay: %v\n", err)
			code = 1
			break
		}
	}
	prog.Stop()
	if err := out.close(); err != nil {
		fmt.Fprintf(stderr, "replay: write: %v\n", err)
		code = 1
	}
	took := time.Since(start)
	if err := prof.stop(); err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		code = 1
	}
	printSummary(stderr, src.Name, o.dryRun, total, took)
	return code
}

// replayFile ingests one file. It stores no cursor: a replayed file is not
// one of the source's own documents. The file is decompressed and decoded
// on a goroutine of its own while what it yields is evaluated and stored.
func replayFile(ctx context.Context, r *monitor.Runner, src *monitor.Source, path string, prog *replayProgress) (monitor.DocStats, error) {
	dec := ingest.Pipelined(prog.decoder(src.Decoder))
	return r.Ingest(ctx, src.Name, dec, monitor.Document{Key: path, Open: func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		return prog.reader(f), nil
	}})
}

func pickSource(st *daemon.Setup, name string) (*monitor.Source, error) {
	if name != "" {
		for _, s := range st.Sources() {
			if s.Name == name {
				return s, nil
			}
		}
		return nil, fmt.Errorf("no source named %q in the config", name)
	}
	if len(st.Sources()) == 1 {
		return st.Sources()[0], nil
	}
	return nil, fmt.Errorf("the config has %d sources: choose one with --source", len(st.Sources()))
}

func printSummary(w io.Writer, source string, dry bool, s monitor.DocStats, took time.Duration) {
	mode := "stored"
	if dry {
		mode = "dry run, nothing stored"
	}
	secs := took.Seconds()
	fmt.Fprintf(w, "replay of source %s (%s)\n", source, mode)
	fmt.Fprintf(w, "  rows read:   %d\n", s.Rows)
	fmt.Fprintf(w, "  rejected:    %d\n", s.RejectedTotal())
	for _, r := range s.Reasons() {
		fmt.Fprintf(w, "    %-20s %d\n", r, s.Rejected[r])
	}
	fmt.Fprintf(w, "  incidents:   %d new, %d duplicate\n", s.New, s.Duplicate)
	fmt.Fprintf(w, "  revised:     %d (incidents stored before with other content, or deleted)\n", s.Revised)
	fmt.Fprintf(w, "  violations:  %d (%d inside, %d buffer)\n", s.Inside+s.Buffer, s.Inside, s.Buffer)
	fmt.Fprintf(w, "  ambiguous:   %d (uncertainty reaches a zone; not counted as violations)\n", s.Ambiguous)
	fmt.Fprintf(w, "  retracted:   %d (violations withdrawn by revisions and deletions)\n", s.Retracted)
	fmt.Fprintf(w, "  seconds:     %.2f\n", secs)
	if secs > 0 {
		fmt.Fprintf(w, "  rows/s:      %.0f\n", float64(s.Rows)/secs)
	}
}

// batchSize is the number of incidents per commit. A batch is memory
// held, twice over while the store commits it (the rows, their evidence
// leaves, the violations stored), so both paths keep it small: a commit of
// the store costs little more per incident at 4,096 than at 50,000.
func batchSize(dry bool) int {
	if dry {
		return 2048
	}
	return storedBatch
}

// judgedUnder logs in db the config and zone files the replay judges
// under and keeps a copy of each, as the daemon does, and returns cfg with
// the store's zone edit history applied: a zone file edited in place since
// an earlier run applies from the edit on only.
func judgedUnder(ctx context.Context, db *store.DB, cfg *configs.Config, log *slog.Logger) (*configs.Config, error) {
	if err := daemon.LogVersions(ctx, db, cfg, log); err != nil {
		return nil, err
	}
	return daemon.WithZoneEdits(ctx, db, cfg, time.Now(), log)
}
