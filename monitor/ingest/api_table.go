package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
)

// apiRecords collects the JSON objects of all pages of one fetch, their
// values as text, so that they can be written as one CSV document.
type apiRecords struct {
	rows []map[string]string
	cols map[string]struct{}
}

// add appends the JSON object obj and returns its values as text (see
// cellText). A value that is not valid JSON is an error naming the field.
func (r *apiRecords) add(obj map[string]json.RawMessage) (map[string]string, error) {
	if r.cols == nil {
		r.cols = map[string]struct{}{}
	}
	row := make(map[string]string, len(obj))
	for k, v := range obj {
		s, err := cellText(v)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", k, err)
		}
		row[k] = s
		r.cols[k] = struct{}{}
	}
	r.rows = append(r.rows, row)
	return row, nil
}

// header returns the union of the field names of all records: those of
// preferred that occur, in that order, then the others sorted. The order
// depends only on the set of names, never on the order of the records.
func (r *apiRecords) header(preferred []string) []string {
	var h []string
	seen := map[string]bool{}
	for _, p := range preferred {
		if _, ok := r.cols[p]; ok && !seen[p] {
			h = append(h, p)
			seen[p] = true
		}
	}
	var rest []string
	for c := range r.cols {
		if !seen[c] {
			rest = append(rest, c)
		}
	}
	slices.Sort(rest)
	return append(h, rest...)
}

// writeCSV writes header and then one line per row, a field absent from a
// row as an empty cell.
func writeCSV(header []string, rows []map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		return nil, fmt.Errorf("write header: %w", err)
	}
	rec := make([]string, len(header))
	for _, row := range rows {
		for i, c := range header {
			rec[i] = row[c]
		}
		if err := w.Write(rec); err != nil {
			return nil, fmt.Errorf("write record: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write records: %w", err)
	}
	return buf.Bytes(), nil
}

// cellText returns a JSON value as CSV cell text: a string unquoted, null
// as the empty string, a number or boolean as written (so 48.0123 keeps all
// its digits), an object or array as compact JSON. A string keeps what is
// not valid UTF-8 in it (see jsonStringBytes), so that an id column can be
// told invalid rather than merged with another.
func cellText(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return "", nil
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", err
		}
		if mayBeMerged(s) {
			return jsonStringBytes(v), nil
		}
		return s, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return "", err
	}
	return buf.String(), nil
}
