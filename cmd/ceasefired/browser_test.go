package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browser records what a page did: its requests and its console errors.
type browser struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

func (b *browser) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			b.errors = append(b.errors, fmt.Sprintf("console.%s", e.Type))
		}
	case *runtime.EventExceptionThrown:
		b.errors = append(b.errors, "exception: "+e.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			b.errors = append(b.errors, fmt.Sprintf("log: %s (%s)", e.Entry.Text, e.Entry.URL))
		}
	}
}

// newBrowser starts Debian's chromium headless with a fresh profile and
// nothing that phones home. It skips the test without chromium, except in
// CI (CI=true), where .ci/run installs it and its absence fails.
func newBrowser(t *testing.T) (context.Context, *browser) {
	t.Helper()
	exe := needBinary(t, "chromium")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1100, 1400),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelBrowser := chromedp.NewContext(ctx, chromedp.WithAllocatorOptions(opts...))
	t.Cleanup(cancelBrowser)
	b := &browser{}
	if err := chromedp.Listen(ctx, b.listen); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, b
}

// artifactDir is where a test leaves files for CI to keep:
// $CEASEFIRED_ARTIFACTS, or the test's temporary folder when unset.
func artifactDir(t *testing.T) string {
	if dir := os.Getenv("CEASEFIRED_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// count evaluates a CSS selector's match count in the page.
func count(t *testing.T, ctx context.Context, selector string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", selector)))
	if err != nil {
		t.Fatalf("count %s: %v", selector, err)
	}
	return n
}

// TestReportInBrowser drives a real headless Chromium over the report of
// the fixture trial and the status page, served by a daemon with a real
// store: no console error, no request leaves the daemon, the map holds one
// shape per zone and one marker per violation with its tier, the strip
// days × zones cells, greyed where no source observed the day; the report
// a coverage row per source; a marker's link opens its raw record. The screenshot is left in
// $CEASEFIRED_ARTIFACTS (or the test's temporary folder) as report.png.
func TestReportInBrowser(t *testing.T) {
	t.Parallel() // waits on a browser and a daemon; runs beside the other slow tests
	ctx, b := newBrowser(t)
	f := newReportFixture(t)
	daemonHost := strings.TrimPrefix(f.daemon.url, "http://")

	const zones, days = 3, 6
	for _, page := range []string{"/trials/" + reportTrial, "/"} {
		t.Run(page, func(t *testing.T) {
			err := chromedp.Do(ctx, chromedp.Navigate(f.daemon.url+page), chromedp.WaitVisible("svg.map"))
			if err != nil {
				t.Fatalf("load %s: %v", page, err)
			}
			if n := count(t, ctx, "svg.map path.zone"); n != zones {
				t.Errorf("%d zone shapes, want %d", n, zones)
			}
			if n := count(t, ctx, "svg.map .marker"); n != f.violations {
				t.Errorf("%d markers, want %d", n, f.violations)
			}
			if n := count(t, ctx, "table.strip td.cell"); n != zones*days {
				t.Errorf("%d strip cells, want %d days × %d zones", n, days, zones)
			}
			if n := count(t, ctx, "svg.map .marker title"); n != f.violations {
				t.Errorf("%d marker tooltips, want %d", n, f.violations)
			}
			if n := count(t, ctx, `svg.map path.zone[class*="v-"]`); n != zones {
				t.Errorf("%d zone shapes filled by verdict, want %d", n, zones)
			}
			// No source fetched before the daemon started, hours after
			// the trial did: no day is observed, and every cell is grey.
			if n := count(t, ctx, "table.strip td.cell.unobserved"); n != zones*days {
				t.Errorf("%d greyed strip cells, want all %d: no day was observed", n, zones*days)
			}
			if n := count(t, ctx, `svg.map .marker[data-tier="single"]`); n != f.violations {
				t.Errorf("%d markers of tier single, want %d", n, f.violations)
			}
		})
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(f.daemon.url+"/trials/"+reportTrial), chromedp.WaitVisible("svg.map")); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ctx, "table.verdicts tbody tr"); n != zones {
		t.Errorf("%d rows in the verdict table, want %d", n, zones)
	}
	if n := count(t, ctx, "table.coverage tbody tr"); n != 2 {
		t.Errorf("%d rows in the coverage table, want one per source (2)", n)
	}
	if n := count(t, ctx, "svg.thermal-chart"); n != zones {
		t.Errorf("%d thermal charts, want one per zone (%d)", n, zones)
	}
	if n := count(t, ctx, `svg.thermal-chart[data-zone="north"] .observed-day`); n != days-1 {
		t.Errorf("north's thermal chart shows %d days, want the %d complete ones", n, days-1)
	}
	if n := count(t, ctx, `svg.thermal-chart[data-zone="north"] path.band`); n != 1 {
		t.Errorf("north's thermal chart has %d background bands, want 1", n)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(artifactDir(t), "report.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)

	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("svg.map .marker").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(f.daemon.url+href)); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body.innerText"))
	if err != nil || !strings.Contains(body, `"raw"`) {
		t.Errorf("the marker's link %s shows %q, %v; want the raw record", href, body, err)
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.requests) == 0 {
		t.Fatal("no request seen: the network listener is not working")
	}
	for _, r := range b.requests {
		u, err := url.Parse(r)
		if err != nil || u.Scheme != "http" || u.Host != daemonHost {
			t.Errorf("request %s leaves the daemon at %s", r, daemonHost)
		}
	}
	for _, e := range b.errors {
		t.Errorf("browser error: %s", e)
	}
}
