package ingest

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
)

// Decompress returns a reader of r's content: gunzipped when r starts with
// the gzip magic bytes (whatever its name), else r's bytes unchanged.
// Concatenated gzip members are read as one stream. A corrupt gzip header is
// an error; corruption further on surfaces as a read error. Closing r
// remains the caller's job.
func Decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return zr, nil
}
