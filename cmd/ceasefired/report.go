package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/cmd/ceasefired/internal/daemon"
	"github.com/ceasefired/ceasefired/configs"
)

type reportOptions struct {
	configFile  string
	storagePath string
	trial       string
	format      string
	out         string
	externalURL string
}

// runReport writes the report of one trial from the store, as of its last
// commit: the bytes /api/v1/trials/NAME/report serves for --format=json.
// The store is opened for reading only, so the daemon may be running.
func runReport(o reportOptions, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 1
	}
	cfg, err := configs.Load(o.configFile)
	if err != nil {
		return fail(fmt.Errorf("load config:\n%w", err))
	}
	st, err := daemon.BuildSetup(cfg)
	if err != nil {
		return fail(err)
	}
	db, err := daemon.OpenReportStore(o.storagePath)
	if err != nil {
		return fail(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := daemon.TrialReport(ctx, cfg, st.Evaluator(), db, o.trial)
	if err != nil {
		return fail(err)
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, o.format, strings.TrimSuffix(o.externalURL, "/")); err != nil {
		return fail(err)
	}
	if o.out == "" || o.out == "-" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return fail(fmt.Errorf("write: %w", err))
		}
		return 0
	}
	if err := os.WriteFile(o.out, buf.Bytes(), 0o644); err != nil {
		return fail(fmt.Errorf("write --out: %w", err))
	}
	return 0
}
