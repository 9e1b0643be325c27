package monitor_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// TestFetchOutcomeRecorded checks what a fetch leaves in the status and the
// series of its source, for a success, an empty folder and a missing one.
func TestFetchOutcomeRecorded(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name        string
		glob        string
		wantErr     string
		wantFailure float64
	}{
		{"an existing folder with no new files is a success", filepath.Join(dir, "*.csv"), "", 0},
		{"a missing folder is a failure with its reason", filepath.Join(dir, "gone", "*.csv"), "gone", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newFakeClock(trialStart.Add(time.Hour))
			r, reg := clockRunner(t, store.NewMemory(), c, 0)
			src := fileSource(t, tc.glob)
			src.Schedule = "@hourly"
			r.SetSources([]*monitor.Source{src})
			err := r.Fetch(context.Background(), src)
			if (err != nil) != (tc.wantErr != "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("fetch error %v, want one containing %q", err, tc.wantErr)
			}
			st := r.Statuses()[0]
			if !st.LastRun.Equal(c.Now()) {
				t.Errorf("last run %v, want %v", st.LastRun, c.Now())
			}
			wantSuccess := 0.0
			if tc.wantErr == "" {
				wantSuccess = float64(c.Now().Unix())
				if !st.LastSuccess.Equal(c.Now()) || st.LastError != "" {
					t.Errorf("status %+v, want a success now", st)
				}
			} else if !st.LastSuccess.IsZero() || !strings.Contains(st.LastError, tc.wantErr) {
				t.Errorf("status %+v, want no success and the error", st)
			}
			if got := testutil.ToFloat64(counterOf(t, reg, "ceasefire_source_fetch_failures_total", src.Name)); got != tc.wantFailure {
				t.Errorf("failures %v, want %v", got, tc.wantFailure)
			}
			if got := gaugeOf(t, reg, "ceasefire_source_last_success_timestamp_seconds", src.Name); got != wantSuccess {
				t.Errorf("last success %v, want %v", got, wantSuccess)
			}
		})
	}
}

func TestSetSources(t *testing.T) {
	r, reg := clockRunner(t, store.NewMemory(), newFakeClock(trialStart), 0)
	sched := &monitor.Source{Name: "sched", Schedule: "@every 30m"}
	push := &monitor.Source{Name: "push"}
	r.SetSources([]*monitor.Source{sched, push})
	if got := gaugeOf(t, reg, "ceasefire_source_interval_seconds", "sched"); got != 1800 {
		t.Errorf("interval of sched %v, want 1800", got)
	}
	if hasSeries(t, reg, "ceasefire_source_interval_seconds", "push") ||
		hasSeries(t, reg, "ceasefire_source_last_success_timestamp_seconds", "push") {
		t.Error("a source without schedule has staleness series")
	}
	if got := gaugeOf(t, reg, "ceasefire_source_last_success_timestamp_seconds", "sched"); got != 0 {
		t.Errorf("last success of a source never fetched %v, want 0", got)
	}
	if got := names(r.Statuses()); !slices.Equal(got, []string{"push", "sched"}) {
		t.Errorf("statuses %v, want push and sched", got)
	}
	// A reload without sched forgets its status and every series.
	r.SetSources([]*monitor.Source{push})
	if got := names(r.Statuses()); !slices.Equal(got, []string{"push"}) {
		t.Errorf("statuses after the reload %v, want push", got)
	}
	for _, name := range []string{"ceasefire_source_interval_seconds", "ceasefire_source_fetches_total",
		"ceasefire_source_last_success_timestamp_seconds"} {
		if hasSeries(t, reg, name, "sched") {
			t.Errorf("%s of a removed source remains", name)
		}
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

func names(st []monitor.SourceStatus) []string {
	var out []string
	for _, s := range st {
		out = append(out, s.Name)
	}
	return out
}

// gaugeOf returns the value of the series of family name for source; 0 if
// there is none.
func gaugeOf(t *testing.T, reg *prometheus.Registry, name, source string) float64 {
	t.Helper()
	v, _ := seriesValue(t, reg, name, source)
	return v
}

func hasSeries(t *testing.T, reg *prometheus.Registry, name, source string) bool {
	t.Helper()
	_, ok := seriesValue(t, reg, name, source)
	return ok
}

// seriesValue returns the value of the gauge or counter series of family
// name for source, and whether there is one.
func seriesValue(t *testing.T, reg *prometheus.Registry, name, source string) (float64, bool) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "source" && l.GetValue() == source {
					if m.GetGauge() != nil {
						return m.GetGauge().GetValue(), true
					}
					return m.GetCounter().GetValue(), true
				}
			}
		}
	}
	return 0, false
}

