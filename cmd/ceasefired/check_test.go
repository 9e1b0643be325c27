package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckConfigGlobFolder checks that `check config` fails on a file
// source whose folder does not exist, naming the file, line and source,
// and only warns when the folder exists but the glob matches no file.
func TestCheckConfigGlobFolder(t *testing.T) {
	zones, err := filepath.Abs("../../configs/demo/zones.geojson")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		mkdir   bool
		code    int
		stdout  string // contained in stdout
		stderr  string // contained in stderr
		success bool
	}{
		{"missing folder", false, 1, "", `c.yml:10: sources[0].path: folder %s/spool of source "archive" does not exist`, false},
		{"empty folder", true, 0, `WARNING: %s/c.yml:10: sources[0].path: no file in %s/spool matches the path of source "archive" yet`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.mkdir {
				if err := os.Mkdir(filepath.Join(dir, "spool"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cfg := filepath.Join(dir, "c.yml")
			text := fmt.Sprintf(`zones:
  - {file: %s, id_property: sector_id}
trials:
  - {name: t, zones: ["*"], start: 2026-03-01T00:00:00Z, prohibited: [shelling]}
sources:
  - name: archive
    format: csv
    csv: {lat: lat, lon: lon, time: time}
    category: shelling
    path: spool/*.csv
    schedule: "@hourly"
`, zones)
			if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := checkConfig(cfg, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr.String())
			}
			if tt.stdout != "" {
				if want := fmt.Sprintf(tt.stdout, dir, dir); !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout does not contain %q:\n%s", want, stdout.String())
				}
			}
			if tt.stderr != "" {
				if want := fmt.Sprintf(tt.stderr, dir); !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr.String())
				}
			}
			if got := strings.Contains(stdout.String(), "SUCCESS"); got != tt.success {
				t.Errorf("SUCCESS printed: %v, want %v:\n%s", got, tt.success, stdout.String())
			}
		})
	}
}
