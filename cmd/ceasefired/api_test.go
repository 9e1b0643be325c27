package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestACLEDAPISource runs an ACLED API source against a fake API: its
// events become violations, and an event the API later reports deleted is
// retracted.
func TestACLEDAPISource(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	var mu sync.Mutex
	day := time.Now().UTC().Format("2006-01-02")
	events := []map[string]any{
		{"event_id_cnty": "UKR1", "event_date": day, "sub_event_type": "Shelling/artillery/missile attack",
			"latitude": "48.61", "longitude": "37.25", "geo_precision": "1", "time_precision": "1", "timestamp": "1000"},
		{"event_id_cnty": "UKR2", "event_date": day, "sub_event_type": "Armed clash",
			"latitude": "48.40", "longitude": "38.50", "geo_precision": "1", "time_precision": "1", "timestamp": "1001"},
	}
	var deleted []map[string]any
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Query().Get("key") != "test-key-0123456789" {
			if _, err := w.Write([]byte(`{"success":false,"error":{"message":"bad key"}}`)); err != nil {
				t.Error(err)
			}
			return
		}
		data := events
		if r.URL.Path == "/deleted/read" {
			data = deleted
		}
		if r.URL.Query().Get("page") != "1" {
			data = nil
		}
		if err := json.NewEncoder(w).Encode(map[string]any{"success": true, "count": len(data), "data": data}); err != nil {
			t.Error(err)
		}
	}))
	defer api.Close()

	dir := t.TempDir()
	zones, _ := filepath.Abs("../../configs/demo/zones.geojson")
	if err := os.WriteFile(filepath.Join(dir, "acled.key"), []byte("test-key-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - {file: %s, id_property: sector_id}
trials:
  - {name: t, zones: ["*"], start: %s, prohibited: [shelling, armed_clash]}
sources:
  - name: acled
    format: acled
    url: %s
    schedule: "@every 1s"
    acled:
      api: {key_file: acled.key, email: team@example.org, query: {country: Ukraine}}
`, zones, time.Now().UTC().Add(-72*time.Hour).Format(time.RFC3339), api.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startDaemon(t, cfg, filepath.Join(dir, "data"))
	const north = `{category="shelling",trial="t",zone_id="north"}`
	waitFor(t, 10*time.Second, "both events as violations", func() bool {
		s := p.metrics(t)
		return s["ceasefire_violations_total"+north] == 1 &&
			s[`ceasefire_violations_total{category="armed_clash",trial="t",zone_id="east"}`] == 1
	})
	mu.Lock()
	deleted = []map[string]any{{"event_id_cnty": "UKR1", "deleted_timestamp": "2000"}}
	mu.Unlock()
	waitFor(t, 10*time.Second, "the deleted event retracted", func() bool {
		return p.metrics(t)["ceasefire_violations_retracted_total"+north] == 1
	})
	if v := p.metrics(t)[`ceasefire_incidents_revised_total{source="acled"}`]; v != 1 {
		t.Errorf("revised %v, want 1 (the deletion)", v)
	}
}
