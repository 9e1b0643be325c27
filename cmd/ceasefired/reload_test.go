package main

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func postReload(t *testing.T, base string) (int, string) {
	t.Helper()
	resp, err := http.Post(base+"/-/reload", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestReload changes the source list through POST /-/reload, then breaks the
// config: the bad one is refused with its error, the metric says so, and
// the previous setup keeps running.
func TestReload(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	dir := t.TempDir()
	cfg := writeSmallConfig(t, dir)
	p := startDaemon(t, cfg, dir+"/data")
	fetches := func(src string) float64 {
		return p.metrics(t)[`ceasefire_source_fetches_total{source="`+src+`"}`]
	}
	waitFor(t, 10*time.Second, "spool fetched", func() bool { return fetches("spool") > 0 })

	good, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Replace the source: spool goes, archive comes with its own schedule.
	changed := strings.Replace(string(good), "name: spool", "name: archive", 1)
	changed = strings.Replace(changed, `"@every 1s"`, `"@every 2s"`, 1)
	if err := os.WriteFile(cfg, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, body := postReload(t, p.url); code != 200 {
		t.Fatalf("reload of a good config: %d %s", code, body)
	}
	waitFor(t, 10*time.Second, "archive fetched", func() bool { return fetches("archive") > 0 })
	s := p.metrics(t)
	if _, ok := s[`ceasefire_source_fetches_total{source="spool"}`]; ok {
		t.Error("series of the removed source spool still exported")
	}
	if s[`ceasefire_source_interval_seconds{source="archive"}`] != 2 {
		t.Errorf("archive interval %v, want 2", s[`ceasefire_source_interval_seconds{source="archive"}`])
	}
	if s["ceasefire_config_last_reload_successful"] != 1 {
		t.Error("reload_successful not 1 after a good reload")
	}

	if err := os.WriteFile(cfg, []byte(changed+"bogus_key: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, body := postReload(t, p.url)
	if code != 500 || !strings.Contains(body, "ceasefired.yml:15") || !strings.Contains(body, "bogus_key") {
		t.Fatalf("reload of a bad config: %d %q, want 500 naming ceasefired.yml:15 and bogus_key", code, body)
	}
	if v := p.metrics(t)["ceasefire_config_last_reload_successful"]; v != 0 {
		t.Errorf("reload_successful %v after a bad reload, want 0", v)
	}
	// The old setup keeps running.
	before := fetches("archive")
	waitFor(t, 10*time.Second, "archive fetched again", func() bool { return fetches("archive") > before })
}
