package monitor

import (
	"encoding/binary"
	"errors"
	"hash"
	"hash/fnv"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// progressPrefix starts the cursor value stored with each batch of a
// document that is not yet stored whole. No fetcher's own cursor starts so
// (they are hex digests or URL-encoded key=value lists).
const progressPrefix = "partial:"

// progress is how far the ingest of one document got: stored in place of
// the document's cursor, in the transaction of each batch but the last, so
// that an ingest interrupted by a crash resumes after the last stored batch
// instead of from the start. Example, as stored:
//
//	partial:cursor=ab12…&prev=9f00…&records=40000&sum=5c3e0a1b2c3d4e5f
type progress struct {
	// prev is the cursor stored before this ingest began: the one the
	// fetcher compares with, handed to it in place of the progress.
	prev string
	// cursor is the document's own cursor, stored when it is complete. A
	// document with another cursor is another document.
	cursor string
	// records is the number of records (incidents and rejected rows) the
	// stored batches cover, from the start of the document.
	records int
	// sum is the digest of those records (see recordDigest), checked on
	// resuming so that a different document is never skipped into.
	sum uint64
}

// String encodes p as it is stored.
func (p progress) String() string {
	v := url.Values{}
	v.Set("prev", p.prev)
	v.Set("cursor", p.cursor)
	v.Set("records", strconv.Itoa(p.records))
	v.Set("sum", strconv.FormatUint(p.sum, 16))
	return progressPrefix + v.Encode()
}

// parseProgress decodes a stored cursor value; ok is false when v is a
// fetcher's own cursor or unreadable.
func parseProgress(v string) (p progress, ok bool) {
	rest, found := strings.CutPrefix(v, progressPrefix)
	if !found {
		return progress{}, false
	}
	q, err := url.ParseQuery(rest)
	if err != nil {
		return progress{}, false
	}
	n, err := strconv.Atoi(q.Get("records"))
	if err != nil || n < 0 {
		return progress{}, false
	}
	sum, err := strconv.ParseUint(q.Get("sum"), 16, 64)
	if err != nil {
		return progress{}, false
	}
	return progress{prev: q.Get("prev"), cursor: q.Get("cursor"), records: n, sum: sum}, true
}

// splitProgress separates stored cursor values into the cursors a fetcher
// is given (for a document stored in part, the cursor before it) and the
// progress of documents stored in part, by key. An unreadable progress
// value is dropped: its document is read again from the start.
func splitProgress(stored map[string]string) (cursors map[string]string, partial map[string]progress) {
	cursors = make(map[string]string, len(stored))
	partial = map[string]progress{}
	for k, v := range stored {
		if !strings.HasPrefix(v, progressPrefix) {
			cursors[k] = v
			continue
		}
		p, ok := parseProgress(v)
		if !ok {
			continue
		}
		partial[k] = p
		if p.prev != "" {
			cursors[k] = p.prev
		}
	}
	return cursors, partial
}

// errResumeMismatch is returned when the records of a document read again
// differ from those an earlier, interrupted ingest stored.
var errResumeMismatch = errors.New("document differs from the part stored before")

// recordDigest is a running FNV-1a digest of the records of a document, in
// order: the identity and place of each incident, and the line and reason
// of each rejected row. It is cheap, and a check against accidents, not
// tampering: the document's cursor already names its content.
type recordDigest struct {
	h   hash.Hash64
	buf []byte
}

func newRecordDigest() *recordDigest { return &recordDigest{h: fnv.New64a()} }

func (d *recordDigest) incident(inc *Incident) {
	b := d.buf[:0]
	b = append(b, 'i')
	b = binary.AppendUvarint(b, uint64(len(inc.ID)))
	b = append(b, inc.ID...)
	b = binary.LittleEndian.AppendUint64(b, uint64(inc.OccurredAt.UnixNano()))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(inc.Lon))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(inc.Lat))
	b = binary.AppendUvarint(b, uint64(len(inc.Category)))
	b = append(b, inc.Category...)
	d.buf = b
	d.h.Write(b)
}

func (d *recordDigest) reject(line int, reason RejectReason) {
	b := d.buf[:0]
	b = append(b, 'r')
	b = binary.AppendVarint(b, int64(line))
	b = append(b, reason...)
	d.buf = b
	d.h.Write(b)
}

func (d *recordDigest) sum() uint64 { return d.h.Sum64() }
