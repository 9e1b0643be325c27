package main

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ceasefired/ceasefired/monitor"
)

// appendReplayLine appends the JSON line replay prints for v, byte for byte
// what encoding/json's Encoder writes for a replayLine (HTML characters
// escaped, newline included), without reflection or allocation. It returns
// ok false, having appended nothing, for a violation Encoder refuses: a
// coordinate that is NaN or infinite, or a time RFC 3339 cannot write.
func appendReplayLine(dst []byte, v *monitor.Violation) (out []byte, ok bool) {
	start := len(dst)
	return appendReplayTail(appendReplayHead(dst, v), start, v)
}

// replayHead is what the start of a violation's line depends on: lines of
// violations with equal heads start with the same bytes.
type replayHead struct {
	trial, zone, source string
	category            monitor.Category
}

func headOf(v *monitor.Violation) replayHead {
	return replayHead{trial: v.Trial, zone: v.ZoneID, source: v.Source, category: v.Category}
}

// appendReplayHead appends the start of v's line, up to the incident id:
// the trial, zone, category and source.
func appendReplayHead(dst []byte, v *monitor.Violation) []byte {
	dst = append(dst, `{"trial":`...)
	dst = appendJSONString(dst, v.Trial)
	dst = append(dst, `,"zone_id":`...)
	dst = appendJSONString(dst, v.ZoneID)
	dst = append(dst, `,"category":`...)
	dst = appendJSONString(dst, string(v.Category))
	dst = append(dst, `,"source":`...)
	return appendJSONString(dst, v.Source)
}

// appendReplayTail appends the rest of v's line after its head, which
// starts at dst[start:]; when v cannot be written it returns dst[:start],
// the head taken off again, and ok false.
func appendReplayTail(dst []byte, start int, v *monitor.Violation) (out []byte, ok bool) {
	if !finite(v.Lon) || !finite(v.Lat) {
		return dst[:start], false
	}
	var buf [40]byte
	at, ok := appendJSONTime(buf[:0], v.OccurredAt)
	if !ok {
		return dst[:start], false
	}
	return appendReplayTailAt(dst, start, v, at)
}

// appendReplayTailAt is appendReplayTail with v's time already written
// as appendJSONTime writes it.
func appendReplayTailAt(dst []byte, start int, v *monitor.Violation, at []byte) (out []byte, ok bool) {
	if !finite(v.Lon) || !finite(v.Lat) {
		return dst[:start], false
	}
	dst = append(dst, `,"incident_id":`...)
	dst = appendJSONString(dst, v.IncidentID)
	dst = append(dst, `,"occurred_at":`...)
	dst = append(dst, at...)
	dst = append(dst, `,"lon":`...)
	dst = appendJSONFloat(dst, v.Lon)
	dst = append(dst, `,"lat":`...)
	dst = appendJSONFloat(dst, v.Lat)
	dst = append(dst, `,"placement":`...)
	dst = appendJSONString(dst, string(v.Placement))
	return append(dst, "}\n"...), true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// appendJSONTime appends t as Time.MarshalJSON writes it: RFC 3339 with
// the fraction's trailing zeros dropped, in quotes.
func appendJSONTime(dst []byte, t time.Time) ([]byte, bool) {
	if _, off := t.Zone(); off == 0 && t.Year() >= 0 && t.Year() <= 9999 {
		dst = append(dst, '"')
		dst = t.AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"'), true
	}
	b, err := t.MarshalJSON() // offsets and years MarshalJSON checks itself
	if err != nil {
		return dst, false
	}
	return append(dst, b...), true
}

// appendJSONFloat appends a finite f as encoding/json writes a float64:
// the shortest form that reads back, with an exponent only below 1e-6 or
// from 1e21, and no leading zero in a negative exponent.
func appendJSONFloat(dst []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if n := len(dst); format == 'e' && n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
		dst[n-2] = dst[n-1]
		dst = dst[:n-1]
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json writes it with HTML
// escaping on: ", \ and control characters escaped, <, > and & as \u00XX,
// invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped, other text as is.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
