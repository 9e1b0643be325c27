package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSystemdUnit checks the shipped unit with systemd's own tools:
// `systemd-analyze verify` prints nothing, and the offline security
// exposure is at most 2.0.
func TestSystemdUnit(t *testing.T) {
	analyze := needBinary(t, "systemd-analyze")
	unit, err := os.ReadFile("../../configs/systemd/ceasefired.service")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(unit), "ExecStart=/usr/local/bin/ceasefired run") {
		t.Fatal("unit no longer starts /usr/local/bin/ceasefired run")
	}
	// verify wants the ExecStart binary to exist: point it at the test build.
	path := filepath.Join(t.TempDir(), "ceasefired.service")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(unit), "/usr/local/bin/ceasefired", binary)), 0o644); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(analyze, "security", "--offline=true", path).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for ceasefired.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	score, _ := strconv.ParseFloat(string(m[1]), 64)
	if score > 2.0 {
		t.Errorf("exposure %.1f, want at most 2.0", score)
	}
	t.Logf("systemd-analyze security exposure: %.1f", score)
}
