package ingest

import (
	"bytes"
	"encoding/json"
	"strings"
)

// lineIndex turns increasing byte offsets of a document into 1-based line
// numbers, scanning each byte once.
type lineIndex struct {
	doc  []byte
	pos  int64 // offset up to which lines are counted
	line int   // line of pos
}

// lineAt returns the line of offset off; offsets must not decrease from
// call to call.
func (l *lineIndex) lineAt(off int64) int {
	off = min(off, int64(len(l.doc)))
	if off > l.pos {
		l.line += bytes.Count(l.doc[l.pos:off], []byte{'\n'})
		l.pos = off
	}
	return l.line
}

// compactRaw returns a JSON value as compact JSON evidence, with any
// invalid UTF-8 replaced so that the result is valid JSON text.
func compactRaw(raw []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}
