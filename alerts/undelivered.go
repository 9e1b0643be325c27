package alerts

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// undeliveredVersion is the version of the JSON written by Sender.State.
const undeliveredVersion = 1

// undeliveredDoc is the persisted form of the alerts still queued.
type undeliveredDoc struct {
	Version int `json:"version"`
	// Alertmanagers maps an Alertmanager's label (base URL without user
	// info) to its queued alerts, oldest first.
	Alertmanagers map[string][]storedAlert `json:"alertmanagers"`
}

// storedAlert is an Alert as persisted.
type storedAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	StartsAt     time.Time         `json:"starts_at,omitzero"`
	EndsAt       time.Time         `json:"ends_at,omitzero"`
	GeneratorURL string            `json:"generator_url,omitempty"`
}

// State returns, as JSON, the alerts still waiting in the queues, for the
// daemon to persist at shutdown after Drain gave up and to hand to Restore
// at the next start, so that an Alertmanager that did not answer still
// learns of them (a resolution, say, that the Manager has forgotten by
// then). Of several queued copies of one alert (same labels) only the
// newest is kept, in the place of its newest copy. Empty queues are left
// out; with nothing queued the document has no Alertmanagers. It leaves the
// queues as they are. Safe for concurrent use.
func (s *Sender) State() ([]byte, error) {
	s.mu.Lock()
	doc := undeliveredDoc{Version: undeliveredVersion, Alertmanagers: map[string][]storedAlert{}}
	for label, t := range s.targets {
		if items := t.queue.snapshot(); len(items) > 0 {
			doc.Alertmanagers[label] = newestCopies(items)
		}
	}
	s.mu.Unlock()
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode undelivered alerts: %w", err)
	}
	return b, nil
}

// Restore queues alerts persisted by State for the Alertmanagers that are
// still configured, ahead of anything already queued; those of
// Alertmanagers no longer configured are discarded and logged. Empty data
// restores nothing. On a decoding error nothing is queued. It returns the
// number of alerts queued. Safe for concurrent use; call it before the
// first Manager.Tick so that the restored alerts go out first.
func (s *Sender) Restore(data []byte) (int, error) {
	if len(data) == 0 {
		return 0, nil
	}
	var doc undeliveredDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return 0, fmt.Errorf("decode undelivered alerts: %w", err)
	}
	if doc.Version != undeliveredVersion {
		return 0, fmt.Errorf("decode undelivered alerts: version %d, want %d", doc.Version, undeliveredVersion)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	queued := 0
	for _, label := range slices.Sorted(maps.Keys(doc.Alertmanagers)) {
		stored := doc.Alertmanagers[label]
		t, ok := s.targets[label]
		if !ok {
			s.logger.Warn("undelivered alerts of an Alertmanager no longer configured, discarded",
				"alertmanager", label, "alerts", len(stored))
			continue
		}
		batch := make([]Alert, len(stored))
		for i, a := range stored {
			batch[i] = Alert(a)
		}
		t.queue.unshift(batch)
		t.queue.signal()
		queued += len(batch)
	}
	return queued, nil
}

// newestCopies keeps the last copy of each alert (by label set), in the
// order of those last copies.
func newestCopies(items []Alert) []storedAlert {
	last := make(map[string]int, len(items))
	for i, a := range items {
		last[labelKey(a.Labels)] = i
	}
	out := make([]storedAlert, 0, len(last))
	for i, a := range items {
		if last[labelKey(a.Labels)] == i {
			out = append(out, storedAlert(a))
		}
	}
	return out
}

// labelKey is the identity of an alert: its sorted label pairs.
func labelKey(labels map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(labels[k])
		b.WriteByte(0)
	}
	return b.String()
}
