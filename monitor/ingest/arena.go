package ingest

import "strings"

// strArena makes strings out of bytes many at a time: each string is a
// part of a block of some kilobytes, allocated once, so that making one
// costs a copy and no allocation. A block stays alive as long as any of its
// strings does.
type strArena struct {
	b strings.Builder
}

// arenaBlock is the size of an arena's blocks.
const arenaBlock = 32 << 10

// string returns b as a string.
func (a *strArena) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if a.b.Cap()-a.b.Len() < len(b) {
		// A new block: the old one's bytes, handed out as strings, are
		// never written again.
		a.b = strings.Builder{}
		a.b.Grow(max(arenaBlock, len(b)))
	}
	start := a.b.Len()
	a.b.Write(b)
	return a.b.String()[start:]
}
