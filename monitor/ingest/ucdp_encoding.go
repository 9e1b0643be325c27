package ingest

import (
	"bufio"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// sniffWindow is how many bytes from the first non-ASCII byte on decide
// whether a document is UTF-8 or Windows-1252.
const sniffWindow = 64 << 10

// utf8OrCP1252 reads a document that is UTF-8 or, having been saved by a
// spreadsheet, Windows-1252 (cp1252), and returns it as UTF-8. ASCII, which
// both encodings share, passes through; at the first non-ASCII byte the
// next sniffWindow bytes decide: valid UTF-8 keeps the document as it is
// (any invalid byte further on is left for the JSON evidence to replace),
// anything else decodes the rest as cp1252. The whole document is never
// held in memory.
func utf8OrCP1252(r io.Reader) io.Reader {
	return &sniffReader{br: bufio.NewReaderSize(r, sniffWindow)}
}

// sniffReader implements utf8OrCP1252. out is nil until the encoding is
// known.
type sniffReader struct {
	br  *bufio.Reader
	out io.Reader
}

// Read implements io.Reader.
func (s *sniffReader) Read(p []byte) (int, error) {
	if s.out != nil {
		return s.out.Read(p)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if _, err := s.br.Peek(1); err != nil {
		return 0, err
	}
	b, _ := s.br.Peek(min(len(p), s.br.Buffered()))
	n := 0
	for n < len(b) && b[n] < utf8.RuneSelf {
		n++
	}
	if n > 0 {
		copy(p, b[:n])
		_, err := s.br.Discard(n)
		return n, err
	}
	w, err := s.br.Peek(sniffWindow)
	if validUTF8Prefix(w, err != nil) {
		s.out = s.br
	} else {
		s.out = transform.NewReader(s.br, charmap.Windows1252.NewDecoder())
	}
	return s.out.Read(p)
}

// validUTF8Prefix reports whether b is valid UTF-8. Unless atEOF, b may end
// in the middle of a character, which is not held against it.
func validUTF8Prefix(b []byte, atEOF bool) bool {
	if !atEOF {
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}
