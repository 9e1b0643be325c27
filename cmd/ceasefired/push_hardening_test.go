package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPushHardening sends the hostile items of the hardening review: a
// report from the future, unbounded uncertainty, ids that differ only in
// invalid UTF-8 and an id repeated with other content (the last wins). Each
// must be answered for, by index and reason, and none may reach the
// verdicts.
func TestPushHardening(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	p := startPushDaemon(t)
	now := time.Now().UTC()
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	item := func(id, tm, extra string) string {
		return fmt.Sprintf(`{"id":"%s","time":%q,"lat":48.61,"lon":37.25,"category":"shelling"%s}`, id, tm, extra)
	}
	body := "[" + strings.Join([]string{
		item("ok", at(-time.Minute), ""),                              // 0
		item("tomorrow", at(24*time.Hour), ""),                        // 1
		item("fast-clock", at(5*time.Minute), ""),                     // 2: within the 10m skew
		item("vague", at(-time.Minute), `,"uncertainty_m":1e308`),     // 3
		item("ok", at(-time.Minute), ""),                              // 4: identical: a duplicate
		item("ok", at(-2*time.Minute), ""),                            // 5: other content: the last wins
		item("u\xff", at(-time.Minute), ""),                           // 6
		item("u\xfe", at(-time.Minute), ""),                           // 7
		item("km50", at(-time.Minute), `,"uncertainty_m":50000`),      // 8: at the cap
		item("km50+", at(-time.Minute), `,"uncertainty_m":50000.001`), // 9
	}, ",") + "]"
	code, r, text := push(t, p.url, fieldToken, strings.NewReader(body))
	if code != http.StatusAccepted {
		t.Fatalf("status %d: %s", code, text)
	}
	var got []string
	for _, e := range r.Errors {
		got = append(got, fmt.Sprintf("%d:%s", e.Index, e.Reason))
	}
	want := "[1:future 3:uncertainty_too_large 6:invalid_id 7:invalid_id 9:uncertainty_too_large]"
	if fmt.Sprint(got) != want || r.Accepted != 3 || r.Duplicate != 2 || r.Rejected != 5 {
		t.Errorf("accepted %d, duplicate %d, rejected %d, errors %v\nwant 3, 2, 5, %s", r.Accepted, r.Duplicate, r.Rejected, got, want)
	}
	s := p.metrics(t)
	if s[`ceasefire_incidents_rejected_total{reason="future",source="field"}`] != 1 {
		t.Errorf("future rejects not counted: %v", s[`ceasefire_incidents_rejected_total{reason="future",source="field"}`])
	}
	for name, v := range s {
		if strings.HasPrefix(name, "ceasefire_zone_last_violation_timestamp_seconds{") && v > float64(now.Add(10*time.Minute).Unix()) {
			t.Errorf("%s = %v, later than now + skew (%d)", name, v, now.Unix())
		}
	}

	// 10,000 items in the Pacific, each with 2e7 m of uncertainty, used to
	// be evaluated against every zone until the deadline; now each is
	// refused on sight.
	var sb strings.Builder
	sb.WriteByte('[')
	for i := 0; i < 10000; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"pac%d","time":%q,"lat":0,"lon":-150,"category":"shelling","uncertainty_m":2e7}`, i, at(-time.Minute))
	}
	sb.WriteByte(']')
	code, r, text = push(t, p.url, fieldToken, strings.NewReader(sb.String()))
	if code != http.StatusAccepted || r.Rejected != 10000 || r.Accepted != 0 || r.Errors[9999].Reason != "uncertainty_too_large" {
		t.Errorf("status %d, accepted %d, rejected %d: %.200s", code, r.Accepted, r.Rejected, text)
	}
}
