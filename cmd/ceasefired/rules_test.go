package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestShippedRulesAndRoutes runs the unit tests of the shipped Prometheus
// rules (the thermal-excess alert and the verdict rule among them) with
// promtool, checks the shipped Alertmanager configuration with amtool, and
// that its route pages on corroborated violations only.
func TestShippedRulesAndRoutes(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	promtool := needBinary(t, "promtool")
	if out, err := exec.Command(promtool, "test", "rules", "../../configs/prometheus/ceasefired.rules.test.yml").CombinedOutput(); err != nil {
		t.Errorf("promtool test rules: %v\n%s", err, out)
	}
	amtool := needBinary(t, "amtool")
	const cfg = "../../configs/alertmanager/alertmanager.yml"
	if out, err := exec.Command(amtool, "check-config", cfg).CombinedOutput(); err != nil {
		t.Errorf("amtool check-config: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		tier, want string
	}{
		{"corroborated", "verification-pager,verification-team"},
		{"single", "verification-team"},
	} {
		out, err := exec.Command(amtool, "config", "routes", "test", "--config.file="+cfg,
			"alertname=CeasefireViolation", "severity=critical", "tier="+tc.tier).Output()
		if err != nil {
			t.Fatalf("amtool config routes test: %v", err)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("tier %s routes to %q, want %q", tc.tier, got, tc.want)
		}
	}
}
