package daemon

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// TestVerdictsAgree runs a daemon over a real store, pushes a field report
// into one zone, and checks that the verdict JSON, the metrics and the
// status page give every zone the same verdict: reported for the zone with
// the report, insufficient_coverage for the others (no source was seen
// succeeding through the first day).
func TestVerdictsAgree(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Second)
	e := newTestEnv(t, start, "")
	var addr atomic.Pointer[string]
	startDaemon(t, e.options(&addr))
	base := *addr.Load()
	if code, body := pushReport(t, base, "r1", start.Add(-time.Minute)); code != http.StatusAccepted {
		t.Fatalf("push: %d %s", code, body)
	}

	code, body := get(t, base+"/api/v1/trials/t1/verdict")
	if code != http.StatusOK {
		t.Fatalf("GET verdict: %d %s", code, body)
	}
	var vs []struct {
		ZoneID  string      `json:"zone_id"`
		Verdict judge.State `json:"verdict"`
	}
	if err := json.Unmarshal([]byte(body), &vs); err != nil {
		t.Fatalf("verdict JSON: %v\n%s", err, body)
	}
	fromJSON := map[string]string{}
	for _, v := range vs {
		fromJSON[v.ZoneID] = string(v.Verdict)
	}
	if len(fromJSON) < 2 {
		t.Fatalf("verdicts for %d zones, want every zone of the demo: %s", len(fromJSON), body)
	}
	counts := map[string]int{}
	for _, v := range fromJSON {
		counts[v]++
	}
	if counts["reported"] != 1 || counts["insufficient_coverage"] != len(fromJSON)-1 {
		t.Errorf("verdicts %v, want one zone reported and the others insufficient_coverage", fromJSON)
	}

	fromMetrics := map[string]string{}
	_, metrics := get(t, base+"/metrics")
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(metrics))
	if err != nil {
		t.Fatalf("parse metrics: %v", err)
	}
	for _, m := range fams["ceasefire_zone_verdict"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["trial"] == "t1" && m.GetGauge().GetValue() == 1 {
			if prev, dup := fromMetrics[labels["zone_id"]]; dup {
				t.Errorf("zone %s has verdicts %s and %s in the metrics", labels["zone_id"], prev, labels["verdict"])
			}
			fromMetrics[labels["zone_id"]] = labels["verdict"]
		}
	}

	fromPage := map[string]string{}
	_, page := get(t, base+"/")
	row := regexp.MustCompile(`<tr[^>]*><td>([^<]*)</td>.*?<td class="verdict-([a-z_]+)"`)
	for _, m := range row.FindAllStringSubmatch(page, -1) {
		fromPage[html.UnescapeString(m[1])] = m[2]
	}
	for zone, v := range fromJSON {
		if fromMetrics[zone] != v || fromPage[zone] != v {
			t.Errorf("zone %s: JSON %s, metrics %q, page %q", zone, v, fromMetrics[zone], fromPage[zone])
		}
	}
	if len(fromMetrics) != len(fromJSON) || len(fromPage) != len(fromJSON) {
		t.Errorf("zones: %d in JSON, %d in metrics, %d on the page", len(fromJSON), len(fromMetrics), len(fromPage))
	}
	if code, _ := get(t, base+"/api/v1/trials/nope/verdict"); code != http.StatusNotFound {
		t.Errorf("verdict of an unknown trial: %d, want 404", code)
	}
}
