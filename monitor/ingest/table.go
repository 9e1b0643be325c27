package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ceasefired/ceasefired/monitor"
)

// utf8BOM is the byte order mark some spreadsheet exports put first.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// table reads one CSV document: the header first, then one record at a time.
type table struct {
	name   string
	r      *csvScanner
	header []string // header names as written, trimmed
	// arena makes the strings of the incidents: ids and evidence.
	arena strArena
	// ids hands out the set of the document's ids; nil: a new one.
	ids *idSets
	// first, when set, is a data record already read (the first line of a
	// document without a header); each hands it on before reading more.
	first []string
}

// newTable strips a UTF-8 BOM, reads the header and returns a table
// positioned at the first data record. An empty document or an unreadable
// header is an error naming the document.
func newTable(r io.Reader, name string) (*table, error) {
	cr := newCSVScanner(r, csvBlock)
	rec, _, _, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty document, no header", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	header := make([]string, len(rec))
	for i, h := range rec {
		header[i] = strings.TrimSpace(h)
	}
	return &table{name: name, r: cr, header: header}, nil
}

// column returns the index of the header column called name, compared
// case-insensitively, or -1 when there is none.
func (t *table) column(name string) int {
	for i, h := range t.header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

// require is column for a column the format cannot do without: its absence
// is an error naming the document and the column.
func (t *table) require(name string) (int, error) {
	i := t.column(name)
	if i < 0 {
		return -1, fmt.Errorf("%s: missing required column %q (header: %s)", t.name, name, strings.Join(t.header, ","))
	}
	return i, nil
}

// headerless makes the record newTable took for the header the first data
// record (line 1) and lays the columns out as names instead: for formats
// whose files may come without a header row.
func (t *table) headerless(names []string) {
	t.first = t.header
	t.header = names
}

// rowFunc turns one record into inc. It returns the empty reason on success;
// otherwise the reason and an error describing the problem. A row that sets
// inc.Raw chooses its own evidence; otherwise the whole record is kept.
type rowFunc func(rec []string, inc *monitor.Incident) (monitor.RejectReason, error)

// each decodes every remaining record with row and hands the outcome to
// sink: exactly one Incident or Reject call per record. Records with fewer
// fields than the header are rejected as short rows; records the CSV reader
// cannot parse, and with singleLine set records spanning several lines, as
// malformed; a repeated incident id as a duplicate. Only a read error of the
// underlying stream or a sink error stops it.
func (t *table) each(sink monitor.Sink, singleLine bool, row rowFunc) error {
	st := eachState{seen: t.ids.get()}
	defer t.ids.put(st.seen)
	if t.first != nil {
		if err := t.record(sink, &st, t.first, 1, row); err != nil {
			return err
		}
	}
	for {
		rec, line, last, err := t.r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			// Only here, as perr escapes: one allocation per error, not
			// per record.
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				sink.Reject(perr.StartLine, monitor.ReasonMalformed, perr)
				continue
			}
			return fmt.Errorf("%s: read: %w", t.name, err)
		}
		if singleLine && len(rec) >= len(t.header) && spansLines(rec, line, last) {
			sink.Reject(line, monitor.ReasonMalformed, errors.New("record spans several lines (unbalanced quote)"))
			continue
		}
		if err := t.record(sink, &st, rec, line, row); err != nil {
			return err
		}
	}
}

// eachState is what each carries from one record to the next.
type eachState struct {
	seen *idSet
	inc  monitor.Incident
	raw  []byte
}

// record hands the outcome of one record, starting on line, to sink.
func (t *table) record(sink monitor.Sink, st *eachState, rec []string, line int, row rowFunc) error {
	if len(rec) < len(t.header) {
		sink.Reject(line, monitor.ReasonShortRow, fmt.Errorf("%d fields, header has %d", len(rec), len(t.header)))
		return nil
	}
	st.inc = monitor.Incident{Confidence: -1}
	if reason, err := row(rec, &st.inc); reason != "" {
		sink.Reject(line, reason, err)
		return nil
	}
	if !utf8.ValidString(st.inc.ID) {
		sink.Reject(line, monitor.ReasonInvalidID, errInvalidID)
		return nil
	}
	if st.seen.add(st.inc.ID) {
		sink.Reject(line, monitor.ReasonDuplicateInFile, fmt.Errorf("id %q seen before in %s", st.inc.ID, t.name))
		return nil
	}
	if st.inc.Raw == "" {
		st.raw = appendRawJSON(st.raw[:0], t.header, rec)
		st.inc.Raw = t.arena.string(st.raw)
	}
	if err := sink.Incident(&st.inc); err != nil {
		return fmt.Errorf("%s line %d: %w", t.name, line, err)
	}
	return nil
}

// spansLines reports whether rec, which starts on line and whose last field
// starts on last, runs onto a later line: in a format without multi-line
// values this means a quote opened and never closed.
func spansLines(rec []string, line, last int) bool {
	return last != line || strings.IndexByte(rec[len(rec)-1], '\n') >= 0
}