func TestDecompress(t *testing.T) {
	gz := func(parts ...string) string {
		var buf bytes.Buffer
		for _, p := range parts {
			w := gzip.NewWriter(&buf)
			_, _ = io.WriteString(w, p)
			w.Close()
		}
		return buf.String()
	}
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"plain text passes", "id,time\n", "id,time\n", false},
		{"empty passes", "", "", false},
		{"one byte passes", "x", "x", false},
		{"gzip is unpacked", gz("a,b\n1,2\n"), "a,b\n1,2\n", false},
		{"concatenated members are one stream", gz("a\n", "b\n"), "a\nb\n", false},
		{"a corrupt header is an error", "\x1f\x8b\x00garbage", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := monitor.Decompress(strings.NewReader(tc.in))
			if tc.wantErr {
				if err == nil {
					t.Error("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rd)
			if err != nil || string(got) != tc.want {
				t.Errorf("read %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestDocStatsAdd(t *testing.T) {
	var total monitor.DocStats
	total.Add(monitor.DocStats{Rows: 3, New: 1, Duplicate: 1, Rejected: map[monitor.RejectReason]int{monitor.ReasonBadTime: 1}})
	total.Add(monitor.DocStats{Rows: 4, New: 2, Revised: 1, Violations: 3, Inside: 1, Buffer: 1, Ambiguous: 1, Retracted: 2, Skipped: 5,
		Rejected: map[monitor.RejectReason]int{monitor.ReasonBadTime: 1, monitor.ReasonMalformed: 2}})
	want := monitor.DocStats{Rows: 7, New: 3, Duplicate: 1, Revised: 1, Violations: 3, Inside: 1, Buffer: 1, Ambiguous: 1,
		Retracted: 2, Skipped: 5}
	if !equalStats(total, want) {
		t.Errorf("sum %+v, want %+v", total, want)
	}
	if got := total.RejectedTotal(); got != 4 {
		t.Errorf("rejected %d, want 4", got)
	}
	if got := total.Reasons(); !slices.Equal(got, []monitor.RejectReason{monitor.ReasonBadTime, monitor.ReasonMalformed}) {
		t.Errorf("reasons %v, want sorted bad_time, malformed", got)
	}
}

// TestIngestFailures checks the errors of Ingest before anything is
// stored.
func TestIngestFailures(t *testing.T) {
	unreadable := errors.New("permission denied")
	tests := []struct {
		name    string
		noEval  bool
		doc     monitor.Document
		wantErr string
	}{
		{"no evaluator", true, memDoc("d", "c", reviseHeader), "no zones and trials"},
		{"document does not open", false, monitor.Document{Key: "d", Open: func() (io.ReadCloser, error) { return nil, unreadable }},
			"open d: permission denied"},
		{"corrupt gzip", false, memDoc("d", "c", "\x1f\x8b\x00garbage"), "read d: gzip"},
		{"no header", false, memDoc("d", "c", ""), "decode d"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := &failingStore{Store: store.NewMemory()}
			r := monitor.NewRunner(monitor.RunnerOptions{Store: fs})
			if !tc.noEval {
				r.SetEvaluator(testEvaluator(t))
			}
			_, err := r.Ingest(context.Background(), "feed", memSource("", "").Decoder, tc.doc)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want one containing %q", err, tc.wantErr)
			}
			if fs.calls.Load() != 0 {
				t.Errorf("%d commits, want none", fs.calls.Load())
			}
		})
	}
}
