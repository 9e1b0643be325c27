package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/exporter-toolkit/web"
)

// BenchmarkPushMemory posts 8 maximal bodies at once (the default limits:
// 10 MiB, 10,000 items) to an in-process daemon, one round per b.N
// iteration, and reports the highest peak RSS of a round (VmHWM, reset
// before each round; the rise over the RSS before it is peak-rise-MB) and
// the highest rise of the Go heap over its size before the round, sampled
// every millisecond. The bodies: 10 MiB of
// empty objects, 10 MiB of field reports (far more than 10,000), and
// 10,000 field reports (accepted). Client and daemon share the process,
// but the client makes each body as it sends it.
//
//	go test -run '^$' -bench PushMemory -benchtime 3x ./cmd/ceasefired/internal/daemon/
func BenchmarkPushMemory(b *testing.B) {
	const limit = 10 << 20
	var round atomic.Int64
	at := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	report := func(prefix string) func(i int) string {
		return func(i int) string {
			return fmt.Sprintf(`{"id":"%s-%d","time":%q,"lat":%.5f,"lon":%.5f,"category":"shelling","reporter":"team 4"}`,
				prefix, i, at, 47.6+float64(i%1000)/1000, 37.1+float64(i%777)/500)
		}
	}
	bodies := []struct {
		name string
		body func(client int) io.Reader
		want int
	}{
		{"empty-objects-10MiB", func(int) io.Reader {
			return &itemsReader{item: func(int) string { return "{}" }, left: limit}
		}, http.StatusRequestEntityTooLarge},
		{"reports-10MiB", func(c int) io.Reader {
			return &itemsReader{item: report(fmt.Sprintf("m%d-%d", round.Add(1), c)), left: limit}
		}, http.StatusRequestEntityTooLarge},
		{"reports-10000", func(c int) io.Reader {
			return &itemsReader{item: report(fmt.Sprintf("m%d-%d", round.Add(1), c)), left: limit, items: 10000}
		}, http.StatusAccepted},
	}
	url := startPushDaemon(b)
	for _, bb := range bodies {
		b.Run(bb.name, func(b *testing.B) {
			var peakRSS, peakRise, peakHeap uint64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				debug.FreeOSMemory() // start each round from the live heap alone
				before := procStatusKB("VmRSS")
				resetPeakRSS(b)
				var heap uint64
				heapBefore := heapObjects()
				stop := sampleHeap(&heap)
				b.StartTimer()
				var wg sync.WaitGroup
				for c := 0; c < 8; c++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if code := postBody(b, url, bb.body(c)); code != bb.want {
							b.Errorf("status %d, want %d", code, bb.want)
						}
					}()
				}
				wg.Wait()
				stop()
				if heap > heapBefore {
					peakHeap = max(peakHeap, heap-heapBefore)
				}
				hwm := procStatusKB("VmHWM")
				peakRSS = max(peakRSS, hwm)
				if hwm > before {
					peakRise = max(peakRise, hwm-before)
				}
			}
			b.ReportMetric(float64(peakRSS)/1024, "peak-RSS-MB")
			b.ReportMetric(float64(peakRise)/1024, "peak-rise-MB")
			b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-rise-MB")
		})
	}
}

// itemsReader yields a JSON array of item(0), item(1), … made as they are
// read, at most items of them (0: no limit) and at most left bytes in all,
// so that the client holds no body.
type itemsReader struct {
	item  func(i int) string
	left  int // bytes
	items int
	n     int // items written
	buf   []byte
	done  bool
}

// Read implements io.Reader.
func (r *itemsReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		r.next()
	}
	k := copy(p, r.buf)
	r.buf = r.buf[k:]
	return k, nil
}

// next puts the next piece of the array in buf.
func (r *itemsReader) next() {
	if r.n == 0 {
		r.buf, r.left = append(r.buf, '['), r.left-2 // room for the closing bracket
	}
	s := r.item(r.n)
	if (r.items > 0 && r.n == r.items) || len(s)+1 > r.left {
		r.buf, r.done = append(r.buf, ']'), true
		return
	}
	if r.n > 0 {
		r.buf = append(r.buf, ',')
		r.left--
	}
	r.buf = append(r.buf, s...)
	r.left -= len(s)
	r.n++
}

// startPushDaemon runs an in-process daemon (real SQLite store) with one
// push source of the default limits, but no rate limit to speak of, until
// the benchmark ends; it returns the push endpoint's URL.
func startPushDaemon(b *testing.B) string {
	dir := b.TempDir()
	zones, _ := filepath.Abs("../../../../configs/demo/zones.geojson")
	if err := os.WriteFile(filepath.Join(dir, "t.token"), []byte(fieldToken), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - {file: %s, id_property: sector_id}
trials:
  - {name: t1, zones: ["*"], start: %s, prohibited: [shelling]}
sources:
  - name: field
    format: push
    push: {token_file: t.token, rate_limit: 100000, burst: 100000}
`, zones, time.Now().UTC().Add(-time.Hour).Format(time.RFC3339))), 0o644); err != nil {
		b.Fatal(err)
	}
	addrs := []string{"127.0.0.1:0"}
	none := ""
	var bound net.Addr
	d, err := New(Options{ConfigFile: cfg, StoragePath: filepath.Join(dir, "data"),
		Web:    &web.FlagConfig{WebListenAddresses: &addrs, WebConfigFile: &none},
		Logger: slog.New(slog.DiscardHandler), OnReady: func(a []net.Addr) { bound = a[0] }})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := d.Stop(); err != nil {
			b.Error(err)
		}
	})
	return "http://" + bound.String() + "/api/v1/incidents"
}

func postBody(b *testing.B, url string, body io.Reader) int {
	req, _ := http.NewRequest("POST", url, body)
	req.Header.Set("Authorization", "Bearer "+fieldToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Error(err)
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// resetPeakRSS makes VmHWM start again from the current RSS (Linux).
func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS: %v", err)
	}
}

// procStatusKB reads a kB field of /proc/self/status; 0 if absent.
func procStatusKB(field string) uint64 {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// sampleHeap raises *peak to the Go heap's object bytes every millisecond
// until the returned stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			*peak = max(*peak, heapObjects())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// heapObjects returns the bytes of the Go heap's objects, live or not yet
// collected.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
