package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ceasefired/ceasefired/monitor"
)

// MaxJSONLine is the longest line, in bytes, the JSON lines decoder reads;
// a longer one is rejected as monitor.ReasonMalformed and skipped.
const MaxJSONLine = 1 << 20

type jsonlDecoder struct {
	o PointOptions
}

// NewJSONLines returns a decoder for JSON lines: one JSON object per line,
// each validated like DecodeItem (id, time, lat, lon, category, optional
// confidence and uncertainty_m, free attributes). Blank lines are skipped;
// a line that is not one JSON object is monitor.ReasonMalformed; rejects
// carry the 1-based line number. Raw is the line as compact JSON, members
// in their order.
func NewJSONLines(o PointOptions) monitor.Decoder {
	return &jsonlDecoder{o: o}
}

// Decode implements monitor.Decoder. Only a read error of r, or a sink
// error, stops it.
func (d *jsonlDecoder) Decode(r io.Reader, name string, sink monitor.Sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	seen := make(map[string]struct{})
	var buf []byte
	for line := 1; ; line++ {
		var tooLong bool
		var err error
		buf, tooLong, err = readLine(br, buf[:0])
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s line %d: read: %w", name, line, err)
		}
		text := bytes.TrimSpace(buf)
		if line == 1 {
			text = bytes.TrimPrefix(text, utf8BOM)
		}
		if len(text) > 0 || tooLong {
			if serr := d.line(text, tooLong, line, seen, sink); serr != nil {
				return fmt.Errorf("%s line %d: %w", name, line, serr)
			}
		}
		if err != nil {
			return nil
		}
	}
}

// line hands the outcome of one non-blank line to sink; only a sink error
// is returned.
func (d *jsonlDecoder) line(text []byte, tooLong bool, line int, seen map[string]struct{}, sink monitor.Sink) error {
	if tooLong {
		sink.Reject(line, monitor.ReasonMalformed, fmt.Errorf("line longer than %d bytes", MaxJSONLine))
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		sink.Reject(line, monitor.ReasonMalformed, fmt.Errorf("not a JSON object: %v", err))
		return nil
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		sink.Reject(line, monitor.ReasonMalformed, errors.New("data after the JSON object"))
		return nil
	}
	lat, lon, reason, err := latLonValues(m["lat"], m["lon"])
	var inc monitor.Incident
	if reason == "" {
		inc, reason, err = decodePoint(m, nil, lat, lon, d.o)
	}
	if reason == "" && mayBeMerged(inc.ID) && !validRawID(text, false) {
		reason, err = monitor.ReasonInvalidID, errInvalidID
	}
	if reason == "" {
		if _, dup := seen[inc.ID]; dup {
			reason, err = monitor.ReasonDuplicateInFile, fmt.Errorf("id %q seen before", inc.ID)
		}
	}
	if reason != "" {
		sink.Reject(line, reason, err)
		return nil
	}
	seen[inc.ID] = struct{}{}
	inc.Raw = compactRaw(text)
	return sink.Incident(&inc)
}

// readLine appends the next line of br, without its newline, to buf. A line
// longer than MaxJSONLine is read to its end but not kept: tooLong is set.
// err is io.EOF after the last line.
func readLine(br *bufio.Reader, buf []byte) (_ []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong && len(buf)+len(chunk) <= MaxJSONLine+1 {
			buf = append(buf, chunk...)
		} else {
			tooLong, buf = true, buf[:0]
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return bytes.TrimSuffix(buf, []byte{'\n'}), tooLong, err
		}
	}
}
