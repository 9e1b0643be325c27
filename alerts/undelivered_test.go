package alerts

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSenderStateRestore: what a dead Alertmanager did not take is kept
// (newest copy of each alert) and delivered by a later Sender.
func TestSenderStateRestore(t *testing.T) {
	am := newFakeAlertmanager(t, http.StatusOK)
	gone := "http://127.0.0.1:1" // listed at stop, not at start
	first, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{am.URL, gone}})
	resolved := testAlerts(2)
	resolved[0].EndsAt = time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	first.Send(testAlerts(2)...) // superseded by the next copies
	first.Send(resolved...)
	data, err := first.State()
	if err != nil {
		t.Fatal(err)
	}
	var doc undeliveredDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(doc.Alertmanagers[am.URL]); n != 2 {
		t.Fatalf("persisted %d alerts for %s, want 2 (newest copies only): %s", n, am.URL, data)
	}

	second, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{am.URL}})
	n, err := second.Restore(data)
	if err != nil || n != 2 {
		t.Fatalf("Restore = %d, %v; want 2, nil", n, err)
	}
	runSender(t, second)
	got := am.receive(t, 5*time.Second)
	if len(got.alerts) != 2 {
		t.Fatalf("delivered %d alerts, want 2", len(got.alerts))
	}
	if got.alerts[0].EndsAt != "2026-12-01T06:00:00Z" || got.alerts[0].Labels["n"] != "0" {
		t.Errorf("first delivered alert %+v, want n=0 resolved at 06:00", got.alerts[0])
	}
}

func TestSenderStateEmpty(t *testing.T) {
	s, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{"http://127.0.0.1:1"}})
	data, err := s.State()
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != `{"version":1,"alertmanagers":{}}` {
		t.Errorf("State of empty queues = %s", data)
	}
	if n, err := s.Restore(data); n != 0 || err != nil {
		t.Errorf("Restore(empty state) = %d, %v", n, err)
	}
}

func TestSenderRestoreRejects(t *testing.T) {
	for _, tt := range []struct{ name, data, want string }{
		{"not JSON", `{`, "decode undelivered alerts"},
		{"other version", `{"version":2,"alertmanagers":{}}`, "version 2, want 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestSender(t, SenderOptions{Alertmanagers: []string{"http://127.0.0.1:1"}})
			n, err := s.Restore([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) || n != 0 {
				t.Errorf("Restore(%s) = %d, %v; want an error with %q", tt.data, n, err, tt.want)
			}
		})
	}
}
