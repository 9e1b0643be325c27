package configs

import (
	"crypto/sha256"
	"os"
	"testing"
	"time"
)

// TestEvidenceDefaultsAndDigests checks the evidence block's defaults and
// that the config and its zone files carry the digests of their bytes,
// the versions the evidence log records.
func TestEvidenceDefaultsAndDigests(t *testing.T) {
	t.Setenv("FIRMS_MAP_KEY", "not-a-real-key")
	c, err := Load("testdata/design.yml")
	if err != nil {
		t.Fatal(err)
	}
	if got := time.Duration(c.Evidence.CheckpointInterval); got != DefaultCheckpointInterval {
		t.Errorf("checkpoint_interval %v, want %v", got, DefaultCheckpointInterval)
	}
	if c.Evidence.Origin != DefaultEvidenceOrigin || c.Evidence.KeyFile != "" {
		t.Errorf("origin %q, key_file %q: want the defaults", c.Evidence.Origin, c.Evidence.KeyFile)
	}
	files := map[string][32]byte{c.File: c.SHA256}
	for _, z := range c.Zones {
		files[z.File] = z.SHA256
	}
	for path, got := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != sha256.Sum256(data) {
			t.Errorf("%s: digest %x is not that of its bytes", path, got)
		}
	}
}
