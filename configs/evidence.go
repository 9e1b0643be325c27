package configs

import (
	"os"
	"strings"
	"unicode/utf8"
)

// validateEvidence checks the evidence block and makes its key file
// absolute, relative to the config file's folder like zone files.
func validateEvidence(c *Config, ps *problems, zl zoneLoader) {
	e, p := &c.Evidence, keyPath{"evidence"}
	if e.CheckpointInterval <= 0 {
		ps.addf(p.key("checkpoint_interval"), "must be greater than 0")
	}
	// The rules of a signed note's key name.
	if e.Origin == "" || !utf8.ValidString(e.Origin) || strings.ContainsAny(e.Origin, "+ \t\n\r") {
		ps.addf(p.key("origin"), "%q: want a non-empty name without spaces or '+'", e.Origin)
	}
	if e.KeyFile == "" {
		return
	}
	shown, abs := zl.resolve(e.KeyFile)
	if _, err := os.Stat(shown); err != nil {
		ps.addErr(p.key("key_file"), err)
		return
	}
	e.KeyFile = abs
}
