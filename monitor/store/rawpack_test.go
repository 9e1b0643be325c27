package store

import (
	"context"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
)

func TestPackRaw(t *testing.T) {
	tests := []struct {
		name, raw, shape, values string
		packed                   bool
	}{
		{"csv row", `{"LATITUDE":"48.2185","LONGITUDE":"38.2466","ACQ_DATE":"2003-01-02"}`,
			`{"LATITUDE":"","LONGITUDE":"","ACQ_DATE":""}`, "48.2185\x1f38.2466\x1f2003-01-02", true},
		{"one key", `{"a":"b"}`, `{"a":""}`, "b", true},
		{"empty values and keys", `{"":"","a:b":"","c":"x:y"}`, `{"":"","a:b":"","c":""}`, "\x1f\x1fx:y", true},
		{"unicode", `{"zone":"Донецька область"}`, `{"zone":""}`, "Донецька область", true},
		{"spaces", `{"a": "b"}`, "", "", false},
		{"escape", `{"a":"b\"c"}`, "", "", false},
		{"number", `{"a":1}`, "", "", false},
		{"nested", `{"a":{"b":"c"}}`, "", "", false},
		{"empty object", `{}`, "", "", false},
		{"trailing bytes", `{"a":"b"}x`, "", "", false},
		{"unclosed", `{"a":"b"`, "", "", false},
		{"separator", "{\"a\":\"b\x1fc\"}", "", "", false},
		{"csv line", `48.01,37.80,331.4`, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shape, values, ok := packRaw(tt.raw)
			if ok != tt.packed || shape != tt.shape || values != tt.values {
				t.Fatalf("packRaw = %q, %q, %v; want %q, %q, %v", shape, values, ok, tt.shape, tt.values, tt.packed)
			}
			if ok && unpackRaw(shape, values) != tt.raw {
				t.Errorf("unpackRaw = %q, want %q", unpackRaw(shape, values), tt.raw)
			}
		})
	}
}

// TestUnpackTampered: values that do not fit their shape come back as they
// are, never as a record that could pass for the one logged.
func TestUnpackTampered(t *testing.T) {
	shape := `{"a":"","b":""}`
	for _, values := range []string{"1", "1\x1f2\x1f3", ""} {
		if got := unpackRaw(shape, values); got != values {
			t.Errorf("unpackRaw(%q, %q) = %q, want the values", shape, values, got)
		}
	}
}

func FuzzPackRaw(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"LATITUDE":"48.2","ACQ_DATE":"2003-01-02"}`, `{"":""}`, `{"a": "b"}`, `x`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if shape, values, ok := packRaw(raw); ok && unpackRaw(shape, values) != raw {
			t.Errorf("%q packs to %q, %q, which unpacks to %q", raw, shape, values, unpackRaw(shape, values))
		}
	})
}

// TestPackedRawStored: a JSON raw record is stored packed, reads back
// byte for byte, and its leaf verifies; a byte of a packed value flipped
// in the row fails the audit, naming the incident.
func TestPackedRawStored(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t, t.TempDir())
	a := incident("s", "a", 0)
	a.Raw = `{"LATITUDE":"48.01","LONGITUDE":"37.80","ACQ_DATE":"2026-12-01"}`
	mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: a}}})
	var stored string
	if err := db.r.QueryRow("SELECT raw FROM incidents WHERE raw_shape IS NOT NULL AND id = 'a'").Scan(&stored); err != nil {
		t.Fatalf("the packed row: %v", err)
	}
	if stored != "48.01\x1f37.80\x1f2026-12-01" {
		t.Errorf("stored raw %q, want the values alone", stored)
	}
	inc, ok, err := db.Incident(ctx, "s", "a")
	if err != nil || !ok || inc.Raw != a.Raw {
		t.Fatalf("Incident = %q, %v, %v; want raw %q", inc.Raw, ok, err, a.Raw)
	}
	log, head := logHead(t, db)
	if err := evidence.Audit(log, head); err != nil {
		t.Fatalf("audit: %v", err)
	}
	if _, err := db.w.Exec("UPDATE incidents SET raw = '58' || substr(raw, 3) WHERE id = 'a'"); err != nil {
		t.Fatal(err)
	}
	if err := evidence.Audit(log, head); err == nil || !strings.Contains(err.Error(), `incident "s"/"a"`) {
		t.Errorf("audit after a packed byte flipped: %v, want a failure naming the incident", err)
	}
}

// TestDuplicateOrRevision: an item stored before is a duplicate only when
// every field and the raw record are the same, packed or not; the keys of
// a packed record, its category and its deletion count as content too.
func TestDuplicateOrRevision(t *testing.T) {
	packed := `{"LATITUDE":"48.01","LONGITUDE":"37.80"}`
	tests := []struct {
		name   string
		first  string // raw of the first commit
		change func(*monitor.Incident)
		delete bool // delete the incident between the commits
		revise bool
	}{
		{"packed, same", packed, func(*monitor.Incident) {}, false, false},
		{"plain, same", "48.01,37.80", func(*monitor.Incident) {}, false, false},
		{"packed, other keys", packed, func(i *monitor.Incident) { i.Raw = `{"LAT":"48.01","LONGITUDE":"37.80"}` }, false, true},
		{"packed, other value", packed, func(i *monitor.Incident) { i.Raw = `{"LATITUDE":"48.02","LONGITUDE":"37.80"}` }, false, true},
		{"packed, now plain", packed, func(i *monitor.Incident) { i.Raw = `{"LATITUDE": "48.01","LONGITUDE":"37.80"}` }, false, true},
		{"plain, other", "48.01,37.80", func(i *monitor.Incident) { i.Raw = "48.01,37.81" }, false, true},
		{"category", packed, func(i *monitor.Incident) { i.Category = "explosion" }, false, true},
		{"confidence", packed, func(i *monitor.Incident) { i.Confidence = 0.25 }, false, true},
		{"deleted", packed, func(*monitor.Incident) {}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTestDB(t, t.TempDir())
			a := incident("s", "a", 0)
			a.Raw = tt.first
			mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: a}}})
			if tt.delete {
				mustCommit(t, db, &monitor.Batch{Source: "s", Deleted: []string{"a"}})
			}
			b := a
			tt.change(&b)
			res := mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: b}}})
			if got := res.Revised == 1; got != tt.revise || res.Duplicate+res.Revised != 1 {
				t.Errorf("commit again: %d duplicate, %d revised; want revised %v", res.Duplicate, res.Revised, tt.revise)
			}
		})
	}
}
