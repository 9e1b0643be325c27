package evidence

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// manifestLists are the lists of entries of a Manifest, in the order they
// appear in bundle.json.
var manifestLists = [...]string{"violations", "incidents", "retractions", "versions"}

// ManifestWriter writes a Manifest one entry at a time, byte for byte as
// json.MarshalIndent(m, "", "  ") writes the whole of it, so that an export
// holds one entry at a time rather than the bundle. Its lists come in the
// order of manifestLists; a list left without entries is null, as a nil
// slice is.
type ManifestWriter struct {
	w    *bufio.Writer
	list int // index in manifestLists of the list open; -1 before the first
	n    int // entries in it
	err  error
}

// NewManifestWriter starts a manifest of format and trial on w.
func NewManifestWriter(w io.Writer, format, trial string) *ManifestWriter {
	mw := &ManifestWriter{w: bufio.NewWriterSize(w, 1<<16), list: -1}
	mw.write([]byte("{\n  \"format\": "))
	mw.marshal(format, "")
	mw.write([]byte(",\n  \"trial\": "))
	mw.marshal(trial, "")
	return mw
}

// Add writes e at the end of the list named list, closing the lists
// before it. It fails for a list that comes before the one open.
func (mw *ManifestWriter) Add(list string, e *BundleEntry) error {
	if err := mw.open(list); err != nil {
		return err
	}
	if mw.n == 0 {
		mw.write([]byte("[\n    "))
	} else {
		mw.write([]byte(",\n    "))
	}
	mw.marshal(e, "    ")
	mw.n++
	return mw.err
}

// Close ends the lists, writes unlogged and attribution (omitted when
// empty) and the closing brace and a newline, and flushes; it does not
// close the underlying writer.
func (mw *ManifestWriter) Close(unlogged []map[string]string, attribution []string) error {
	if err := mw.open(""); err != nil {
		return err
	}
	if len(unlogged) > 0 {
		mw.write([]byte(",\n  \"unlogged\": "))
		mw.marshal(unlogged, "  ")
	}
	if len(attribution) > 0 {
		mw.write([]byte(",\n  \"attribution\": "))
		mw.marshal(attribution, "  ")
	}
	mw.write([]byte("\n}\n"))
	if mw.err == nil {
		mw.err = mw.w.Flush()
	}
	return mw.err
}

// open closes the lists up to list and opens it; "" closes them all.
func (mw *ManifestWriter) open(list string) error {
	to := len(manifestLists)
	for i, name := range manifestLists {
		if name == list {
			to = i
		}
	}
	if list != "" && to == len(manifestLists) {
		return fmt.Errorf("write bundle manifest: no list %q", list)
	}
	if to < mw.list {
		return fmt.Errorf("write bundle manifest: list %q after %q", list, manifestLists[mw.list])
	}
	for mw.list < to {
		mw.closeList()
		mw.list++
		if mw.list < len(manifestLists) {
			mw.write([]byte(",\n  \"" + manifestLists[mw.list] + "\": "))
			mw.n = 0
		}
	}
	return mw.err
}

// closeList ends the list open, if any.
func (mw *ManifestWriter) closeList() {
	switch {
	case mw.list < 0 || mw.list >= len(manifestLists):
	case mw.n == 0:
		mw.write([]byte("null"))
	default:
		mw.write([]byte("\n  ]"))
	}
}

func (mw *ManifestWriter) marshal(v any, prefix string) {
	if mw.err != nil {
		return
	}
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		mw.err = fmt.Errorf("write bundle manifest: %w", err)
		return
	}
	mw.write(b)
}

func (mw *ManifestWriter) write(b []byte) {
	if mw.err == nil {
		_, mw.err = mw.w.Write(b)
	}
}
