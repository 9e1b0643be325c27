package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
)

type filesFetcher struct {
	glob string
}

// NewFiles returns a fetcher for the local files matching glob (the syntax
// of filepath.Match). Fetch returns every matching regular file in name
// order, except those whose stored cursor equals the hex SHA-256 of their
// current content: an unchanged file is not read again, a changed one is.
// Document.Key is the path and Document.Cursor the content hash. A file that
// changes between Fetch and the end of reading it makes the read fail, so a
// cursor never describes content other than what was decoded. No match in
// an existing folder is no document, not an error; a missing folder (the
// part of glob before its first pattern character) or one that is not a
// directory is an error, so that a mistyped or unmounted path fails the
// fetch instead of passing as a quiet success. A file that vanishes
// meanwhile is skipped.
func NewFiles(glob string) monitor.Fetcher {
	return &filesFetcher{glob: glob}
}

// Fetch implements monitor.Fetcher.
func (f *filesFetcher) Fetch(ctx context.Context, cursors map[string]string) ([]monitor.Document, error) {
	paths, err := filepath.Glob(f.glob)
	if err != nil {
		return nil, fmt.Errorf("glob %q: %w", f.glob, err)
	}
	if len(paths) == 0 {
		if err := checkFolder(f.glob); err != nil {
			return nil, err
		}
		return nil, nil
	}
	sort.Strings(paths)
	var docs []monitor.Document
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sum, err := fileSHA256(p)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotRegular) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if cursors[p] == sum {
			continue
		}
		docs = append(docs, monitor.Document{Key: p, Cursor: sum, Open: openVerified(p, sum)})
	}
	return docs, nil
}

var errNotRegular = errors.New("not a regular file")

// checkFolder returns an error when the folder glob searches, the longest
// leading part of it without pattern characters, does not exist or is not a
// directory.
func checkFolder(glob string) error {
	dir := filepath.Dir(glob)
	for hasMeta(dir) {
		dir = filepath.Dir(dir)
	}
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("glob %q: folder %s: %w", glob, dir, err)
	case !st.IsDir():
		return fmt.Errorf("glob %q: %s is not a folder", glob, dir)
	}
	return nil
}

// hasMeta reports whether path holds a character special to
// filepath.Match.
func hasMeta(path string) bool {
	magic := `*?[`
	if filepath.Separator != '\\' {
		magic = `*?[\`
	}
	return strings.ContainsAny(path, magic)
}

// fileSHA256 returns the hex SHA-256 of the regular file at path.
func fileSHA256(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	} else if !st.Mode().IsRegular() {
		return "", errNotRegular
	}
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// openVerified returns an Open function for path whose reader fails at the
// end of the file when the content no longer hashes to sum.
func openVerified(path, sum string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		fh, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		return &verifiedFile{f: fh, h: sha256.New(), path: path, want: sum}, nil
	}
}

// verifiedFile hashes what is read and checks the hash at EOF.
type verifiedFile struct {
	f    *os.File
	h    hash.Hash
	path string
	want string
}

func (v *verifiedFile) Read(p []byte) (int, error) {
	n, err := v.f.Read(p)
	v.h.Write(p[:n])
	if errors.Is(err, io.EOF) {
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			return n, fmt.Errorf("read %s: file changed while being ingested (sha256 %s, listed as %s)", v.path, got, v.want)
		}
	}
	return n, err
}

func (v *verifiedFile) Close() error { return v.f.Close() }
