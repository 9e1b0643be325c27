package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDemoShowsViolations runs README's first command the way a user does
// and checks that violations reach /metrics within 15 s, that the page lists
// them and that promtool accepts the exposition.
func TestDemoShowsViolations(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	cmd := exec.Command(binary, "demo", "--web.listen-address=127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &lockedWriter{w: &stderr}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("demo did not exit cleanly on SIGINT: %v", err)
			}
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("demo did not stop within 20 s of SIGINT")
		}
	}()
	urls := make(chan string, 1)
	go scanLines(stdout, func(line string) bool {
		if i := strings.Index(line, "metrics:"); i >= 0 {
			urls <- strings.TrimSpace(line[i+len("metrics:"):])
			return true
		}
		return false
	})
	var metricsURL string
	select {
	case metricsURL = <-urls:
	case <-time.After(15 * time.Second):
		t.Fatal("demo printed no metrics URL")
	}
	var body string
	waitFor(t, 15*time.Second-time.Since(start), "a violation in /metrics", func() bool {
		body = httpGet(t, metricsURL)
		return sumSeries(parseSamples(body), "ceasefire_violations_total{") > 0
	})
	t.Logf("first violation in /metrics after %s", time.Since(start).Round(time.Millisecond))

	// Let the whole scenario arrive, then check its expected outcome.
	waitFor(t, 20*time.Second, "the whole demo scenario", func() bool {
		body = httpGet(t, metricsURL)
		return sumSeries(parseSamples(body), "ceasefire_violations_total{") >= 12
	})
	time.Sleep(3 * time.Second) // one more poll: nothing more must arrive
	s := parseSamples(httpGet(t, metricsURL))
	checks := map[string]float64{
		`ceasefire_violations_total{category="shelling",trial="demo-freeze",zone_id="north"}`:     4,
		`ceasefire_violations_total{category="explosion",trial="demo-freeze",zone_id="south"}`:    2,
		`ceasefire_violations_total{category="explosion",trial="demo-freeze",zone_id="east"}`:     1,
		`ceasefire_violations_total{category="armed_clash",trial="demo-freeze",zone_id="east"}`:   2,
		`ceasefire_violations_total{category="air_strike",trial="demo-freeze",zone_id="south"}`:   2,
		`ceasefire_violations_total{category="shelling",trial="demo-freeze",zone_id="east"}`:      1,
		`ceasefire_incidents_rejected_total{reason="bad_coordinate",source="demo-field-reports"}`: 1,
		`ceasefire_incidents_duplicate_total{source="demo-field-reports"}`:                        1,
		`ceasefire_trial_status{status="active",trial="demo-freeze"}`:                             1,
		`ceasefire_trial_day{trial="demo-freeze"}`:                                                4,
	}
	for series, want := range checks {
		if got, ok := s[series]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, want)
		}
	}
	if got := sumSeries(s, "ceasefire_violations_total{"); got != 12 {
		t.Errorf("total violations %v, want 12", got)
	}

	page := httpGet(t, strings.TrimSuffix(metricsURL, "metrics"))
	for _, want := range []string{"demo-freeze", "day 4 of 30", "fr-0015", "North sector"} {
		if !strings.Contains(page, want) {
			t.Errorf("landing page lacks %q", want)
		}
	}

	promtool := needBinary(t, "promtool")
	check := exec.Command(promtool, "check", "metrics")
	check.Stdin = strings.NewReader(httpGet(t, metricsURL))
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}
