package ingest

import (
	"bytes"
	"testing"
)

func FuzzJSONLines(f *testing.F) {
	f.Add([]byte(`{"id":"a","time":"2026-12-01T10:00:00Z","lat":48.1,"lon":37.5,"category":"shelling","confidence":"h","uncertainty_m":10}` + "\n\n" +
		`{"id":"a","time":"2026-12-01T10:00:00+02:00","lat":48.1,"lon":37.5}` + "\r\n" + `[1]` + "\n" + `{"id":1} {}`))
	f.Add([]byte("\xef\xbb\xbf{\"id\":2,\"time\":\"2026-12-01T10:00:00.5Z\",\"lat\":-90,\"lon\":180,\"category\":\"OTHER\",\"x\":\"\xff\"}"))
	d := NewJSONLines(PointOptions{DefaultCategory: "other"})
	f.Fuzz(func(t *testing.T, doc []byte) {
		var rec recorder
		if err := d.Decode(bytes.NewReader(doc), "fuzz.jsonl", &rec); err != nil {
			t.Fatalf("decode: %v", err)
		}
		for i := range rec.incidents {
			checkIncident(t, &rec.incidents[i])
		}
		lines := bytes.Split(doc, []byte{'\n'})
		items := 0
		for i, l := range lines {
			if i == 0 {
				l = bytes.TrimPrefix(bytes.TrimSpace(l), utf8BOM)
			}
			if len(bytes.TrimSpace(l)) > 0 {
				items++
			}
		}
		if got := len(rec.incidents) + len(rec.rejects); got != items {
			t.Fatalf("%d accepted + %d rejected, want %d non-blank lines", len(rec.incidents), len(rec.rejects), items)
		}
		for _, r := range rec.rejects {
			if r.Line < 1 || r.Line > len(lines) || len(bytes.TrimSpace(lines[r.Line-1])) == 0 || r.Err == nil {
				t.Fatalf("reject %+v: not on a non-blank line of %d", r, len(lines))
			}
		}
	})
}
