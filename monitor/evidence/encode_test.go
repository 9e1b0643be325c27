package evidence

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 6, 30, 0, 0, time.UTC)

func sampleIncident() Incident {
	return Incident{Source: "firms-noaa20", ID: "48.1_37.9_2026-12-01_0630_N20", OccurredAt: t0,
		Lon: 37.9, Lat: 48.1, UncertaintyM: 375, Category: "thermal_anomaly", Confidence: 80,
		RawSHA256: Sum([]byte("48.1,37.9,...\n"))}
}

func sampleViolation() Violation {
	return Violation{Trial: "donbas-freeze", ZoneID: "UA-14", Category: "shelling", Placement: "inside",
		Source: "acled", IncidentID: "UKR12345", ZoneVersion: Sum([]byte("zones")), Config: Sum([]byte("config"))}
}

func sampleLeaves() []Leaf {
	return []Leaf{
		Document{Source: "acled", SHA256: Sum([]byte("doc")), FetchedAt: t0.Add(1500 * time.Millisecond), Cursor: "2026-12-01"},
		sampleIncident(),
		sampleViolation(),
		Retraction(sampleViolation()),
		Version{FileKind: "zone", Name: "zones/ua.geojson", SHA256: Sum([]byte("zones"))},
	}
}

func TestEncodeGolden(t *testing.T) {
	got, err := Encode(sampleIncident())
	if err != nil {
		t.Fatal(err)
	}
	want := "ceasefired-evidence-v1 incident\n" +
		"source 12:firms-noaa20\n" +
		"id 29:48.1_37.9_2026-12-01_0630_N20\n" +
		"occurred_at 20:2026-12-01T06:30:00Z\n" +
		"lon 4:37.9\n" +
		"lat 4:48.1\n" +
		"uncertainty_m 3:375\n" +
		"category 15:thermal_anomaly\n" +
		"confidence 2:80\n" +
		"raw_sha256 64:" + Sum([]byte("48.1,37.9,...\n")).String() + "\n"
	if string(got) != want {
		t.Errorf("Encode =\n%s\nwant\n%s", got, want)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, l := range sampleLeaves() {
		t.Run(string(l.Kind()), func(t *testing.T) {
			b, err := Encode(l)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode(%q): %v", b, err)
			}
			if back != l {
				t.Errorf("Decode(Encode(%#v)) = %#v", l, back)
			}
		})
	}
}

// TestEncodeInjective encodes leaves that a naive joined form would
// confuse (separators and newlines moved between fields, kinds that share
// fields) and checks that no two encodings are equal and that each
// decodes back to its own leaf.
func TestEncodeInjective(t *testing.T) {
	inc := func(source, id string) Incident { i := sampleIncident(); i.Source, i.ID = source, id; return i }
	doc := func(source, cursor string) Document {
		return Document{Source: source, FetchedAt: t0, Cursor: cursor}
	}
	leaves := map[string]Leaf{
		"plain":                  inc("a", "b"),
		"space moved":            inc("a ", "b"),
		"space moved back":       inc("a", " b"),
		"newline in id":          inc("a", "b\nid 1:c"),
		"newline in source":      inc("a\nid 1:b", ""),
		"colon and length":       inc("a", "1:b"),
		"empty":                  inc("", ""),
		"empty id":               inc("ab", ""),
		"empty source":           inc("", "ab"),
		"field line in cursor":   doc("s", "x\nsha256 64:"+strings.Repeat("0", 64)),
		"cursor":                 doc("s", "x"),
		"cursor in source":       doc("s\ncursor 1:x", ""),
		"violation":              sampleViolation(),
		"retraction":             Retraction(sampleViolation()),
		"version zone":           Version{FileKind: "zone", Name: "a"},
		"version config":         Version{FileKind: "config", Name: "a"},
		"version kind in name":   Version{FileKind: "zone\nname 1:a", Name: ""},
		"unicode id":             inc("a", "é"),
		"invalid utf-8 in id":    inc("a", "\xff\xfe"),
		"nul in id":              inc("a", "b\x00c"),
		"header in id":           inc("a", "ceasefired-evidence-v1 incident\n"),
		"trailing newline in id": inc("a", "b\n"),
	}
	seen := map[string]string{}
	for name, l := range leaves {
		t.Run(name, func(t *testing.T) {
			b, err := Encode(l)
			if err != nil {
				t.Fatal(err)
			}
			if other, ok := seen[string(b)]; ok {
				t.Fatalf("same encoding as %q: %q", other, b)
			}
			seen[string(b)] = name
			back, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode(%q): %v", b, err)
			}
			if back != l {
				t.Errorf("Decode = %#v, want %#v", back, l)
			}
		})
	}
}

func TestEncodeValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*Incident)
		want string // the line expected in the encoding
	}{
		{"negative zero is zero", func(i *Incident) { i.Lon = math.Copysign(0, -1) }, "lon 1:0\n"},
		{"shortest decimal", func(i *Incident) { i.Lat = 0.1 }, "lat 3:0.1\n"},
		{"no exponent", func(i *Incident) { i.UncertaintyM = 1e21 }, "uncertainty_m 22:1000000000000000000000\n"},
		{"small without exponent", func(i *Incident) { i.Lat = 1e-7 }, "lat 9:0.0000001\n"},
		{"no confidence", func(i *Incident) { i.Confidence = -1 }, "confidence 2:-1\n"},
		{"time in UTC", func(i *Incident) { i.OccurredAt = t0.In(time.FixedZone("EET", 7200)) }, "occurred_at 20:2026-12-01T06:30:00Z\n"},
		{"nanoseconds trimmed", func(i *Incident) { i.OccurredAt = t0.Add(120 * time.Millisecond) }, "occurred_at 23:2026-12-01T06:30:00.12Z\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := sampleIncident()
			tc.set(&i)
			b, err := Encode(i)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte(tc.want)) {
				t.Errorf("encoding %q lacks %q", b, tc.want)
			}
			if _, err := Decode(b); err != nil {
				t.Errorf("Decode: %v", err)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*Incident)
		want string
	}{
		{"NaN", func(i *Incident) { i.Lon = math.NaN() }, "field lon: number NaN: not finite"},
		{"infinity", func(i *Incident) { i.Confidence = math.Inf(1) }, "field confidence: number +Inf: not finite"},
		{"year 10000", func(i *Incident) { i.OccurredAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "year outside 0000..9999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := sampleIncident()
			tc.set(&i)
			_, err := Encode(i)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Encode error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	good, err := Encode(Version{FileKind: "zone", Name: "z", SHA256: Sum(nil)})
	if err != nil {
		t.Fatal(err)
	}
	hash := Sum(nil).String()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "no header line"},
		{"other header", "ceasefired-evidence-v2 version\n", "header"},
		{"unknown kind", "ceasefired-evidence-v1 verdict\n", "unknown kind"},
		{"missing field", "ceasefired-evidence-v1 version\nfile_kind 4:zone\nname 1:z\n", "want field sha256"},
		{"fields swapped", "ceasefired-evidence-v1 version\nname 1:z\nfile_kind 4:zone\nsha256 64:" + hash + "\n", "want field file_kind"},
		{"trailing line", string(good) + "x 1:y\n", "bytes after the last field"},
		{"no final newline", strings.TrimSuffix(string(good), "\n"), "not followed by a newline"},
		{"length too long", strings.Replace(string(good), "name 1:z", "name 2:z", 1), "not followed by a newline"},
		{"leading zero", strings.Replace(string(good), "name 1:z", "name 01:z", 1), "not a canonical decimal"},
		{"plus sign", strings.Replace(string(good), "name 1:z", "name +1:z", 1), "not a canonical decimal"},
		{"uppercase digest", strings.Replace(string(good), hash, strings.ToUpper(hash), 1), "lowercase"},
		{"short digest", strings.Replace(string(good), "64:"+hash, "2:ab", 1), "want 64 hexadecimal digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Decode error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDecodeRejectsNonCanonicalValues(t *testing.T) {
	good, err := Encode(sampleIncident())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new string }{
		{"time offset", "occurred_at 20:2026-12-01T06:30:00Z", "occurred_at 25:2026-12-01T08:30:00+02:00"},
		{"time zero fraction", "occurred_at 20:2026-12-01T06:30:00Z", "occurred_at 22:2026-12-01T06:30:00.0Z"},
		{"number exponent", "uncertainty_m 3:375", "uncertainty_m 7:3.75e+2"},
		{"number trailing zero", "lon 4:37.9", "lon 5:37.90"},
		{"negative zero", "confidence 2:80", "confidence 2:-0"},
		{"hex float", "confidence 2:80", "confidence 6:0x1p+6"},
		{"not a number", "confidence 2:80", "confidence 3:NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strings.Replace(string(good), tc.old, tc.new, 1)
			if in == string(good) {
				t.Fatalf("%q not in the encoding", tc.old)
			}
			if _, err := Decode([]byte(in)); err == nil {
				t.Errorf("Decode(%q) accepted a non-canonical value", in)
			}
		})
	}
}

// FuzzDecode checks that Decode accepts only canonical encodings: what it
// accepts encodes back to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, l := range sampleLeaves() {
		b, err := Encode(l)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Encode(l)
		if err != nil {
			t.Fatalf("Encode(Decode(%q)): %v", b, err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("Encode(Decode(%q)) = %q", b, again)
		}
	})
}

// TestIncidentEncodingIsGeneric: the encoding of incidents, written field
// by field for speed, is that of the generic loop over their fields.
func TestIncidentEncodingIsGeneric(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*Incident)
	}{
		{"sample", func(*Incident) {}},
		{"negative zero and fractions", func(i *Incident) { i.Lon, i.Lat, i.UncertaintyM = math.Copysign(0, -1), -0.1, 1e21 }},
		{"nanoseconds in another zone", func(i *Incident) {
			i.OccurredAt = time.Date(2022, 2, 24, 4, 0, 0, 120, time.FixedZone("EET", 7200))
		}},
		{"texts with newlines, empty", func(i *Incident) { i.Source, i.ID, i.Category = "a\nb", "", "x y:z" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := sampleIncident()
			tc.set(&i)
			got, err := Encode(i)
			if err != nil {
				t.Fatal(err)
			}
			want := []byte(Header + " incident\n")
			for _, f := range i.fields() {
				v, err := formatValue(f.ptr)
				if err != nil {
					t.Fatal(err)
				}
				want = appendField(want, f.name, v)
			}
			if string(got) != string(want) {
				t.Errorf("Encode =\n%s\nwant\n%s", got, want)
			}
		})
	}
}
