package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// webhookSink records the notifications Alertmanager delivers.
type webhookSink struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []notification
}

// notification is the part of Alertmanager's webhook payload the tests read.
type notification struct {
	Status string `json:"status"`
	Alerts []struct {
		Status      string            `json:"status"`
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
		StartsAt    time.Time         `json:"startsAt"`
		EndsAt      time.Time         `json:"endsAt"`
	} `json:"alerts"`
	received time.Time
}

func newWebhookSink(t *testing.T) *webhookSink {
	t.Helper()
	s := &webhookSink{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		var n notification
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &n); err != nil {
			t.Errorf("webhook payload: %v: %s", err, body)
			return
		}
		n.received = time.Now()
		s.mu.Lock()
		s.got = append(s.got, n)
		s.mu.Unlock()
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// notifications returns a copy of what was received so far.
func (s *webhookSink) notifications() []notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]notification(nil), s.got...)
}

// count returns how many received alerts have the given status and label.
func (s *webhookSink) count(status, label, value string) int {
	n := 0
	for _, no := range s.notifications() {
		for _, a := range no.Alerts {
			if a.Status == status && a.Labels[label] == value {
				n++
			}
		}
	}
	return n
}

// alertmanager is a real Alertmanager (Debian's prometheus-alertmanager)
// on a loopback port, delivering to a webhook sink.
type alertmanager struct {
	t       *testing.T
	bin     string
	dir     string
	port    int
	cmd     *exec.Cmd
	webhook string
}

func (a *alertmanager) url() string { return "http://127.0.0.1:" + strconv.Itoa(a.port) }

// newAlertmanager prepares (but does not start) an Alertmanager whose route
// groups by trial and zone and notifies quickly.
func newAlertmanager(t *testing.T, webhook string) *alertmanager {
	t.Helper()
	bin := needBinary(t, "prometheus-alertmanager")
	a := &alertmanager{t: t, bin: bin, dir: t.TempDir(), port: freePort(t), webhook: webhook}
	cfg := fmt.Sprintf(`route:
  receiver: sink
  group_by: [alertname, trial, zone_id, category]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: sink
    webhook_configs:
      - url: %s
        send_resolved: true
`, webhook)
	if err := os.WriteFile(filepath.Join(a.dir, "am.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.stop)
	return a
}

func (a *alertmanager) start() {
	a.t.Helper()
	a.cmd = exec.Command(a.bin, "--config.file="+filepath.Join(a.dir, "am.yml"),
		"--storage.path="+filepath.Join(a.dir, "data"), "--web.listen-address=127.0.0.1:"+strconv.Itoa(a.port),
		"--cluster.listen-address=", "--log.level=warn")
	a.cmd.Stderr = os.Stderr
	if err := a.cmd.Start(); err != nil {
		a.t.Fatal(err)
	}
	waitFor(a.t, 20*time.Second, "alertmanager ready", func() bool {
		resp, err := http.Get(a.url() + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
}

func (a *alertmanager) stop() {
	if a.cmd != nil && a.cmd.ProcessState == nil {
		_ = a.cmd.Process.Kill()
		_ = a.cmd.Wait()
	}
}

// alerts returns the alerts Alertmanager holds, from its v2 API, or nil
// while it cannot answer (the callers poll).
func (a *alertmanager) alerts() []map[string]any {
	resp, err := http.Get(a.url() + "/api/v2/alerts")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil
	}
	return out
}
