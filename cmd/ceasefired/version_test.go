package main

import (
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

func TestModuleVersion(t *testing.T) {
	for _, tt := range []struct {
		main string
		ok   bool
		want string
	}{
		{"v1.4.2", true, "1.4.2"},
		{"v0.0.0-20261127054349-d13a6aa1b2c3", true, "0.0.0-20261127054349-d13a6aa1b2c3"},
		{"(devel)", true, "devel"},
		{"", true, "devel"},
		{"v1.4.2", false, "devel"},
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/ceasefired/ceasefired", Version: tt.main}}
		if got := moduleVersion(bi, tt.ok); got != tt.want {
			t.Errorf("moduleVersion(%q, %v) = %q, want %q", tt.main, tt.ok, got, tt.want)
		}
	}
}

// TestVersionFlag: a plain go build reports a version, not an empty one.
func TestVersionFlag(t *testing.T) {
	out, err := exec.Command(binary, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "ceasefired, version devel ") {
		t.Errorf("--version printed %q, want it to start with %q", out, "ceasefired, version devel ")
	}
}
