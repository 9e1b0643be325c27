package configs

import (
	"errors"
	"testing"
)

// TestSyntaxErrorLine checks the line syntaxError finds for errors that
// yaml.v3 misplaces, in documents the fixtures do not cover.
func TestSyntaxErrorLine(t *testing.T) {
	tests := []struct {
		name, doc string
		line      int
	}{
		{"nested mapping", "a: 1\nb:\n  c: 1\n  d: 2\n e: 3\nf: 4\n", 5},
		{"after a flow list over two lines", "a: [1,\n  2]\nb: 1\nc:\n  - x\n  y: 2\n", 6},
		{"no final newline", "a: 1\nb: 2\n- c", 3},
		{"second document", "a: 1\n---\nb: 2\n c: 3\n", 4},
		{"unclosed flow list", "a: 1\nb: [x, y\nc: 2\n", 2},
		{"tab", "a:\n  b: 1\n\t- c\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := parseError([]byte(tt.doc))
			if msg == "" {
				t.Fatal("the document parses")
			}
			line, err := syntaxError("f.yml", []byte(tt.doc), errors.New(msg))
			if line != tt.line {
				t.Errorf("line %d (%v), want %d; yaml.v3 said %q", line, err, tt.line, msg)
			}
		})
	}
}
