package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"
)

// events reads every page of acled/read with timestamp >= since (all
// records when since is 0) and returns them with their watermark.
func (f *acledAPI) events(ctx context.Context, since int64, b *budget) (*apiRecords, watermark, error) {
	q := maps.Clone(f.o.Query)
	if q == nil {
		q = url.Values{}
	}
	if since > 0 {
		q.Set("timestamp", strconv.FormatInt(since, 10))
		q.Set("timestamp_where", ">=")
	}
	var recs apiRecords
	var stamps []stamped
	err := f.pages(ctx, "acled/read", q, b, func(obj map[string]json.RawMessage) error {
		row, err := recs.add(obj)
		if err != nil {
			return err
		}
		if ts, err := strconv.ParseInt(strings.TrimSpace(row["timestamp"]), 10, 64); err == nil {
			stamps = append(stamps, stamped{id: row["event_id_cnty"], ts: ts})
		}
		return nil
	})
	return &recs, mark(stamps), err
}

// deletions reads every page of deleted/read with deleted_timestamp >=
// since and returns the deleted ids, each once, with their watermark.
func (f *acledAPI) deletions(ctx context.Context, since int64, b *budget) ([]string, watermark, error) {
	q := url.Values{}
	q.Set("deleted_timestamp", strconv.FormatInt(since, 10))
	q.Set("deleted_timestamp_where", ">=")
	var ids []string
	var stamps []stamped
	seen := map[string]bool{}
	err := f.pages(ctx, "deleted/read", q, b, func(obj map[string]json.RawMessage) error {
		id, err := cellText(obj["event_id_cnty"])
		if err != nil || strings.TrimSpace(id) == "" {
			return fmt.Errorf("deleted record without a readable event_id_cnty: %s", obj["event_id_cnty"])
		}
		id = strings.TrimSpace(id)
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
		s, _ := cellText(obj["deleted_timestamp"])
		if ts, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			stamps = append(stamps, stamped{id: id, ts: ts})
		}
		return nil
	})
	return ids, mark(stamps), err
}

// pages requests endpoint with q, the credentials, limit and page=1, 2, ...
// and hands each record to each, until a page holds fewer than PageSize
// records.
func (f *acledAPI) pages(ctx context.Context, endpoint string, q url.Values, b *budget, each func(map[string]json.RawMessage) error) error {
	u, err := url.Parse(f.o.BaseURL)
	if err != nil {
		return f.c.errorf("base URL: %w", hideURL(err))
	}
	u = u.JoinPath(endpoint)
	q.Set("key", f.o.Key)
	q.Set("email", f.o.Email)
	q.Set("limit", strconv.Itoa(f.o.PageSize))
	for page := 1; ; page++ {
		q.Set("page", strconv.Itoa(page))
		u.RawQuery = q.Encode()
		name := fmt.Sprintf("%s page %d", endpoint, page)
		body, err := f.c.get(ctx, u, name, b)
		if err != nil {
			return err
		}
		data, err := parseACLEDPage(body)
		if err != nil {
			return f.c.errorf("%s: %w", name, err)
		}
		for i, obj := range data {
			if err := each(obj); err != nil {
				return f.c.errorf("%s record %d: %w", name, i+1, err)
			}
		}
		if len(data) < f.o.PageSize {
			return nil
		}
	}
}

// acledResponse is the JSON envelope of an ACLED API answer.
type acledResponse struct {
	Success json.RawMessage              `json:"success"`
	Error   json.RawMessage              `json:"error"`
	Data    []map[string]json.RawMessage `json:"data"`
}

// parseACLEDPage returns the records of one answer. Invalid JSON, an error
// member, success false and a missing data array are errors.
func parseACLEDPage(body []byte) ([]map[string]json.RawMessage, error) {
	var r acledResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if msg := acledErrorText(r.Error); msg != "" {
		return nil, fmt.Errorf("API error: %s", msg)
	}
	switch s := string(bytes.TrimSpace(r.Success)); s {
	case "false", `"false"`, "0", `"0"`:
		return nil, errors.New("API answered success false")
	}
	if r.Data == nil {
		return nil, errors.New("answer has no data array")
	}
	return r.Data, nil
}

// acledErrorText returns the message of an error member: its message field
// (or those of a list of errors), a string as is, other JSON compacted; ""
// when the member is absent, null, false or empty.
func acledErrorText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	switch string(raw) {
	case "", "null", "false", `""`, "[]", "{}":
		return ""
	}
	var one struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &one) == nil && one.Message != "" {
		return truncate(one.Message, 300)
	}
	var list []struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &list) == nil && len(list) > 0 && list[0].Message != "" {
		return truncate(list[0].Message, 300)
	}
	s, err := cellText(raw)
	if err != nil {
		return "unreadable error member"
	}
	return truncate(s, 300)
}

// truncate shortens s to at most n bytes, marking the cut with "...".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}
