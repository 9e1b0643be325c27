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
		// YAML breaks lines at CR and CR LF too, and numbers them so.
		{"CR line breaks", "a: 1\rb:\r  c: 1\r  d: 2\r e: 3\rf: 4\r", 5},
		{"CR LF line breaks", "a: 1\r\nb:\r\n  c: 1\r\n  d: 2\r\n e: 3\r\nf: 4\r\n", 5},
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
