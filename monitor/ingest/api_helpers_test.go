package ingest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

// Credentials of the API tests; none may ever show up in an error, raw or
// URL-escaped.
const (
	apiKeySecret = "k3y-S3cr3t!+/="
	apiEmail     = "monitor.secret@example.org"
	apiToken     = "t0ken-S3cr3t"
)

// checkNoSecrets fails t when err's message holds a credential or a URL.
func checkNoSecrets(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range []string{apiKeySecret, apiEmail, apiToken} {
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			if strings.Contains(msg, form) {
				t.Errorf("error reveals a credential (%q): %s", form, msg)
			}
		}
	}
	if strings.Contains(msg, "http://") {
		t.Errorf("error reveals a URL: %s", msg)
	}
}

// docContent returns the content of doc.
func docContent(t *testing.T, doc monitor.Document) string {
	t.Helper()
	rc, err := doc.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decodeDoc decodes the content of doc with d.
func decodeDoc(t *testing.T, d monitor.Decoder, doc monitor.Document) *recorder {
	t.Helper()
	var rec recorder
	if err := d.Decode(strings.NewReader(docContent(t, doc)), doc.Key, &rec); err != nil {
		t.Fatalf("decode %s: %v", doc.Key, err)
	}
	for i := range rec.incidents {
		checkIncident(t, &rec.incidents[i])
	}
	return &rec
}

// loadRecords reads a JSON array of objects from testdata.
func loadRecords(t *testing.T, name string) []map[string]json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]json.RawMessage
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

// pageOf returns the part of items on page (counted from first) of size n.
func pageOf[T any](items []T, page, first, n int) []T {
	lo := (page - first) * n
	if lo < 0 || lo >= len(items) {
		return []T{}
	}
	return items[lo:min(lo+n, len(items))]
}

// writeJSON writes v as a JSON answer.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// truncatedHandler answers 200 with a body shorter than its Content-Length.
func truncatedHandler(w http.ResponseWriter, _ *http.Request) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"data\": [")
	buf.Flush()
	conn.Close()
}

// incidentsWithoutRaw returns the incidents of rec with Raw cleared.
func incidentsWithoutRaw(rec *recorder) []monitor.Incident {
	out := make([]monitor.Incident, len(rec.incidents))
	for i, inc := range rec.incidents {
		inc.Raw = ""
		out[i] = inc
	}
	return out
}
