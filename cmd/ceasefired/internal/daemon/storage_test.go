package daemon

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor/store"
)

// seedStore runs the daemon of e once: one pushed violation, then a clean
// stop, leaving a store with counts and a firing alert.
func seedStore(t *testing.T, e *testEnv) {
	t.Helper()
	var addr atomic.Pointer[string]
	d := startDaemon(t, e.options(&addr))
	if code, body := pushReport(t, *addr.Load(), "s1", e.clock.Now().Add(-time.Minute)); code != http.StatusAccepted {
		t.Fatalf("push: %d %s", code, body)
	}
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
}

// checkReadOnlyDaemon checks a daemon running on a read-only store:
// ready, saying so in a metric and on the landing page, serving the stored
// counts and alert, and refusing to store with a clear error.
func checkReadOnlyDaemon(t *testing.T, e *testEnv, d *Daemon, base string) {
	t.Helper()
	if code, _ := get(t, base+"/-/ready"); code != http.StatusOK {
		t.Errorf("/-/ready: %d, want 200", code)
	}
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{
		"ceasefire_storage_read_only 1",
		`ceasefire_violations_total{category="shelling",trial="t1",zone_id="north"} 1`,
	} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if _, page := get(t, base+"/"); !strings.Contains(page, "the store is read-only") {
		t.Error("the landing page does not say the store is read-only")
	}
	if n := len(d.alerting.manager.Active()); n != 1 {
		t.Errorf("%d active alerts, want the stored one", n)
	}
	code, body := pushReport(t, base, "s2", e.clock.Now())
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "read-only") {
		t.Errorf("push to a read-only store: %d %q, want 503 saying read-only", code, body)
	}
	e.report(t, "f1", e.clock.Now())
	waitFor(t, 10*time.Second, "a failed fetch of the spool", func() bool {
		_, m := get(t, base+"/metrics")
		return strings.Contains(m, `ceasefire_source_fetch_failures_total{source="spool"} `) &&
			!strings.Contains(m, `ceasefire_source_fetch_failures_total{source="spool"} 0`)
	})
	if !strings.Contains(e.logs.String(), "the disk is full: store opened read-only") {
		t.Errorf("no log line about the read-only mode:\n%s", e.logs)
	}
	if err := d.Stop(); err != nil {
		t.Errorf("Stop of a read-only daemon with nothing undelivered: %v", err)
	}
}

// TestReadOnlyWhenDiskFull: when the writable open reports a full disk,
// the daemon starts on the store opened read-only.
func TestReadOnlyWhenDiskFull(t *testing.T) {
	e := newTestEnv(t, time.Now().UTC(), "")
	seedStore(t, e)
	var addr atomic.Pointer[string]
	d, err := New(e.options(&addr))
	if err != nil {
		t.Fatal(err)
	}
	d.open = func(dir string, o store.Options) (stateDB, error) {
		if !o.ReadOnly {
			return nil, fmt.Errorf("open %s: %w (disk I/O error (4874))", dir, store.ErrDiskFull)
		}
		return openStore(dir, o)
	}
	startBuilt(t, d)
	checkReadOnlyDaemon(t, e, d, *addr.Load())
}

// TestOtherOpenErrorsFail: only a full disk falls back to read-only.
func TestOtherOpenErrorsFail(t *testing.T) {
	e := newTestEnv(t, time.Now().UTC(), "")
	var addr atomic.Pointer[string]
	d, err := New(e.options(&addr))
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	d.open = func(string, store.Options) (stateDB, error) { return nil, boom }
	if err := d.Start(t.Context()); !errors.Is(err, boom) {
		t.Fatalf("Start = %v, want boom", err)
	}
}

// TestReadOnlyOnFullTmpfs is TestReadOnlyWhenDiskFull on a real full
// disk: a small tmpfs, when the test may mount one (root on Linux).
func TestReadOnlyOnFullTmpfs(t *testing.T) {
	e := newTestEnv(t, time.Now().UTC(), "")
	seedStore(t, e)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	copyFile(t, filepath.Join(e.dir, "data", store.FileName), filepath.Join(mnt, store.FileName))
	fillDisk(t, filepath.Join(mnt, "filler"))
	var addr atomic.Pointer[string]
	o := e.options(&addr)
	o.StoragePath = mnt
	d := startDaemon(t, o)
	checkReadOnlyDaemon(t, e, d, *addr.Load())
	for _, line := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(line, "read-only") {
			t.Log(line)
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// fillDisk writes path until the file system has no space left.
func fillDisk(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}
