package alerts

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Defaults used by NewSender for zero SenderOptions fields.
const (
	// DefaultQueueCapacity is the most alerts waiting per Alertmanager.
	DefaultQueueCapacity = 10000
	// DefaultMaxBatch is the most alerts in one request.
	DefaultMaxBatch = 64
	// DefaultTimeout bounds one request to an Alertmanager.
	DefaultTimeout = 10 * time.Second
	// DefaultUserAgent is sent when SenderOptions.UserAgent is empty.
	DefaultUserAgent = "ceasefired"
)

// SenderOptions configure a Sender. Zero fields take the defaults above; a
// nil Client gets a fresh http.Client, a nil Logger discards, and a nil
// Registerer registers no metrics.
type SenderOptions struct {
	// Alertmanagers are base URLs (http or https, with an optional path
	// prefix and optional user info for basic auth); alerts are posted to
	// <base>/api/v2/alerts. The metric label is the base URL without
	// user info or trailing slash.
	Alertmanagers []string
	// QueueCapacity is the most alerts waiting per Alertmanager.
	QueueCapacity int
	// MaxBatch is the most alerts per request.
	MaxBatch int
	// Timeout bounds each request.
	Timeout time.Duration
	// UserAgent is sent on every request, e.g. "ceasefired/1.2.0".
	UserAgent  string
	Client     *http.Client
	Logger     *slog.Logger
	Registerer prometheus.Registerer
}

// Sender pushes alerts to every configured Alertmanager, each through its
// own bounded queue and goroutine.
//
// Lifecycle: NewSender, then Run in one goroutine until its context is
// done, then Drain to flush what is left within a deadline. Send and
// ApplyConfig may be called from any goroutine at any time, before, during
// or after Run. The Sender owns its queues; the set of queues is guarded by
// one mutex and each queue by its own.
type Sender struct {
	maxBatch  int
	capacity  int
	timeout   time.Duration
	userAgent string
	client    *http.Client
	logger    *slog.Logger
	metrics   *senderMetrics

	mu      sync.Mutex
	targets map[string]*target // by label; guarded by mu
	runCtx  context.Context    // non-nil while Run runs; guarded by mu
	runDone chan struct{}      // closed when Run returns; guarded by mu
	loops   sync.WaitGroup     // Add only while runCtx != nil, under mu
}

// target is one Alertmanager: its queue and, while Run runs, its loop.
type target struct {
	label    string // base URL without user info, for metrics and logs
	endpoint string // <base>/api/v2/alerts, user info included
	queue    *queue
	sent     prometheus.Counter
	failures prometheus.Counter
	stop     context.CancelFunc // set while its loop runs; guarded by Sender.mu
}

// NewSender validates o and returns a Sender that is not yet running. It
// fails on an invalid or duplicate Alertmanager URL or when the metrics
// cannot be registered. Building a second Sender on the same Registerer
// reuses the metric vectors, so a reload may replace a Sender; ApplyConfig
// is the lighter way, keeping the queues of unchanged Alertmanagers.
func NewSender(o SenderOptions) (*Sender, error) {
	m, err := newSenderMetrics(o.Registerer)
	if err != nil {
		return nil, err
	}
	s := &Sender{
		maxBatch:  orDefault(o.MaxBatch, DefaultMaxBatch),
		capacity:  orDefault(o.QueueCapacity, DefaultQueueCapacity),
		timeout:   orDefault(o.Timeout, DefaultTimeout),
		userAgent: orDefault(o.UserAgent, DefaultUserAgent),
		client:    o.Client,
		logger:    o.Logger,
		metrics:   m,
		targets:   map[string]*target{},
	}
	if s.client == nil {
		s.client = &http.Client{}
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if err := s.ApplyConfig(o.Alertmanagers); err != nil {
		return nil, err
	}
	return s, nil
}

// orDefault returns v, or def when v is not positive (or empty).
func orDefault[T int | time.Duration | string](v, def T) T {
	var zero T
	if v == zero || v < zero {
		return def
	}
	return v
}

// ApplyConfig replaces the set of Alertmanagers. Unchanged URLs keep their
// queue and loop; removed ones are stopped, their waiting alerts discarded
// and their series deleted; new ones start at once if Run is running. On
// an invalid or duplicate URL nothing changes. Safe for concurrent use.
func (s *Sender) ApplyConfig(alertmanagers []string) error {
	want := make(map[string]*target, len(alertmanagers))
	for _, raw := range alertmanagers {
		t, err := parseTarget(raw)
		if err != nil {
			return err
		}
		if _, dup := want[t.label]; dup {
			return fmt.Errorf("alertmanager %s: listed twice", t.label)
		}
		want[t.label] = t
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for label, old := range s.targets {
		if t, ok := want[label]; ok && t.endpoint == old.endpoint {
			continue
		}
		if old.stop != nil {
			old.stop()
		}
		delete(s.targets, label)
		s.metrics.forget(label)
		s.logger.Info("alertmanager removed", "alertmanager", label, "discarded", old.queue.len())
	}
	for label, t := range want {
		if _, ok := s.targets[label]; ok {
			continue
		}
		s.metrics.seed(label)
		t.queue = newQueue(s.capacity,
			s.metrics.queueLength.WithLabelValues(label), s.metrics.dropped.WithLabelValues(label))
		t.sent = s.metrics.sent.WithLabelValues(label)
		t.failures = s.metrics.failures.WithLabelValues(label)
		s.targets[label] = t
		if s.runCtx != nil {
			s.start(s.runCtx, t)
		}
	}
	return nil
}

// parseTarget checks one Alertmanager base URL. Errors name the URL without
// its user info, which may hold a password.
func parseTarget(raw string) (*target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("alertmanager URL: %w", err)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	public := *u
	public.User = nil
	label := public.String()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("alertmanager %s: scheme must be http or https", label)
	case u.Host == "":
		return nil, fmt.Errorf("alertmanager %s: missing host", label)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("alertmanager %s: query or fragment not allowed", label)
	}
	return &target{label: label, endpoint: u.String() + "/api/v2/alerts"}, nil
}

// Send enqueues alerts for every Alertmanager and returns at once; it never
// blocks on the network. A full queue drops its oldest alerts. With no
// Alertmanager configured the alerts are discarded. Safe for concurrent
// use; the alerts' maps must not be modified afterwards.
func (s *Sender) Send(alerts ...Alert) {
	if len(alerts) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.targets {
		if n := t.queue.push(alerts); n > 0 {
			s.logger.Warn("alert queue full, dropped oldest alerts", "alertmanager", t.label, "dropped", n)
		}
	}
}

// Alertmanagers returns, for each configured Alertmanager base URL (without
// user info), the number of alerts waiting in its queue. Safe for
// concurrent use.
func (s *Sender) Alertmanagers() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.targets))
	for label, t := range s.targets {
		out[label] = t.queue.len()
	}
	return out
}
