package alerts

import (
	"bytes"
	"encoding/json"
	"time"
)

// Alert is one alert as Alertmanager receives it. Its identity is its label
// set; Annotations carry the details. A zero StartsAt or EndsAt is left out
// of the payload, letting Alertmanager choose. EndsAt in the past means the
// alert is resolved.
//
// Alerts are values, but the maps are shared by copies: once an Alert has
// been handed to Sender.Send its maps must not be modified.
type Alert struct {
	Labels       map[string]string
	Annotations  map[string]string
	StartsAt     time.Time
	EndsAt       time.Time
	GeneratorURL string
}

// Resolved reports whether a is resolved at now: its EndsAt is set and not
// after now.
func (a Alert) Resolved(now time.Time) bool {
	return !a.EndsAt.IsZero() && !a.EndsAt.After(now)
}

// postableAlert is the wire form of an alert in the Alertmanager API v2
// (the postableAlert schema). Times are RFC 3339 in UTC.
type postableAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	StartsAt     string            `json:"startsAt,omitempty"`
	EndsAt       string            `json:"endsAt,omitempty"`
	GeneratorURL string            `json:"generatorURL,omitempty"`
}

// encodeAlerts renders alerts as the JSON array accepted by
// POST /api/v2/alerts. Nil label maps become empty objects, since the schema
// requires labels. URLs are not HTML-escaped.
func encodeAlerts(alerts []Alert) ([]byte, error) {
	out := make([]postableAlert, len(alerts))
	for i, a := range alerts {
		labels := a.Labels
		if labels == nil {
			labels = map[string]string{}
		}
		out[i] = postableAlert{
			Labels:       labels,
			Annotations:  a.Annotations,
			StartsAt:     wireTime(a.StartsAt),
			EndsAt:       wireTime(a.EndsAt),
			GeneratorURL: a.GeneratorURL,
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// wireTime formats t as RFC 3339 with sub-second digits only when present,
// in UTC; the zero time becomes "" so that it is omitted.
func wireTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
