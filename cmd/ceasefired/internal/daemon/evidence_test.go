package daemon

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// TestEvidenceCheckpoints: the daemon generates its key at first start,
// logs the config and zone file it loads, signs a checkpoint when leaves
// arrive, serves the latest and exports its size; a reload logs the files
// again; the key survives a restart.
func TestEvidenceCheckpoints(t *testing.T) {
	start := time.Now()
	e := newTestEnv(t, start, "evidence:\n  checkpoint_interval: 50ms\n")
	var addr atomic.Pointer[string]
	d := startDaemon(t, e.options(&addr))
	base := *addr.Load()
	keyFile := filepath.Join(e.dir, "data", KeyFileName)
	s, vkey, err := evidence.ReadSigner(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "ceasefired" {
		t.Errorf("generated key named %q, want the default origin", s.Name())
	}
	v := verifier(t, vkey)
	checkpoint := func() evidence.Checkpoint {
		code, body := get(t, base+"/api/v1/evidence/checkpoint")
		if code != 200 {
			t.Fatalf("checkpoint: %d %s", code, body)
		}
		c, err := evidence.OpenCheckpoint([]byte(body), v)
		if err != nil {
			t.Fatalf("checkpoint does not verify: %v\n%s", err, body)
		}
		return c
	}
	// The config and its one zone file.
	waitFor(t, 5*time.Second, "a checkpoint of the versions", func() bool { return checkpoint().Size == 2 })
	if code, body := pushReport(t, base, "r1", start.Add(-time.Hour)); code != 202 {
		t.Fatalf("push: %d %s", code, body)
	}
	// Its incident and violation.
	waitFor(t, 5*time.Second, "a checkpoint of the report", func() bool { return checkpoint().Size == 4 })
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{"ceasefire_evidence_checkpoint_size 4", "ceasefire_evidence_log_size 4"} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
	leaves, err := d.store.Evidence(context.Background()).ReadLeaves(0, 4)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, l := range leaves {
		dl, err := evidence.Decode(l)
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, string(dl.Kind()))
		if vl, ok := dl.(evidence.Violation); ok && vl.Config != d.current.Load().cfg.SHA256 {
			t.Errorf("violation judged under config %v, want the one loaded", vl.Config)
		}
	}
	if got := strings.Join(kinds, " "); got != "version version incident violation" {
		t.Errorf("leaves %s", got)
	}
	if err := d.Reload(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "a checkpoint of the reload", func() bool { return checkpoint().Size == 6 })
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}

	// The same key signs after a restart, which logs the files again.
	startDaemon(t, e.options(&addr))
	base = *addr.Load()
	waitFor(t, 5*time.Second, "a checkpoint after the restart", func() bool { return checkpoint().Size == 8 })
}

func verifier(t *testing.T, vkey string) note.Verifier {
	t.Helper()
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
