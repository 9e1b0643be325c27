package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strconv"
)

// stamped is one record's id and change time, in unix seconds.
type stamped struct {
	id string
	ts int64
}

// watermark is how far an incremental fetch has read: the highest change
// time seen, in unix seconds, and the hex SHA-256 of the sorted ids that
// carry it. Asking again from TS returns those records again; when the
// answer has the same watermark, nothing changed.
type watermark struct {
	TS  int64
	IDs string
}

// mark returns the watermark of records; the zero watermark when there are
// none.
func mark(records []stamped) watermark {
	var w watermark
	var ids []string
	for _, r := range records {
		switch {
		case r.ts > w.TS:
			w.TS, ids = r.ts, append(ids[:0], r.id)
		case r.ts == w.TS:
			ids = append(ids, r.id)
		}
	}
	if len(ids) == 0 {
		return watermark{}
	}
	slices.Sort(ids)
	h := sha256.New()
	for _, id := range slices.Compact(ids) {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	w.IDs = hex.EncodeToString(h.Sum(nil))
	return w
}

// acledCursor is what NewACLEDAPI remembers: where the events and the
// deletions stand. It is stored as a URL-encoded query string, for example
// "ts=1767225600&ids=...&dts=1767225000&dids=...".
type acledCursor struct {
	Events  watermark
	Deleted watermark
}

// String encodes c; zero fields are left out.
func (c acledCursor) String() string {
	v := url.Values{}
	for _, f := range []struct {
		ts, ids string
		w       watermark
	}{{"ts", "ids", c.Events}, {"dts", "dids", c.Deleted}} {
		if f.w.TS != 0 {
			v.Set(f.ts, strconv.FormatInt(f.w.TS, 10))
		}
		if f.w.IDs != "" {
			v.Set(f.ids, f.w.IDs)
		}
	}
	return v.Encode()
}

// parseACLEDCursor decodes a stored cursor. An empty or unreadable cursor,
// or field, yields zero values: the next fetch then reads everything.
func parseACLEDCursor(s string) acledCursor {
	v, err := url.ParseQuery(s)
	if err != nil {
		return acledCursor{}
	}
	ts, _ := strconv.ParseInt(v.Get("ts"), 10, 64)
	dts, _ := strconv.ParseInt(v.Get("dts"), 10, 64)
	return acledCursor{
		Events:  watermark{TS: max(ts, 0), IDs: v.Get("ids")},
		Deleted: watermark{TS: max(dts, 0), IDs: v.Get("dids")},
	}
}
