package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestFilesFetch(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	writeFile(t, b, "b1")
	writeFile(t, a, "a1")
	writeFile(t, filepath.Join(dir, "skip.txt"), "x")
	if err := os.Mkdir(filepath.Join(dir, "dir.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	f := NewFiles(filepath.Join(dir, "*.csv"))
	tests := []struct {
		name    string
		before  func()
		cursors map[string]string
		want    []string // keys in order
	}{
		{"first run lists all in name order", nil, nil, []string{a, b}},
		{"unchanged files are skipped", nil, map[string]string{a: sha("a1"), b: sha("b1")}, nil},
		{"a changed file is listed again", func() { writeFile(t, a, "a2") }, map[string]string{a: sha("a1"), b: sha("b1")}, []string{a}},
		{"a stale cursor of another file is ignored", nil, map[string]string{b: sha("a2")}, []string{a, b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			docs, err := f.Fetch(context.Background(), tt.cursors)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, d := range docs {
				keys = append(keys, d.Key)
				content, err := os.ReadFile(d.Key)
				if err != nil {
					t.Fatal(err)
				}
				if d.Cursor != sha(string(content)) {
					t.Errorf("%s cursor %s, want sha256 of its content", d.Key, d.Cursor)
				}
				rc, err := d.Open()
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || string(got) != string(content) {
					t.Errorf("open %s read %q, %v", d.Key, got, err)
				}
			}
			if strings.Join(keys, " ") != strings.Join(tt.want, " ") {
				t.Errorf("keys %v, want %v", keys, tt.want)
			}
		})
	}
}

func TestFilesChangedWhileRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.csv")
	writeFile(t, p, "before")
	docs, err := NewFiles(filepath.Join(dir, "*.csv")).Fetch(context.Background(), nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("fetch: %v, %d documents", err, len(docs))
	}
	writeFile(t, p, "after!")
	rc, err := docs[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadAll(rc); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("read error %v, want a changed-file error", err)
	}
}

func TestFilesErrors(t *testing.T) {
	dir := t.TempDir()
	t.Run("bad pattern", func(t *testing.T) {
		if _, err := NewFiles(filepath.Join(dir, "[")).Fetch(context.Background(), nil); err == nil {
			t.Error("want an error for a malformed glob")
		}
	})
	writeFile(t, filepath.Join(dir, "plain"), "x")
	if err := os.MkdirAll(filepath.Join(dir, "sub", "deeper"), 0o755); err != nil {
		t.Fatal(err)
	}
	missing := []struct{ name, glob, want string }{
		{"missing folder", filepath.Join(dir, "gone", "*.csv"), "gone: "},
		{"missing folder above a pattern folder", filepath.Join(dir, "gone", "*", "*.csv"), "gone: "},
		{"a file where the folder should be", filepath.Join(dir, "plain", "*.csv"), "is not a folder"},
	}
	for _, tt := range missing {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := NewFiles(tt.glob).Fetch(context.Background(), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) || len(docs) != 0 {
				t.Errorf("got %d documents, error %v; want an error containing %q", len(docs), err, tt.want)
			}
		})
	}
	empty := []struct{ name, glob string }{
		{"no match in an existing folder", filepath.Join(dir, "*.none")},
		{"no match below an existing pattern folder", filepath.Join(dir, "s*", "*.none")},
		{"no match of a plain name", filepath.Join(dir, "sub", "deeper", "x.csv")},
	}
	for _, tt := range empty {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := NewFiles(tt.glob).Fetch(context.Background(), nil)
			if err != nil || len(docs) != 0 {
				t.Errorf("got %v, %v; want nothing and no error", docs, err)
			}
		})
	}
	t.Run("cancelled context", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "x.csv"), "x")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := NewFiles(filepath.Join(dir, "*.csv")).Fetch(ctx, nil); err == nil {
			t.Error("want the context error")
		}
	})
}
