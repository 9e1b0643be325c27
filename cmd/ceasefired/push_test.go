package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	fieldToken   = "field-team-token-0123456789"
	limitedToken = "limited-team-token-9876543210"
)

// pushResponse is the body of a 202 answer, as a client reads it.
type pushResponse struct {
	Source    string `json:"source"`
	Accepted  int    `json:"accepted"`
	Duplicate int    `json:"duplicate"`
	Rejected  int    `json:"rejected"`
	Errors    []struct {
		Index  int    `json:"index"`
		Reason string `json:"reason"`
		Error  string `json:"error"`
	} `json:"errors"`
}

// startPushDaemon runs a daemon with two push sources: field (generous
// limits) and limited (burst 2, one request a second).
func startPushDaemon(t *testing.T) *proc {
	t.Helper()
	dir := t.TempDir()
	cfg := writeSmallConfig(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "field.token"), []byte(fieldToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "limited.token"), []byte(limitedToken), 0o600); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(cfg)
	data = []byte(strings.Replace(string(data), "start: 2026-01-01T00:00:00Z",
		"start: "+time.Now().UTC().Add(-48*time.Hour).Format(time.RFC3339), 1))
	data = append(data, `  - name: field
    format: push
    push: {token_file: field.token}
  - name: limited
    format: push
    category: shelling
    push: {token_file: limited.token, rate_limit: 1, burst: 2}
`...)
	if err := os.WriteFile(cfg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return startDaemon(t, cfg, filepath.Join(dir, "data"))
}

func push(t *testing.T, base, token string, body io.Reader) (int, pushResponse, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/incidents", body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var pr pushResponse
	if resp.StatusCode == http.StatusAccepted {
		if err := json.Unmarshal(b, &pr); err != nil {
			t.Fatalf("202 body %q: %v", b, err)
		}
	}
	return resp.StatusCode, pr, string(b)
}

func TestPushEndpoint(t *testing.T) {
	p := startPushDaemon(t)
	now := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	items := fmt.Sprintf(`[
 {"id": "p1", "time": %q, "lat": 48.61, "lon": 37.25, "category": "shelling", "reporter": "team 4"},
 {"id": "p2", "time": %q, "lat": 46.0, "lon": 30.0, "category": "shelling"},
 {"id": "p3", "time": %q, "lat": 91, "lon": 37.25, "category": "shelling"},
 {"id": "p1", "time": %q, "lat": 48.61, "lon": 37.25, "category": "shelling"},
 {"id": "p4", "time": "yesterday", "lat": 48.6, "lon": 37.2, "category": "shelling"}
]`, now, now, now, now)

	t.Run("items are validated one by one", func(t *testing.T) {
		code, r, body := push(t, p.url, fieldToken, strings.NewReader(items))
		if code != http.StatusAccepted {
			t.Fatalf("status %d: %s", code, body)
		}
		if r.Accepted != 2 || r.Duplicate != 1 || r.Rejected != 2 || len(r.Errors) != 2 ||
			r.Errors[0].Index != 2 || r.Errors[0].Reason != "coordinate_range" || r.Errors[1].Index != 4 || r.Errors[1].Reason != "bad_time" {
			t.Fatalf("response %+v", r)
		}
		s := p.metrics(t)
		if s[`ceasefire_violations_total{category="shelling",trial="t1",zone_id="north"}`] != 1 ||
			s[`ceasefire_incidents_rejected_total{reason="coordinate_range",source="field"}`] != 1 {
			t.Errorf("metrics after push: violations %v, rejected %v",
				s[`ceasefire_violations_total{category="shelling",trial="t1",zone_id="north"}`],
				s[`ceasefire_incidents_rejected_total{reason="coordinate_range",source="field"}`])
		}
	})
	t.Run("the same items again are duplicates", func(t *testing.T) {
		_, r, _ := push(t, p.url, fieldToken, strings.NewReader(items))
		if r.Accepted != 0 || r.Duplicate != 3 || r.Rejected != 2 {
			t.Fatalf("response %+v", r)
		}
	})
	t.Run("a GeoJSON FeatureCollection", func(t *testing.T) {
		fc := fmt.Sprintf(`{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"g1","geometry":{"type":"Point","coordinates":[38.5,48.4]},"properties":{"time":%q,"category":"armed_clash"}},
 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[38.5,48.4],[38.6,48.5]]},"properties":{"id":"g2"}}]}`, now)
		code, r, body := push(t, p.url, fieldToken, strings.NewReader(fc))
		if code != http.StatusAccepted || r.Accepted != 1 || r.Rejected != 1 || r.Errors[0].Index != 1 {
			t.Fatalf("status %d, response %+v: %s", code, r, body)
		}
	})
	t.Run("a wrong token stores nothing", func(t *testing.T) {
		before := sumSeries(p.metrics(t), "ceasefire_incidents_ingested_total{")
		for _, tok := range []string{"", "wrong-token-0123456789", fieldToken + "x"} {
			code, _, _ := push(t, p.url, tok, strings.NewReader(items))
			if code != http.StatusUnauthorized {
				t.Errorf("token %q: status %d, want 401", tok, code)
			}
		}
		if after := sumSeries(p.metrics(t), "ceasefire_incidents_ingested_total{"); after != before {
			t.Errorf("ingested went from %v to %v on unauthorised pushes", before, after)
		}
	})
	t.Run("a 100 MB body is refused", func(t *testing.T) {
		body := io.MultiReader(strings.NewReader("["), &repeatReader{s: `{"id":"x","time":"` + now + `","lat":48.6,"lon":37.2},`, n: 100 << 20})
		req, _ := http.NewRequest("POST", p.url+"/api/v1/incidents", body)
		req.Header.Set("Authorization", "Bearer "+fieldToken)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413", resp.StatusCode)
			}
		}
		// Either way nothing of it may be stored.
		if n := p.metrics(t)[`ceasefire_incidents_ingested_total{source="field"}`]; n != 3 {
			t.Errorf("field has %v incidents stored, want 3", n)
		}
	})
	t.Run("malformed bodies", func(t *testing.T) {
		for _, b := range []string{`{"id":1}`, `not json`, `[1] [2]`} {
			if code, _, _ := push(t, p.url, fieldToken, strings.NewReader(b)); code != http.StatusBadRequest {
				t.Errorf("%q: status %d, want 400", b, code)
			}
		}
	})
	t.Run("rate limit per token", func(t *testing.T) {
		codes := []int{}
		for i := 0; i < 4; i++ {
			code, _, _ := push(t, p.url, limitedToken, strings.NewReader(`[]`))
			codes = append(codes, code)
		}
		if codes[0] != 202 || codes[1] != 202 || codes[2] != 429 || codes[3] != 429 {
			t.Errorf("statuses %v, want 202 202 429 429", codes)
		}
		// The other token is not limited by this one.
		if code, _, _ := push(t, p.url, fieldToken, strings.NewReader(`[]`)); code != 202 {
			t.Errorf("field token after limited was throttled: %d", code)
		}
	})
}

// repeatReader yields s again and again, n bytes in all.
type repeatReader struct {
	s   string
	n   int
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:], r.s[r.off:])
		if c > r.n {
			c = r.n
		}
		k += c
		r.n -= c
		r.off = (r.off + c) % len(r.s)
	}
	return k, nil
}
