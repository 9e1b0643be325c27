package daemon

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkPush drives POST /api/v1/incidents of an in-process daemon
// (real SQLite store) over loopback, each request carrying 100 new field
// reports, and reports incidents/s and request latencies. One b.N
// iteration is one request. "saturate" has 4 clients send back to back (the
// most the daemon takes); "rate=10000" offers 10,000 incidents/s (100
// requests/s) and measures latency from each request's due time, so that
// queueing is not hidden.
//
//	go test -run '^$' -bench '^BenchmarkPush$' -benchtime 1000x ./cmd/ceasefired/internal/daemon/
func BenchmarkPush(b *testing.B) {
	b.Run("saturate", func(b *testing.B) { benchPush(b, 0) })
	b.Run("rate=10000", func(b *testing.B) { benchPush(b, 10*time.Millisecond) })
}

const fieldToken = "field-team-token-0123456789"

// benchPush sends b.N requests; with every > 0, request i is due at
// start + i×every, else each client sends its next at once.
func benchPush(b *testing.B, every time.Duration) {
	const perRequest, clients = 100, 4
	url := startPushDaemon(b)
	at := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	var next atomic.Int64
	body := func() []byte {
		var sb strings.Builder
		sb.WriteByte('[')
		for i := 0; i < perRequest; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			n := next.Add(1)
			fmt.Fprintf(&sb, `{"id":"r%d","time":%q,"lat":%.5f,"lon":%.5f,"category":"shelling"}`,
				n, at, 47.6+float64(n%1000)/1000, 37.1+float64(n%777)/500)
		}
		sb.WriteByte(']')
		return []byte(sb.String())
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var mu sync.Mutex
	var lat []time.Duration
	var requests atomic.Int64
	b.ResetTimer()
	startAt := time.Now()
	var wg sync.WaitGroup
	workers := clients
	if every > 0 {
		workers = 16 // enough that a slow request never delays the next one's start
	}
	for c := 0; c < workers; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := requests.Add(1)
				if i > int64(b.N) {
					return
				}
				t0 := time.Now()
				if every > 0 {
					t0 = startAt.Add(time.Duration(i-1) * every)
					time.Sleep(time.Until(t0))
				}
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body()))
				req.Header.Set("Authorization", "Bearer "+fieldToken)
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(startAt)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat)*perRequest)/elapsed.Seconds(), "incidents/s")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	}
}
