package alerts

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// request is one POST received by a fakeAlertmanager.
type request struct {
	method, path, userAgent, contentType string
	user, password                       string
	body                                 []byte
	alerts                               []postableAlert
}

// fakeAlertmanager is an httptest server answering POST /api/v2/alerts
// with status and recording every request.
type fakeAlertmanager struct {
	*httptest.Server
	status int
	got    chan request

	mu   sync.Mutex
	reqs []request
}

// newFakeAlertmanager starts a fake answering status, closed at cleanup.
func newFakeAlertmanager(t *testing.T, status int) *fakeAlertmanager {
	t.Helper()
	f := &fakeAlertmanager{status: status, got: make(chan request, 1000)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAlertmanager) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := request{
		method: r.Method, path: r.URL.Path, body: body,
		userAgent: r.UserAgent(), contentType: r.Header.Get("Content-Type"),
	}
	req.user, req.password, _ = r.BasicAuth()
	if err := json.Unmarshal(body, &req.alerts); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
	} else {
		w.WriteHeader(f.status)
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	f.got <- req
}

// requests returns a copy of the requests received so far.
func (f *fakeAlertmanager) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

// receive waits up to timeout for the next request.
func (f *fakeAlertmanager) receive(t *testing.T, timeout time.Duration) request {
	t.Helper()
	select {
	case r := <-f.got:
		return r
	case <-time.After(timeout):
		t.Fatalf("no request to %s within %s", f.URL, timeout)
		return request{}
	}
}

// newTestSender builds a Sender on a fresh registry, returned too.
func newTestSender(t *testing.T, o SenderOptions) (*Sender, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	o.Registerer = reg
	s, err := NewSender(o)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return s, reg
}

// runSender runs s until the returned stop is called or the test ends;
// stop returns once Run has returned.
func runSender(t *testing.T, s *Sender) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(stop)
	return stop
}

// counter reads one series of a Sender metric vector.
func counter(t *testing.T, c prometheus.Collector) float64 {
	t.Helper()
	return testutil.ToFloat64(c)
}

// eventually polls cond until it holds or 5 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// testAlerts returns n distinct firing alerts numbered from 0.
func testAlerts(n int) []Alert {
	out := make([]Alert, n)
	for i := range out {
		out[i] = Alert{
			Labels:   map[string]string{"alertname": AlertName, "n": strconv.Itoa(i)},
			StartsAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		}
	}
	return out
}
