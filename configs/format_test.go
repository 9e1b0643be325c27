package configs

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor/ingest"
)

// TestFormatsBuild builds one source of every registered format and checks
// that each gets a decoder, and a fetcher unless it is pushed.
func TestFormatsBuild(t *testing.T) {
	c, err := Load("testdata/formats/formats.yml")
	if err != nil {
		t.Fatal(err)
	}
	var covered []string
	for i := range c.Sources {
		s := &c.Sources[i]
		t.Run(s.Name, func(t *testing.T) {
			b, err := s.Build(BuildOptions{UserAgent: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if b.Decoder == nil {
				t.Error("no decoder")
			}
			if (b.Fetcher == nil) != s.Pushed() {
				t.Errorf("fetcher %v for a source with Pushed() = %v", b.Fetcher, s.Pushed())
			}
		})
		if !slices.Contains(covered, s.Format) {
			covered = append(covered, s.Format)
		}
	}
	if want := formatNames(); !slices.Equal(covered, want) {
		t.Errorf("testdata/formats/formats.yml covers formats %q, want one source of each of %q", covered, want)
	}
}

// TestFormatsMinConfidence checks that min_confidence is accepted by the
// config exactly when the decoders' parser, ingest.ParseConfidence,
// accepts it: the config used to reject "High", which decoders read.
func TestFormatsMinConfidence(t *testing.T) {
	for _, value := range []string{"High", "h", " nominal ", "LOW", "74", "100", "medium", "101", "-1", "NaN"} {
		_, perr := ingest.ParseConfidence(value)
		for _, block := range []string{"firms", "points"} {
			t.Run(block+"="+value, func(t *testing.T) {
				format := map[string]string{"firms": "firms", "points": "jsonl"}[block]
				path := writeConfig(t, fmt.Sprintf(`sources:
  - name: s
    format: %s
    path: in/*.x
    schedule: "@hourly"
    %s: {min_confidence: %q}
`, format, block, value))
				_, err := Load(path)
				if (err == nil) != (perr == nil) {
					t.Errorf("Load error %v, ParseConfidence error %v: they must agree", err, perr)
				}
				if perr != nil && (err == nil || !strings.Contains(err.Error(), perr.Error())) {
					t.Errorf("Load error %v does not carry the parser's %q", err, perr)
				}
			})
		}
	}
}

// writeConfig writes a config with one zone file and one trial, followed by
// rest, into a new folder and returns its path.
func writeConfig(t *testing.T, rest string) string {
	t.Helper()
	zones, err := filepath.Abs("testdata/zones/oblasts.geojson")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ceasefired.yml")
	text := "zones:\n  - file: " + zones + "\n    id_property: iso_3166_2\n" +
		"trials:\n  - name: t\n    zones: [\"*\"]\n    start: 2026-12-01T00:00:00Z\n    prohibited: [shelling]\n" + rest
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
