package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A raw record that is a flat JSON object of text values with nothing
// escaped, as CSV sources make of a row, is stored packed: its values,
// joined by unitSep, in the raw column, and its shape, the object with
// every value emptied, as a name that raw_shape refers to. The keys, most
// of such a record, are then stored once per source instead of once per
// row. Packing is exact: a record is packed only when it unpacks to the
// same bytes, so its digest, which the evidence log holds, is kept.

// unitSep separates the values of a packed raw record; a record holding
// it is not packed.
const unitSep = "\x1f"

// packRaw returns the shape and the packed values of raw, and false when
// raw is not an object of that form.
func packRaw(raw string) (shape, values string, ok bool) {
	if len(raw) < 2 || raw[0] != '{' || strings.ContainsAny(raw, `\`+unitSep) {
		return "", "", false
	}
	var sh, vals strings.Builder
	sh.Grow(len(raw))
	vals.Grow(len(raw) / 2)
	sh.WriteByte('{')
	for i, n := 1, 0; ; n++ {
		// At a key: "KEY":"VALUE" then , or }.
		if i >= len(raw) || raw[i] != '"' {
			return "", "", false
		}
		k := strings.IndexByte(raw[i+1:], '"')
		if k < 0 {
			return "", "", false
		}
		start := i + 1 + k + 3 // the value's first byte
		if start > len(raw) || raw[start-3:start] != `":"` {
			return "", "", false
		}
		v := strings.IndexByte(raw[start:], '"')
		if v < 0 || start+v+1 >= len(raw) {
			return "", "", false
		}
		sh.WriteString(raw[i:start])
		sh.WriteByte('"')
		if n > 0 {
			vals.WriteString(unitSep)
		}
		vals.WriteString(raw[start : start+v])
		i = start + v + 1
		if raw[i] == '}' && i == len(raw)-1 {
			sh.WriteByte('}')
			break
		}
		if raw[i] != ',' {
			return "", "", false
		}
		sh.WriteByte(',')
		i++
	}
	shape, values = sh.String(), vals.String()
	if unpackRaw(shape, values) != raw {
		return "", "", false
	}
	return shape, values, true
}

// unpackRaw returns the raw record of shape and packed values. Values that
// do not fit the shape (a tampered row) are returned as they are, so that
// the record's digest no longer matches the one logged.
func unpackRaw(shape, values string) string {
	var b strings.Builder
	b.Grow(len(shape) + len(values))
	rest := shape
	for v := range strings.SplitSeq(values, unitSep) {
		j := strings.Index(rest, `":""`)
		if j < 0 {
			return values
		}
		b.WriteString(rest[:j+3])
		b.WriteString(v)
		b.WriteByte('"')
		rest = rest[j+4:]
	}
	if strings.Contains(rest, `":""`) {
		return values
	}
	b.WriteString(rest)
	return b.String()
}

// storedRaw returns what the incidents row stores of raw: the packed
// values and the id of the shape, or raw itself and nil.
func storedRaw(ctx context.Context, nm *namer, raw string) (string, any, error) {
	shape, values, ok := packRaw(raw)
	if !ok {
		return raw, nil, nil
	}
	id, err := nm.text(ctx, shape)
	if err != nil {
		return "", nil, fmt.Errorf("store the shape of a raw record: %w", err)
	}
	return values, id, nil
}

// rawOf returns the raw record of a row that stores raw and, when packed,
// the shape of the record.
func rawOf(raw string, shape sql.NullString) string {
	if !shape.Valid {
		return raw
	}
	return unpackRaw(shape.String, raw)
}
