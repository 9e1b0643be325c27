package alerts

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// goldenAlerts are a firing and a resolved alert rendered by a Manager,
// and a bare alert with no annotations or times.
func goldenAlerts(t *testing.T) []Alert {
	t.Helper()
	clk := newClock()
	rec := &recorder{}
	m := NewManager(ManagerOptions{
		Hold: time.Hour, ResendDelay: time.Minute, Now: clk.Now, Sender: rec,
		Severity:    map[string]string{"shelling": "critical"},
		ExternalURL: "https://ceasefire.example.org/",
	})
	m.Observe(
		event("donbas-freeze", "UA-14", "shelling", "acled", "UKR1", clk.at(-10*time.Minute), 37.8, 48.01),
		event("donbas-freeze", "UA-14", "shelling", "ucdp", "991", clk.at(-5*time.Minute), 37.55, 47.9),
		event("donbas-freeze", "UA-09", "thermal_anomaly", "firms", "f1", clk.at(-59*time.Minute), 39.3, 48.6),
	)
	clk.advance(2 * time.Minute) // UA-09's hold lapses at +1m
	out := m.Tick()
	return append(out, Alert{Labels: map[string]string{"alertname": "Bare"}})
}

func TestSenderPayloadMatchesGolden(t *testing.T) {
	am := newFakeAlertmanager(t, http.StatusOK)
	s, _ := newTestSender(t, SenderOptions{
		Alertmanagers: []string{am.URL + "/prefix/"},
		UserAgent:     "ceasefired/1.2.3",
	})
	s.Send(goldenAlerts(t)...)
	runSender(t, s)
	got := am.receive(t, 5*time.Second)

	for _, c := range []struct{ name, got, want string }{
		{"method", got.method, http.MethodPost},
		{"path", got.path, "/prefix/api/v2/alerts"},
		{"user agent", got.userAgent, "ceasefired/1.2.3"},
		{"content type", got.contentType, "application/json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	t.Run("body", func(t *testing.T) {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, got.body, "", "  "); err != nil {
			t.Fatalf("body is not JSON: %v\n%s", err, got.body)
		}
		pretty.WriteByte('\n')
		path := filepath.Join("testdata", "alerts.golden.json")
		if *update {
			if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("read golden (run with -update to create): %v", err)
		}
		if !bytes.Equal(pretty.Bytes(), want) {
			t.Errorf("payload differs from %s (run with -update to accept):\n%s", path, pretty.Bytes())
		}
	})
}

func TestSenderBatchesInOrder(t *testing.T) {
	am := newFakeAlertmanager(t, http.StatusOK)
	s, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{am.URL}})
	s.Send(testAlerts(150)...)
	runSender(t, s)

	next := 0
	for i, want := range []int{64, 64, 22} {
		got := am.receive(t, 5*time.Second)
		if len(got.alerts) != want {
			t.Fatalf("request %d has %d alerts, want %d", i, len(got.alerts), want)
		}
		for _, a := range got.alerts {
			if a.Labels["n"] != strconv.Itoa(next) {
				t.Fatalf("request %d: alert n=%s, want %d", i, a.Labels["n"], next)
			}
			next++
		}
	}
	s.mu.Lock()
	sent := s.metrics.sent.WithLabelValues(am.URL)
	s.mu.Unlock()
	eventually(t, "sent_total = 150", func() bool { return counter(t, sent) == 150 })
	if n := len(am.requests()); n != 3 {
		t.Errorf("got %d requests, want 3", n)
	}
}

func TestSenderDropsOldestWhenFull(t *testing.T) {
	am := newFakeAlertmanager(t, http.StatusOK)
	s, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{am.URL}, QueueCapacity: 5})
	s.Send(testAlerts(4)...)
	s.Send(testAlerts(8)[4:]...) // 4..7: 0..2 must go
	if got := counter(t, s.metrics.dropped.WithLabelValues(am.URL)); got != 3 {
		t.Errorf("dropped_total = %v, want 3", got)
	}
	if got := counter(t, s.metrics.queueLength.WithLabelValues(am.URL)); got != 5 {
		t.Errorf("queue_length = %v, want 5", got)
	}
	s.Send(testAlerts(12)[5:]...) // a batch larger than the queue keeps its newest
	runSender(t, s)
	got := am.receive(t, 5*time.Second)
	var ns []string
	for _, a := range got.alerts {
		ns = append(ns, a.Labels["n"])
	}
	if want := []string{"7", "8", "9", "10", "11"}; !equalStrings(ns, want) {
		t.Errorf("delivered %v, want %v", ns, want)
	}
	if got := counter(t, s.metrics.dropped.WithLabelValues(am.URL)); got != 3+7 {
		t.Errorf("dropped_total = %v, want 10", got)
	}
	eventually(t, "queue_length = 0", func() bool {
		return counter(t, s.metrics.queueLength.WithLabelValues(am.URL)) == 0
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSenderStatusCodes(t *testing.T) {
	for _, c := range []struct {
		status         int
		sent, failures float64
	}{
		{http.StatusOK, 3, 0},
		{http.StatusAccepted, 3, 0},
		{http.StatusNoContent, 3, 0},
		{http.StatusBadRequest, 0, 3},
		{http.StatusUnauthorized, 0, 3},
		{http.StatusInternalServerError, 0, 3},
		{http.StatusServiceUnavailable, 0, 3},
		{http.StatusMovedPermanently, 0, 3},
	} {
		t.Run(strconv.Itoa(c.status), func(t *testing.T) {
			am := newFakeAlertmanager(t, c.status)
			s, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{am.URL}})
			stop := runSender(t, s)
			s.Send(testAlerts(3)...)
			am.receive(t, 5*time.Second)
			sent := s.metrics.sent.WithLabelValues(am.URL)
			failures := s.metrics.failures.WithLabelValues(am.URL)
			eventually(t, "outcome counted", func() bool { return counter(t, sent)+counter(t, failures) > 0 })
			stop()
			if got := counter(t, sent); got != c.sent {
				t.Errorf("sent_total = %v, want %v", got, c.sent)
			}
			if got := counter(t, failures); got != c.failures {
				t.Errorf("send_failures_total = %v, want %v", got, c.failures)
			}
			if n := len(am.requests()); n != 1 {
				t.Errorf("got %d requests, want exactly 1 (no retry)", n)
			}
		})
	}
}
