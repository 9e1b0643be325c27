package ingest

import (
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendRawJSON appends rec as a compact JSON object mapping each header
// name to its field, in column order. Fields beyond the header are keyed by
// their 1-based column number. Invalid UTF-8 is replaced by U+FFFD, so the
// result is always valid JSON.
func appendRawJSON(b []byte, header, rec []string) []byte {
	b = append(b, '{')
	for i, v := range rec {
		if i > 0 {
			b = append(b, ',')
		}
		if i < len(header) {
			b = appendJSONString(b, header[i])
		} else {
			b = appendJSONString(b, strconv.Itoa(i+1))
		}
		b = append(b, ':')
		b = appendJSONString(b, v)
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	if !needsEscape(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// needsEscape reports whether s holds a byte that appendJSONString must not
// copy as is: a quote, a backslash, a control character or non-ASCII.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			return true
		}
	}
	return false
}

// rawObject builds a compact JSON object of string members, in the order
// they are added, for decoders that keep only some fields as evidence.
type rawObject struct {
	b []byte
}

// add appends the member key: val.
func (o *rawObject) add(key, val string) {
	if len(o.b) == 0 {
		o.b = append(o.b, '{')
	} else {
		o.b = append(o.b, ',')
	}
	o.b = appendJSONString(o.b, key)
	o.b = append(o.b, ':')
	o.b = appendJSONString(o.b, val)
}

// String returns the object; with no members it is "{}".
func (o *rawObject) String() string {
	if len(o.b) == 0 {
		return "{}"
	}
	return string(o.b) + "}"
}
