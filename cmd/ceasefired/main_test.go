package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// binary is the ceasefired executable built once for the integration tests.
var binary string

// parallelTests is how many tests marked parallel run at once unless
// -parallel says otherwise. They spend most of their time waiting on real
// processes (daemons, Prometheus, Alertmanager, a browser) and on the
// clock, so the default of one per core left them queued behind each other
// on a two-core machine: the package took twice the wall clock for the
// same CPU.
const parallelTests = 6

func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		if err := flag.Set("test.parallel", strconv.Itoa(max(parallelTests, runtime.GOMAXPROCS(0)))); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	dir, err := os.MkdirTemp("", "ceasefired-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "ceasefired")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build ceasefired: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needBinary returns the path of an external program, skipping the test
// when it is missing — except in CI, where .ci/run installs it and its
// absence is a failure.
func needBinary(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found in CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// proc is a ceasefired process started by a test.
type proc struct {
	cmd    *exec.Cmd
	url    string // base URL, once known
	stderr *strings.Builder
}

// startDaemon runs `ceasefired run` on a free loopback port with the given
// config and storage folder, and waits until /-/ready answers.
func startDaemon(t *testing.T, config, storage string, extra ...string) *proc {
	t.Helper()
	port := freePort(t)
	args := append([]string{"run", "--config.file=" + config, "--storage.path=" + storage,
		"--web.listen-address=127.0.0.1:" + strconv.Itoa(port), "--log.level=debug"}, extra...)
	p := &proc{cmd: exec.Command(binary, args...), url: fmt.Sprintf("http://127.0.0.1:%d", port), stderr: &strings.Builder{}}
	p.cmd.Stderr = &lockedWriter{w: p.stderr}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	waitFor(t, 20*time.Second, "daemon ready", func() bool {
		resp, err := http.Get(p.url + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return p
}

func (p *proc) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
}

// metrics fetches /metrics and returns the value of every sample by its
// series text (name{labels}).
func (p *proc) metrics(t *testing.T) map[string]float64 {
	t.Helper()
	body := httpGet(t, p.url+"/metrics")
	return parseSamples(body)
}

// settledMetrics waits up to limit until ok holds on a scrape, then returns
// the next scrape. The registry gathers metric families one after another,
// so the scrape that first shows an outcome (a source's last success) may
// hold counters read just before it was reached; a scrape begun after that
// one shows everything that preceded the outcome.
func (p *proc) settledMetrics(t *testing.T, limit time.Duration, what string, ok func(map[string]float64) bool) map[string]float64 {
	t.Helper()
	waitFor(t, limit, what, func() bool { return ok(p.metrics(t)) })
	return p.metrics(t)
}

var sampleRE = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$`)

func parseSamples(body string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range strings.Split(body, "\n") {
		if m := sampleRE.FindStringSubmatch(line); m != nil {
			v, err := strconv.ParseFloat(m[2], 64)
			if err == nil {
				out[m[1]] = v
			}
		}
	}
	return out
}

// sumSeries adds the samples whose series text starts with prefix.
func sumSeries(samples map[string]float64, prefix string) float64 {
	s := 0.0
	for k, v := range samples {
		if strings.HasPrefix(k, prefix) {
			s += v
		}
	}
	return s
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, b)
	}
	return string(b)
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// runCmd runs the binary to completion and returns stdout, stderr and the
// exit code.
func runCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("run %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return out.String(), errb.String(), code
}

// scanLines feeds each line of r to fn until fn returns true or r ends.
func scanLines(r io.Reader, fn func(string) bool) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if fn(sc.Text()) {
			return
		}
	}
}
