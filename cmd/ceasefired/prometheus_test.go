package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPrometheusScrapesDaemon: (g) a real Prometheus scrapes the daemon with
// the shipped rules loaded; ceasefire_violations_total read through its API
// equals the stored value, and the shipped rules evaluate.
func TestPrometheusScrapesDaemon(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	promBin := needBinary(t, "prometheus")
	s := newAlertSetup(t, "6h")
	p := startDaemon(t, s.cfg, s.storage)
	s.report(t, "g1", time.Now().Add(-time.Hour))
	s.report(t, "g2", time.Now().Add(-time.Minute))
	const series = `ceasefire_violations_total{category="shelling",trial="t1",zone_id="north"}`
	waitFor(t, 10*time.Second, "two violations", func() bool { return p.metrics(t)[series] == 2 })

	rules, err := filepath.Abs("../../configs/prometheus/ceasefired.rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	port := freePort(t)
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [%s]
scrape_configs:
  - job_name: ceasefired
    static_configs:
      - targets: ['%s']
`, rules, strings.TrimPrefix(p.url, "http://"))
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	prom := exec.Command(promBin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "tsdb"), "--web.listen-address=127.0.0.1:"+strconv.Itoa(port),
		"--log.level=warn")
	prom.Stderr = os.Stderr
	if err := prom.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = prom.Process.Kill(); _ = prom.Wait() })
	base := "http://127.0.0.1:" + strconv.Itoa(port)

	query := func(q string) []promSample {
		resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
		if err != nil {
			return nil
		}
		defer resp.Body.Close()
		var r struct {
			Data struct{ Result []promSample }
		}
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			return nil // not ready yet: the callers poll
		}
		return r.Data.Result
	}
	var got []promSample
	waitFor(t, 30*time.Second, "Prometheus to scrape the violations", func() bool {
		got = query(series)
		return len(got) == 1
	})
	if got[0].Value[1] != "2" || got[0].Metric["job"] != "ceasefired" {
		t.Errorf("Prometheus has %v, want 2 from job ceasefired", got[0])
	}

	// The shipped recording rule evaluates over the scraped series.
	waitFor(t, 30*time.Second, "the recording rule", func() bool {
		return len(query(`trial_zone:ceasefire_violations:increase1h{trial="t1",zone_id="north"}`)) == 1
	})
	resp, err := http.Get(base + "/api/v1/rules")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rr struct {
		Data struct {
			Groups []struct {
				Name  string
				Rules []struct{ Name, Health, LastError string }
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&rr); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range rr.Data.Groups {
		for _, r := range g.Rules {
			n++
			if r.Health != "ok" {
				t.Errorf("rule %s in %s: health %q %s", r.Name, g.Name, r.Health, r.LastError)
			}
		}
	}
	if n != 9 {
		t.Errorf("Prometheus loaded %d rules, want the 9 shipped", n)
	}
}

type promSample struct {
	Metric map[string]string
	Value  [2]any
}
