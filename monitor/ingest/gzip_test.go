package ingest

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestDecompress(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("a,b\n1,2\n"))
	zw.Close()
	tests := []struct {
		name    string
		in      []byte
		want    string
		wantErr bool
	}{
		{"plain", []byte("a,b\n1,2\n"), "a,b\n1,2\n", false},
		{"gzip", gz.Bytes(), "a,b\n1,2\n", false},
		{"empty", nil, "", false},
		{"one byte", []byte{0x1f}, "\x1f", false},
		{"corrupt gzip header", []byte{0x1f, 0x8b, 0, 0}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := monitor.Decompress(bytes.NewReader(tt.in))
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "gzip") {
					t.Errorf("error %v, want a gzip error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil || string(got) != tt.want {
				t.Errorf("read %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDecompressTruncatedGzipFailsDecode(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(strings.Repeat("latitude,longitude,acq_date\n48,37,2022-01-01\n", 50)))
	zw.Close()
	r, err := monitor.Decompress(bytes.NewReader(gz.Bytes()[:gz.Len()-10]))
	if err != nil {
		t.Fatal(err)
	}
	if err := NewFIRMS(FIRMSOptions{}).Decode(r, "cut.csv.gz", &recorder{}); err == nil || !strings.Contains(err.Error(), "cut.csv.gz") {
		t.Errorf("decode of a truncated gzip: error %v, want one naming the document", err)
	}
}
