package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSystemdNotify runs the daemon under a fake NOTIFY_SOCKET and checks
// the READY / WATCHDOG / RELOADING / READY / STOPPING sequence that a
// Type=notify unit relies on.
func TestSystemdNotify(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	dir := t.TempDir()
	sock := filepath.Join(dir, "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	msgs := make(chan string, 100)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(msgs)
				return
			}
			msgs <- string(buf[:n])
		}
	}()

	cfg := writeSmallConfig(t, dir)
	port := freePort(t)
	cmd := exec.Command(binary, "run", "--config.file="+cfg, "--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address=127.0.0.1:"+strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock, "WATCHDOG_USEC=400000")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()

	next := func(want string) {
		t.Helper()
		deadline := time.After(15 * time.Second)
		for {
			select {
			case m := <-msgs:
				if m == want {
					return
				}
				if m != "WATCHDOG=1" {
					t.Fatalf("got %q while waiting for %q", m, want)
				}
			case <-deadline:
				t.Fatalf("no %q from the daemon", want)
			}
		}
	}
	next("READY=1")
	// The ready daemon answers HTTP: READY came after the listener was bound.
	httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/-/ready", port))
	watchdogs := 0
	for deadline := time.After(2 * time.Second); watchdogs < 3; {
		select {
		case m := <-msgs:
			if m != "WATCHDOG=1" {
				t.Fatalf("unexpected %q", m)
			}
			watchdogs++
		case <-deadline:
			t.Fatalf("%d watchdog pings in 2 s with WATCHDOG_USEC=400000, want >= 3", watchdogs)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	next("RELOADING=1")
	next("READY=1")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	next("STOPPING=1")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

// writeSmallConfig writes a config over the demo zones with one CSV source
// reading dir/spool/*.csv, and returns its path.
func writeSmallConfig(t *testing.T, dir string) string {
	t.Helper()
	zones, err := filepath.Abs("../../configs/demo/zones.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "spool"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := strings.ReplaceAll(`zones:
  - file: ZONES
    id_property: sector_id
trials:
  - name: t1
    zones: ["*"]
    start: 2026-01-01T00:00:00Z
    prohibited: [shelling]
sources:
  - name: spool
    format: csv
    path: spool/*.csv
    schedule: "@every 1s"
    csv: {id: id, lat: lat, lon: lon, time: time, category: category}
`, "ZONES", zones)
	p := filepath.Join(dir, "ceasefired.yml")
	if err := os.WriteFile(p, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
