package alerts

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// hungAlertmanager accepts connections and never answers. It returns its
// base URL; connections are closed at cleanup.
func hungAlertmanager(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

func TestSenderHungAlertmanagerDelaysNoOther(t *testing.T) {
	hung := hungAlertmanager(t)
	healthy := newFakeAlertmanager(t, http.StatusOK)
	s, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{hung, healthy.URL}})
	stop := runSender(t, s)

	for i := range 3 {
		s.Send(testAlerts(3)...)
		start := time.Now()
		got := healthy.receive(t, 2*time.Second)
		if len(got.alerts) != 3 {
			t.Fatalf("send %d: healthy got %d alerts, want 3", i, len(got.alerts))
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("send %d: healthy waited %s", i, d)
		}
	}
	start := time.Now()
	stop()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Run took %s to stop with a request in flight", d)
	}
	// The batch in flight goes back to the queue for Drain, uncounted.
	if n := s.Alertmanagers()[hung]; n == 0 {
		t.Errorf("hung Alertmanager's queue is empty after stop, want the unsent alerts")
	}
	if got := counter(t, s.metrics.failures.WithLabelValues(hung)); got != 0 {
		t.Errorf("send_failures_total{hung} = %v, want 0 for a cancelled request", got)
	}
}

func TestSenderTimeoutCountsFailure(t *testing.T) {
	hung := hungAlertmanager(t)
	s, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{hung}, Timeout: 50 * time.Millisecond})
	runSender(t, s)
	s.Send(testAlerts(2)...)
	failures := s.metrics.failures.WithLabelValues(hung)
	eventually(t, "timeout counted", func() bool { return counter(t, failures) == 2 })
}

func TestSenderDrain(t *testing.T) {
	dead := newFakeAlertmanager(t, http.StatusOK)
	dead.Close()
	for _, c := range []struct {
		name     string
		am       func(t *testing.T) string
		deadline time.Duration
		wantErr  string
		wantLeft int
	}{
		{"healthy empties the queue", func(t *testing.T) string { return newFakeAlertmanager(t, 200).URL }, 5 * time.Second, "", 0},
		{"4xx drops only its batch", func(t *testing.T) string { return newFakeAlertmanager(t, 400).URL }, 5 * time.Second, "", 0},
		{"5xx gives up and keeps alerts", func(t *testing.T) string { return newFakeAlertmanager(t, 503).URL }, 5 * time.Second, "100 alerts left", 100},
		{"refused gives up", func(*testing.T) string { return dead.URL }, 5 * time.Second, "100 alerts left", 100},
		{"hung stops at the deadline", hungAlertmanager, 100 * time.Millisecond, "deadline exceeded", 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := c.am(t)
			s, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{url}})
			stop := runSender(t, s)
			stop() // Drain runs after Run, as at shutdown
			s.Send(testAlerts(100)...)
			ctx, cancel := context.WithTimeout(context.Background(), c.deadline)
			defer cancel()
			start := time.Now()
			err := s.Drain(ctx)
			if d := time.Since(start); d > c.deadline+time.Second {
				t.Errorf("Drain took %s, deadline %s", d, c.deadline)
			}
			if c.wantErr == "" && err != nil {
				t.Errorf("Drain: %v", err)
			}
			if c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Errorf("Drain error %v, want one containing %q", err, c.wantErr)
			}
			if got := s.Alertmanagers()[url]; got != c.wantLeft {
				t.Errorf("left in queue %d, want %d", got, c.wantLeft)
			}
		})
	}
}

