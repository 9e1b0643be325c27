package ingest

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestUTF8OrCP1252(t *testing.T) {
	long := strings.Repeat("a,b\n", sniffWindow/2) // an ASCII run longer than the window
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"ascii", "id,name\n1,x\n", "id,name\n1,x\n"},
		{"utf-8", "Kyiv – Київ\n", "Kyiv – Київ\n"},
		{"cp1252", "Donetsk\x92s \x93airport\x94 \x96 caf\xe9\n", "Donetsk’s “airport” – café\n"},
		{"cp1252 after a long ascii run", long + "caf\xe9", long + "café"},
		{"utf-8 after a long ascii run", long + "café", long + "café"},
		{"utf-8 rune across the window end", strings.Repeat("€", sniffWindow/3+2), strings.Repeat("€", sniffWindow/3+2)},
		{"utf-8 BOM", "\xef\xbb\xbfid\n", "\xef\xbb\xbfid\n"},
		{"lone continuation byte", "\x80x", "€x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, wrap := range []func(io.Reader) io.Reader{func(r io.Reader) io.Reader { return r }, iotest.OneByteReader, iotest.HalfReader} {
				got, err := io.ReadAll(utf8OrCP1252(wrap(strings.NewReader(tt.in))))
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != tt.want {
					t.Fatalf("got %d bytes %.40q…, want %d bytes %.40q…", len(got), got, len(tt.want), tt.want)
				}
			}
		})
	}
}

func TestUTF8OrCP1252ReadError(t *testing.T) {
	_, err := io.ReadAll(utf8OrCP1252(iotest.ErrReader(io.ErrUnexpectedEOF)))
	if err != io.ErrUnexpectedEOF {
		t.Errorf("error %v, want the reader's", err)
	}
}
