package monitor_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// TestIngestLogsDocumentAndVersions: an ingested document is logged with
// the digest of its bytes as fetched (gzip included), its fetch time and
// cursor, after its incidents and violations; each violation carries the
// versions the evaluator was given.
func TestIngestLogsDocumentAndVersions(t *testing.T) {
	now := trialStart.Add(2 * monitor.Day)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write([]byte("id,time,lat,lon,category\nr1," + trialStart.Add(time.Hour).Format(time.RFC3339) + ",0.5,0.5,shelling\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	s := store.NewMemory()
	defer s.Close()
	r, _ := clockRunner(t, s, newFakeClock(now), 0)
	config, zone := sha256.Sum256([]byte("config")), sha256.Sum256([]byte("zones"))
	r.SetEvaluator(testEvaluator(t).WithVersions(config, map[string][32]byte{"a": zone, "b": zone}))
	doc := memDoc("d.csv.gz", "etag-1", gz.String())
	if _, err := r.Ingest(context.Background(), "feed", memSource("", "").Decoder, doc); err != nil {
		t.Fatal(err)
	}
	log := s.Evidence(context.Background())
	n, err := log.Size()
	if err != nil {
		t.Fatal(err)
	}
	leaves, err := log.ReadLeaves(0, n)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []evidence.Kind
	var last evidence.Leaf
	for _, data := range leaves {
		l, err := evidence.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, l.Kind())
		if v, ok := l.(evidence.Violation); ok && (v.Config != config || v.ZoneVersion != zone) {
			t.Errorf("%v judged under config %v zone %v, want the evaluator's versions", v, v.Config, v.ZoneVersion)
		}
		last = l
	}
	if len(kinds) < 3 || kinds[0] != evidence.KindIncident || kinds[1] != evidence.KindViolation {
		t.Fatalf("logged %v, want the incident, its violation, the document", kinds)
	}
	want := evidence.Document{Source: "feed", SHA256: sha256.Sum256(gz.Bytes()), FetchedAt: now, Cursor: "etag-1"}
	if last != evidence.Leaf(want) {
		t.Errorf("last leaf %+v, want %+v", last, want)
	}
}
