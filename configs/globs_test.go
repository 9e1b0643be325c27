package configs

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGlobFolders checks the path globs of file sources: a missing folder
// is a warning for the daemon (Load) and an error for check config
// (Check); a folder where the glob matches nothing is a warning for both.
func TestGlobFolders(t *testing.T) {
	tests := []struct {
		name    string
		path    string   // of the source, relative to the config
		files   []string // created below the config's folder
		warning string   // "" for none; after "ceasefired.yml:12: sources[0].path: "
		err     string   // of Check only; "" for none
	}{
		{"matches", "in/*.csv", []string{"in/a.csv"}, "", ""},
		{"literal file", "in/a.csv", []string{"in/a.csv"}, "", ""},
		{"no match yet", "in/*.csv", []string{"in/a.txt"}, `no file in DIR/in matches the path of source "s" yet`, ""},
		{"pattern in a folder name", "in/*/x.csv", []string{"in/a/y.csv"}, `no file in DIR/in matches the path of source "s" yet`, ""},
		{"missing folder", "spool/*.csv", nil, `folder DIR/spool of source "s" does not exist`, `folder DIR/spool of source "s" does not exist`},
		{"missing parent of a pattern", "spool/*/x.csv", nil, `folder DIR/spool of source "s" does not exist`, `folder DIR/spool of source "s" does not exist`},
		{"file in place of the folder", "in/a.csv/*.csv", []string{"in/a.csv"}, `folder DIR/in/a.csv of source "s" is not a folder`, `folder DIR/in/a.csv of source "s" is not a folder`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeConfig(t, "sources:\n  - name: s\n    format: firms\n    path: "+tt.path+"\n    schedule: \"@hourly\"\n")
			dir := filepath.Dir(cfg)
			for _, f := range tt.files {
				if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			named := func(msg string) string {
				return cfg + ":12: sources[0].path: " + strings.ReplaceAll(msg, "DIR", dir)
			}
			var want []string
			if tt.warning != "" {
				want = []string{named(tt.warning)}
			}
			c, warnings, err := LoadWithWarnings(cfg)
			if err != nil || c == nil {
				t.Fatalf("LoadWithWarnings: %v; the daemon must start", err)
			}
			if !slices.Equal(warnings, want) {
				t.Errorf("LoadWithWarnings warnings %q, want %q", warnings, want)
			}

			c, warnings, err = Check(cfg)
			if tt.err == "" {
				if err != nil || c == nil {
					t.Fatalf("Check: %v", err)
				}
				if !slices.Equal(warnings, want) {
					t.Errorf("Check warnings %q, want %q", warnings, want)
				}
				return
			}
			if err == nil || err.Error() != named(tt.err) || c != nil {
				t.Errorf("Check = %v, %v; want no config and %q", c, err, named(tt.err))
			}
			if len(warnings) != 0 {
				t.Errorf("Check warnings %q, want the missing folder as an error only", warnings)
			}
		})
	}
}
