package monitor

import (
	"maps"
	"testing"
	"time"
)

func TestProgressRoundTrip(t *testing.T) {
	tests := []progress{
		{cursor: "abc", records: 1, sum: 0},
		{prev: "etag=%22x%22&sha256=00", cursor: "etag=%22y%22&sha256=ff", records: 40000, sum: 0xffffffffffffffff},
		{prev: "partial:looks like progress", cursor: "c&d=e", records: 7, sum: 12345},
	}
	for _, p := range tests {
		t.Run(p.String(), func(t *testing.T) {
			got, ok := parseProgress(p.String())
			if !ok || got != p {
				t.Errorf("round trip %+v → %q → %+v, %v", p, p.String(), got, ok)
			}
		})
	}
}

func TestParseProgressRejects(t *testing.T) {
	tests := []struct{ name, value string }{
		{"a fetcher's hex cursor", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		{"a fetcher's query cursor", "etag=%22x%22&sha256=00"},
		{"empty", ""},
		{"bad escape", "partial:%zz"},
		{"no records", "partial:cursor=c&sum=1"},
		{"negative records", "partial:cursor=c&records=-1&sum=1"},
		{"no sum", "partial:cursor=c&records=1"},
		{"sum not hex", "partial:cursor=c&records=1&sum=xyz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if p, ok := parseProgress(tt.value); ok {
				t.Errorf("parseProgress(%q) = %+v, want not progress", tt.value, p)
			}
		})
	}
}

func TestSplitProgress(t *testing.T) {
	stored := map[string]string{
		"plain":    "v1",
		"later":    progress{prev: "v1", cursor: "v2", records: 10, sum: 3}.String(),
		"first":    progress{cursor: "v1", records: 10, sum: 3}.String(),
		"unusable": "partial:records=x",
	}
	cursors, partial := splitProgress(stored)
	if want := map[string]string{"plain": "v1", "later": "v1"}; !maps.Equal(cursors, want) {
		t.Errorf("cursors %v, want %v", cursors, want)
	}
	if len(partial) != 2 || partial["later"].cursor != "v2" || partial["first"].records != 10 {
		t.Errorf("partial %+v, want later and first", partial)
	}
}

func TestRecordDigest(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	base := Incident{ID: "a", OccurredAt: at, Lon: 1, Lat: 2, Category: Shelling}
	digest := func(incs []Incident, rejects ...int) uint64 {
		d := newRecordDigest()
		for i := range incs {
			d.incident(&incs[i])
		}
		for _, line := range rejects {
			d.reject(line, ReasonBadTime)
		}
		return d.sum()
	}
	same := digest([]Incident{base})
	edits := []struct {
		name string
		edit func(*Incident)
	}{
		{"id", func(i *Incident) { i.ID = "b" }},
		{"time", func(i *Incident) { i.OccurredAt = at.Add(time.Nanosecond) }},
		{"lon", func(i *Incident) { i.Lon = 1.0000001 }},
		{"lat", func(i *Incident) { i.Lat = -2 }},
		{"category", func(i *Incident) { i.Category = AirStrike }},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			inc := base
			e.edit(&inc)
			if digest([]Incident{inc}) == same {
				t.Errorf("changing the %s leaves the digest alike", e.name)
			}
		})
	}
	if digest([]Incident{base}) != same {
		t.Error("the digest of the same records differs")
	}
	if digest(nil, 3) == digest(nil, 4) || digest([]Incident{base}, 3) == same {
		t.Error("rejected rows do not enter the digest")
	}
	a, b := base, base
	b.ID = "b"
	if digest([]Incident{a, b}) == digest([]Incident{b, a}) {
		t.Error("the digest ignores the order of records")
	}
}
