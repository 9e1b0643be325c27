package daemon

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// A request whose evaluation runs past its deadline is answered 503 with
// Retry-After and how far it got, not as a store error, and stores
// nothing. The request's context has ended before the handler starts.
func TestPushDeadline(t *testing.T) {
	zones, _, err := geo.Load([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},`+
		`"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}`), "z", geo.LoadOptions{IDProperty: "id"})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := geo.NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := monitor.NewEvaluator(ix, []monitor.Trial{{Name: "t", Zones: []string{"a"}, Start: time.Now().Add(-time.Hour), Days: 1,
		Prohibited: []monitor.Category{monitor.Shelling}}})
	if err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory()
	d := &Daemon{log: slog.New(slog.DiscardHandler), runner: monitor.NewRunner(monitor.RunnerOptions{Store: mem})}
	d.runner.SetEvaluator(ev)
	d.current.Store(&setup{push: []*pushSource{{name: "field", token: sha256.Sum256([]byte(fieldToken)),
		maxBody: 1 << 20, maxItems: 100, limiter: rate.NewLimiter(rate.Inf, 1)}}})

	at := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	body := fmt.Sprintf(`[{"id":"a","time":%q,"lat":0.5,"lon":0.5,"category":"shelling"},{"id":"b","time":%q,"lat":0.5,"lon":0.5,"category":"shelling"}]`, at, at)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("POST", "/api/v1/incidents", strings.NewReader(body)).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+fieldToken)
	rec := httptest.NewRecorder()
	d.handlePush(rec, req)
	text := rec.Body.String()
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(text, "after 0 of 2") || !strings.Contains(text, "nothing was stored") || strings.Contains(text, "store:") {
		t.Errorf("status %d, Retry-After %q, body %q", rec.Code, rec.Header().Get("Retry-After"), text)
	}
	if n, err := mem.IncidentCount(context.Background()); err != nil || n != 0 {
		t.Errorf("%d incidents stored (%v), want none", n, err)
	}
}
