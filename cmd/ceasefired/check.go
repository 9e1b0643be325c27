package main

import (
	"fmt"
	"io"
	"time"

	"github.com/ceasefired/ceasefired/cmd/ceasefired/internal/daemon"
	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
)

// checkConfig validates a config file the way the daemon loads it and prints
// a summary; it returns 1 with every problem listed when it is invalid. It
// is stricter than the daemon's start in one way: a file source whose
// folder does not exist is an error here (configs.Check), a warning there.
func checkConfig(file string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "Checking %s\n", file)
	cfg, warnings, err := configs.Check(file)
	for _, w := range warnings {
		fmt.Fprintf(stdout, "  WARNING: %s\n", w)
	}
	if err == nil {
		_, err = daemon.BuildSetup(cfg)
	}
	if err != nil {
		fmt.Fprintf(stderr, "  FAILED:\n%v\n", err)
		return 1
	}
	now := time.Now().UTC()
	fmt.Fprintf(stdout, "  SUCCESS: %d zones, %d trials, %d sources\n", len(cfg.Loaded), len(cfg.Trials), len(cfg.Sources))
	for i, z := range cfg.Zones {
		n := 0
		for _, v := range cfg.Versions {
			if v.Entry == i {
				n++
			}
		}
		from := ""
		if !z.EffectiveFrom.IsZero() {
			from = ", effective from " + z.EffectiveFrom.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(stdout, "  zone file %s: %d zones (id property %q%s)\n", z.File, n, z.IDProperty, from)
	}
	for _, t := range cfg.Trials {
		mt := monitor.Trial{Name: t.Name, Start: t.Start, Days: t.Days}
		fmt.Fprintf(stdout, "  trial %s: %d zones, %s to %s (%d days), %s, prohibits %v\n",
			t.Name, len(cfg.ZoneIDs(t)), t.Start.UTC().Format(time.RFC3339), mt.End().UTC().Format(time.RFC3339),
			t.Days, statusLine(&mt, now), t.Prohibited)
	}
	for _, s := range cfg.Sources {
		next := "?"
		if sch, err := monitor.ParseSchedule(s.Schedule); err == nil {
			next = sch.Next(now).Format(time.RFC3339)
		}
		where := s.Path
		if where == "" {
			where = s.URL
		}
		fmt.Fprintf(stdout, "  source %s: format %s, %s, schedule %q (next run %s)\n", s.Name, s.Format, where, s.Schedule, next)
	}
	return 0
}

func statusLine(t *monitor.Trial, now time.Time) string {
	st := t.Status(now)
	if st == monitor.StatusActive {
		return fmt.Sprintf("active, day %d of %d", t.DayNumber(now), t.Days)
	}
	return string(st)
}
