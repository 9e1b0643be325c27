package daemon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/exporter-toolkit/web"

	"github.com/ceasefired/ceasefired/monitor/store/storetest"
)

// clock is a settable clock for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(t time.Time) *clock { return &clock{now: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// logBuffer collects a daemon's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// testEnv is a config folder over the demo zones with a CSV spool source
// and a push source, whose trial t1 started a day before start.
type testEnv struct {
	dir, cfg string
	clock    *clock
	logs     *logBuffer
}

// pushToken is the bearer token of the push source "field".
const pushToken = "field-team-token-0123456789"

// newTestEnv writes the config with extra appended (an alerting section,
// say).
func newTestEnv(t *testing.T, start time.Time, extra string) *testEnv {
	t.Helper()
	dir := t.TempDir()
	zones, err := filepath.Abs("../../../../configs/demo/zones.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "spool"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "field.token"), []byte(pushToken), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`zones:
  - file: %s
    id_property: sector_id
trials:
  - name: t1
    zones: ["*"]
    start: %s
    prohibited: [shelling]
sources:
  - name: spool
    format: csv
    path: spool/*.csv
    schedule: "@every 1s"
    csv: {id: id, lat: lat, lon: lon, time: time, category: category}
  - name: field
    format: push
    push: {token_file: field.token}
%s`, zones, start.Add(-24*time.Hour).UTC().Format(time.RFC3339), extra)
	e := &testEnv{dir: dir, cfg: filepath.Join(dir, "ceasefired.yml"), clock: newClock(start), logs: &logBuffer{}}
	storetest.Seed(t, filepath.Join(dir, "data"))
	if err := os.WriteFile(e.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// options returns daemon options on a free loopback port; addr receives
// the bound address once the daemon is ready.
func (e *testEnv) options(addr *atomic.Pointer[string]) Options {
	addrs := []string{"127.0.0.1:0"}
	none := ""
	return Options{
		ConfigFile: e.cfg, StoragePath: filepath.Join(e.dir, "data"),
		Web:    &web.FlagConfig{WebListenAddresses: &addrs, WebConfigFile: &none},
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:    e.clock.Now, DrainTimeout: 300 * time.Millisecond,
		OnReady: func(a []net.Addr) {
			s := "http://" + a[0].String()
			addr.Store(&s)
		},
	}
}

// report drops a CSV field report of shelling in the north sector, at
// time at, into the spool.
func (e *testEnv) report(t *testing.T, id string, at time.Time) {
	t.Helper()
	body := fmt.Sprintf("id,time,lat,lon,category\n%s,%s,48.61,37.25,shelling\n", id, at.UTC().Format(time.RFC3339))
	tmp := filepath.Join(e.dir, "spool", id+".part")
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(e.dir, "spool", id+".csv")); err != nil {
		t.Fatal(err)
	}
}

// fakeAlertmanager records the alerts posted to it while it answers, and
// holds every request without answering while it does not (until the
// request is cancelled or the test ends).
type fakeAlertmanager struct {
	*httptest.Server
	answer   atomic.Bool
	held     atomic.Int64 // requests held unanswered
	mu       sync.Mutex
	received []map[string]any
}

func newFakeAlertmanager(t *testing.T, answer bool) *fakeAlertmanager {
	t.Helper()
	f := &fakeAlertmanager{}
	f.answer.Store(answer)
	release := make(chan struct{})
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !f.answer.Load() {
			f.held.Add(1)
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		var alerts []map[string]any
		if err := json.Unmarshal(body, &alerts); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.received = append(f.received, alerts...)
		f.mu.Unlock()
	}))
	t.Cleanup(f.Close)
	t.Cleanup(func() { close(release) }) // runs first: no handler outlives the test
	return f
}

// alerts returns the alerts received so far.
func (f *fakeAlertmanager) alerts() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.received...)
}

// waitFor polls ok every 20 ms until it holds or limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// get fetches url and returns the status code and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// pushReport posts one field report of shelling in the north sector and
// returns the status code and body.
func pushReport(t *testing.T, base, id string, at time.Time) (int, string) {
	t.Helper()
	return pushPoint(t, base, id, 37.25, 48.61, at)
}

// pushPoint posts one field report of shelling at (lon, lat) and returns
// the status code and body.
func pushPoint(t *testing.T, base, id string, lon, lat float64, at time.Time) (int, string) {
	t.Helper()
	body := fmt.Sprintf(`[{"id":%q,"time":%q,"lat":%g,"lon":%g,"category":"shelling"}]`, id, at.UTC().Format(time.RFC3339), lat, lon)
	req, err := http.NewRequest("POST", base+"/api/v1/incidents", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+pushToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
