package ingest

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// errInvalidID is the error of an id that is not valid UTF-8 text.
var errInvalidID = errors.New("id is not valid UTF-8: two such ids could not be told apart")

// jsonStringBytes decodes raw, a syntactically valid JSON string literal
// with its quotes, keeping what encoding/json would replace by U+FFFD: an
// invalid UTF-8 byte stays as it is and an unpaired surrogate escape
// (\udcff) becomes its three-byte form, itself invalid UTF-8. So distinct
// literals give distinct strings, and the result is valid UTF-8 exactly
// when encoding/json would decode raw without a replacement.
func jsonStringBytes(raw []byte) string {
	if len(raw) < 2 || raw[0] != '"' {
		return string(raw)
	}
	s := raw[1 : len(raw)-1]
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		if s[i+1] != 'u' {
			b.WriteByte(unescaped(s[i+1]))
			i += 2
			continue
		}
		r1, ok := hex4(s[i+2:])
		if !ok {
			b.Write(s[i:])
			break
		}
		i += 6
		if utf16.IsSurrogate(r1) && r1 < 0xdc00 && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
			if r2, ok := hex4(s[i+2:]); ok && r2 >= 0xdc00 && r2 < 0xe000 {
				b.WriteRune(utf16.DecodeRune(r1, r2))
				i += 6
				continue
			}
		}
		if utf16.IsSurrogate(r1) {
			// What utf8.EncodeRune refuses to write: 1110xxxx 10xxxxxx 10xxxxxx.
			b.Write([]byte{0xe0 | byte(r1>>12), 0x80 | byte(r1>>6)&0x3f, 0x80 | byte(r1)&0x3f})
			continue
		}
		b.WriteRune(r1)
	}
	return b.String()
}

// unescaped returns the character a one-letter JSON escape stands for.
func unescaped(c byte) byte {
	switch c {
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return c // " \ /
}

// hex4 reads the four hex digits at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(s[:4]), 16, 32)
	return rune(n), err == nil
}

// validRawID reports whether the id member of the JSON object obj is valid
// UTF-8 text as written; an id that is not a string, or absent, is valid
// here. When props is true the id is read as a GeoJSON feature's: the
// properties' id if set, else the feature's own. Callers use it only when
// the decoded id holds U+FFFD, which is where encoding/json may have merged
// two different ids.
func validRawID(obj []byte, props bool) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return true
	}
	id := m["id"]
	if props {
		var p map[string]json.RawMessage
		if json.Unmarshal(m["properties"], &p) == nil {
			if pid, ok := p["id"]; ok && string(pid) != "null" {
				id = pid
			}
		}
	}
	if len(id) == 0 || id[0] != '"' {
		return true
	}
	return utf8.ValidString(jsonStringBytes(id))
}

// mayBeMerged reports whether id, as decoded by encoding/json, holds the
// replacement character and so may stand for invalid text.
func mayBeMerged(id string) bool {
	return strings.ContainsRune(id, utf8.RuneError)
}
