package evidence

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// decodeFields parses b, the field lines of a leaf, into fields, which
// must appear in order, each exactly once, with nothing after the last.
func decodeFields(b []byte, fields []field) error {
	for _, f := range fields {
		name, rest, ok := bytes.Cut(b, []byte{' '})
		if !ok || string(name) != f.name {
			return fmt.Errorf("want field %s, have %.40q", f.name, b)
		}
		value, rest, err := cutLength(rest)
		if err != nil {
			return fmt.Errorf("field %s: %w", f.name, err)
		}
		if err := parseValue(f.ptr, value); err != nil {
			return fmt.Errorf("field %s: %w", f.name, err)
		}
		b = rest
	}
	if len(b) != 0 {
		return fmt.Errorf("%d bytes after the last field", len(b))
	}
	return nil
}

// cutLength splits "LENGTH:VALUE\nREST" into VALUE and REST.
func cutLength(b []byte) (value, rest []byte, err error) {
	digits, rest, ok := bytes.Cut(b, []byte{':'})
	if !ok || len(digits) == 0 || len(digits) > 10 {
		return nil, nil, errors.New("no length")
	}
	n, err := strconv.ParseUint(string(digits), 10, 63)
	if err != nil || strconv.FormatUint(n, 10) != string(digits) {
		return nil, nil, fmt.Errorf("length %.12q: not a canonical decimal", digits)
	}
	if n >= uint64(len(rest)) || rest[n] != '\n' {
		return nil, nil, fmt.Errorf("value of length %d not followed by a newline", n)
	}
	return rest[:n], rest[n+1:], nil
}

func parseValue(ptr any, value []byte) error {
	s := string(value)
	switch p := ptr.(type) {
	case *string:
		*p = s
		return nil
	case *Digest:
		d, err := ParseDigest(s)
		*p = d
		return err
	case *time.Time:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return err
		}
		*p = t.UTC()
	case *float64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return err
		}
		*p = f
	}
	canonical, err := formatValue(ptr)
	if err != nil {
		return err
	}
	if canonical != s {
		return fmt.Errorf("%.40q is not canonical, want %q", s, canonical)
	}
	return nil
}