func TestSenderDrainWaitsForRun(t *testing.T) {
	s, _ := newTestSender(t, SenderOptions{})
	runSender(t, s)
	eventually(t, "Run started", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.runCtx != nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Drain(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Drain while Run runs = %v, want deadline exceeded", err)
	}
}

func TestSenderApplyConfigKeepsUnchangedQueues(t *testing.T) {
	a, b, c := newFakeAlertmanager(t, 200), newFakeAlertmanager(t, 200), newFakeAlertmanager(t, 200)
	s, reg := newTestSender(t, SenderOptions{Alertmanagers: []string{a.URL, b.URL}})
	s.Send(testAlerts(3)...)
	if err := s.ApplyConfig([]string{b.URL, c.URL}); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Alertmanagers(), map[string]int{b.URL: 3, c.URL: 0}; !equalCounts(got, want) {
		t.Errorf("queues %v, want %v", got, want)
	}
	if n, err := testutil.GatherAndCount(reg, "ceasefire_alerts_queue_length"); err != nil || n != 2 {
		t.Errorf("queue_length series = %d (%v), want 2: the removed one deleted", n, err)
	}
	if err := s.ApplyConfig([]string{b.URL, "ftp://nope"}); err == nil {
		t.Error("ApplyConfig accepted an ftp URL")
	}
	runSender(t, s)
	if got := b.receive(t, 5*time.Second); len(got.alerts) != 3 {
		t.Errorf("kept queue delivered %d alerts, want 3", len(got.alerts))
	}
	// Added while running: starts at once.
	if err := s.ApplyConfig([]string{a.URL}); err != nil {
		t.Fatal(err)
	}
	s.Send(testAlerts(1)...)
	if got := a.receive(t, 5*time.Second); len(got.alerts) != 1 {
		t.Errorf("added Alertmanager got %d alerts, want 1", len(got.alerts))
	}
	if n := len(c.requests()); n != 0 {
		t.Errorf("new empty queue sent %d requests, want 0", n)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestNewSenderRejectsBadURLs(t *testing.T) {
	for _, c := range []struct {
		name string
		urls []string
		want string
	}{
		{"scheme", []string{"ftp://am:9093"}, "scheme"},
		{"no host", []string{"http:///x"}, "missing host"},
		{"query", []string{"http://am:9093/?a=1"}, "query"},
		{"duplicate", []string{"http://am:9093", "http://am:9093/"}, "listed twice"},
		{"unparsable", []string{"http://am:9093/%zz"}, "alertmanager URL"},
		{"password kept out of errors", []string{"ftp://u:secret@am"}, "ftp://am"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewSender(SenderOptions{Alertmanagers: c.urls})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("NewSender(%v) = %v, want error containing %q", c.urls, err, c.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q leaks the password", err)
			}
		})
	}
}

func TestSenderBasicAuthFromURL(t *testing.T) {
	am := newFakeAlertmanager(t, 200)
	withAuth := strings.Replace(am.URL, "http://", "http://alice:s3cret@", 1)
	s, reg := newTestSender(t, SenderOptions{Alertmanagers: []string{withAuth}})
	runSender(t, s)
	s.Send(testAlerts(1)...)
	got := am.receive(t, 5*time.Second)
	if got.user != "alice" || got.password != "s3cret" {
		t.Errorf("basic auth %q:%q, want alice:s3cret", got.user, got.password)
	}
	if _, ok := s.Alertmanagers()[am.URL]; !ok {
		t.Errorf("label %v, want %s without user info", s.Alertmanagers(), am.URL)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP ceasefire_alerts_queue_length Alerts waiting in the queue to an Alertmanager.
# TYPE ceasefire_alerts_queue_length gauge
ceasefire_alerts_queue_length{alertmanager="`+am.URL+`"} 0
`), "ceasefire_alerts_queue_length"); err != nil {
		t.Error(err)
	}
}

func TestSenderMetricsLintAndSurviveSecondSender(t *testing.T) {
	reg := prometheus.NewRegistry()
	first, err := NewSender(SenderOptions{Alertmanagers: []string{"http://am1:9093"}, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	first.Send(testAlerts(1)...)
	second, err := NewSender(SenderOptions{Alertmanagers: []string{"http://am2:9093"}, Registerer: reg})
	if err != nil {
		t.Fatalf("second NewSender on the same registry: %v", err)
	}
	second.Send(testAlerts(2)...)
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint %s: %s", p.Metric, p.Text)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP ceasefire_alerts_queue_length Alerts waiting in the queue to an Alertmanager.
# TYPE ceasefire_alerts_queue_length gauge
ceasefire_alerts_queue_length{alertmanager="http://am1:9093"} 1
ceasefire_alerts_queue_length{alertmanager="http://am2:9093"} 2
# HELP ceasefire_alerts_dropped_total Alerts dropped, oldest first, because the queue to an Alertmanager was full.
# TYPE ceasefire_alerts_dropped_total counter
ceasefire_alerts_dropped_total{alertmanager="http://am1:9093"} 0
ceasefire_alerts_dropped_total{alertmanager="http://am2:9093"} 0
`), "ceasefire_alerts_queue_length", "ceasefire_alerts_dropped_total"); err != nil {
		t.Error(err)
	}
}
