package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// csvScanner reads CSV records exactly as an encoding/csv Reader with
// LazyQuotes, FieldsPerRecord -1 and ReuseRecord does, and gives the same
// records, line numbers and errors, but faster for the common case: lines
// without a quote are split on commas in place, the fields being substrings
// of one string per block of input, so that a record costs no allocation.
// From the first line holding a quote on, the rest of the document is read
// by an encoding/csv Reader (quoted fields may span lines, and their rules
// are that reader's), its line numbers shifted by the lines read before.
//
// A field keeps the block it lies in (some tens of kilobytes) alive as long
// as the field is.
type csvScanner struct {
	src  io.Reader
	buf  []byte // buf[:n] is read input after the last complete line
	n    int
	data string // complete lines not yet scanned
	err  error  // the error that ended src (io.EOF at its end)
	line int    // lines read so far
	rec  []string

	// Once a line with a quote is met, csv reads the rest; base is the
	// number of lines read before it.
	csv  *csv.Reader
	base int
}

// csvBlock is the size of the scanner's reads: it grows when a line is
// longer.
const csvBlock = 32 << 10

// newCSVScanner returns a scanner of r, which it reads size bytes at a
// time (size grows to hold a longer line). A UTF-8 byte order mark at the
// start of r is skipped.
func newCSVScanner(r io.Reader, size int) *csvScanner {
	s := &csvScanner{src: r, buf: make([]byte, max(size, 4))}
	for s.n < len(utf8BOM) && s.err == nil {
		s.read()
	}
	if bytes.HasPrefix(s.buf[:s.n], utf8BOM) {
		s.n = copy(s.buf, s.buf[len(utf8BOM):s.n])
	}
	return s
}

// read reads once from src into the free part of buf, growing it when full.
func (s *csvScanner) read() {
	if s.n == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	m, err := s.src.Read(s.buf[s.n:])
	s.n += m
	if err != nil {
		s.err = err
	}
}

// fill makes data the next complete lines, and the last line at the end of
// src. It returns false when there is none: src has ended or failed.
func (s *csvScanner) fill() bool {
	for {
		end := bytes.LastIndexByte(s.buf[:s.n], '\n') + 1
		if errors.Is(s.err, io.EOF) {
			end = s.n // the last line needs no newline
		}
		if end > 0 {
			s.data = string(s.buf[:end])
			s.n = copy(s.buf, s.buf[end:s.n])
			return true
		}
		if s.err != nil {
			return false
		}
		s.read()
	}
}

// Read returns the next record, the lines it starts and ends on, and
// encoding/csv's error: io.EOF at the end, a *csv.ParseError naming lines of
// the whole document, or the error that made src fail. The record is valid
// until the next call.
func (s *csvScanner) Read() (rec []string, start, end int, err error) {
	if s.csv != nil {
		return s.readCSV()
	}
	for {
		if s.data == "" && !s.fill() {
			return nil, 0, 0, s.err
		}
		i := strings.IndexByte(s.data, '\n')
		l := s.data
		if i >= 0 {
			l = s.data[:i]
		}
		if strings.IndexByte(l, '"') >= 0 {
			s.handOver()
			return s.readCSV()
		}
		if i >= 0 {
			s.data = s.data[i+1:]
		} else {
			s.data = ""
		}
		s.line++
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		if l == "" {
			continue // encoding/csv skips empty lines
		}
		s.rec = s.rec[:0]
		for {
			j := strings.IndexByte(l, ',')
			if j < 0 {
				break
			}
			s.rec = append(s.rec, l[:j])
			l = l[j+1:]
		}
		s.rec = append(s.rec, l)
		return s.rec, s.line, s.line, nil
	}
}

// handOver gives the input not yet scanned, from the current line on, to
// an encoding/csv Reader.
func (s *csvScanner) handOver() {
	tail := s.src
	if s.err != nil {
		tail = errReader{s.err} // src is done: it says so again
	}
	s.csv = csv.NewReader(io.MultiReader(strings.NewReader(s.data), bytes.NewReader(s.buf[:s.n]), tail))
	s.csv.LazyQuotes = true
	s.csv.FieldsPerRecord = -1
	s.csv.ReuseRecord = true
	s.base, s.data = s.line, ""
}

// readCSV is Read once encoding/csv has taken over.
func (s *csvScanner) readCSV() (rec []string, start, end int, err error) {
	rec, err = s.csv.Read()
	var perr *csv.ParseError
	if errors.As(err, &perr) {
		perr.StartLine += s.base
		perr.Line += s.base
		return rec, 0, 0, err
	}
	if err != nil {
		return rec, 0, 0, err
	}
	start, _ = s.csv.FieldPos(0)
	end, _ = s.csv.FieldPos(len(rec) - 1)
	return rec, start + s.base, end + s.base, nil
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
