package configs

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// yamlLineRE splits the line number off a yaml.v3 message.
var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// decode parses data strictly into a Config. Every problem found (syntax,
// unknown keys, wrong types, bad times and durations) is recorded in ps with
// its line; decode returns nil when there was any. It also sets ps.root for
// the semantic checks that follow.
func decode(data []byte, ps *problems) *Config {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			ps.addLine(0, fmt.Errorf("%s: empty config file", ps.file))
		} else {
			ps.addLine(syntaxError(ps.file, data, err))
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			ps.addLine(syntaxError(ps.file, data, err))
		} else {
			ps.addLine(extra.Line, fmt.Errorf("%s:%d: more than one YAML document", ps.file, extra.Line))
		}
		return nil
	}
	root := resolveAlias(doc.Content[0])
	if root.ShortTag() == "!!null" {
		ps.addLine(0, fmt.Errorf("%s: empty config file", ps.file))
		return nil
	}
	ps.root = root

	// Values with their own parsers (times, durations) abort yaml.v3 at the
	// first failure and without a line, so they are checked here first and
	// blanked out for the strict pass, which then reports every other
	// problem.
	var bad []*yaml.Node
	checkScalars(root, reflect.TypeFor[Config](), nil, ps, &bad)
	scalarProblems := len(ps.list)

	var cfg Config
	strict := yaml.NewDecoder(bytes.NewReader(blankScalars(data, bad)))
	strict.KnownFields(true)
	if err := strict.Decode(&cfg); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.As(err, &te):
			for _, msg := range te.Errors {
				ps.addLine(yamlError(ps.file, errors.New(msg)))
			}
		case scalarProblems == 0:
			ps.addLine(0, fmt.Errorf("%s: %w", ps.file, err))
		}
	}
	if !ps.empty() {
		return nil
	}
	return &cfg
}

// yamlError rewrites a yaml.v3 message "line 3: ..." as "file:3: ..." and
// returns its line, or 0 when the message has none.
func yamlError(file string, err error) (int, error) {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line, fmt.Errorf("%s:%s: %s", file, m[1], m[2])
	}
	return 0, fmt.Errorf("%s: %w", file, err)
}

// checkScalars walks node n, which decodes into type t, and tries every
// scalar whose type parses itself (time.Time, model.Duration). A failure is
// recorded with its line and the node is added to bad.
func checkScalars(n *yaml.Node, t reflect.Type, p keyPath, ps *problems, bad *[]*yaml.Node) {
	n = resolveAlias(n)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n == nil || n.ShortTag() == "!!null" {
		return
	}
	if parsesItself(t) {
		if n.Kind != yaml.ScalarNode {
			return // the strict pass reports the wrong kind with its line
		}
		err := n.Decode(reflect.New(t).Interface())
		var te *yaml.TypeError
		if err != nil && !errors.As(err, &te) {
			if t == reflect.TypeFor[time.Time]() {
				ps.addf(p, "invalid time %q, want RFC 3339 such as 2026-12-01T00:00:00Z", n.Value)
			} else {
				ps.addf(p, "%v", err)
			}
			*bad = append(*bad, n)
		}
		return
	}
	switch {
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if f, ok := fieldByTag(t, key); ok {
				checkScalars(n.Content[i+1], f.Type, p.key(key), ps, bad)
			}
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			checkScalars(n.Content[i+1], t.Elem(), p.key(n.Content[i].Value), ps, bad)
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, c := range n.Content {
			checkScalars(c, t.Elem(), p.index(i), ps, bad)
		}
	}
}

// parsesItself reports whether values of t decode through their own method
// rather than by their kind.
func parsesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) ||
		pt.Implements(reflect.TypeFor[yaml.Unmarshaler]()) ||
		pt.Implements(reflect.TypeFor[interface{ UnmarshalYAML(func(any) error) error }]())
}

// fieldByTag returns the field of struct t that yaml.v3 fills from key,
// looking into inline structs.
func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" && f.Type.Kind() == reflect.Struct {
			if inner, ok := fieldByTag(f.Type, key); ok {
				return inner, true
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if f.IsExported() && name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// blankScalars returns data with the single-line scalars of nodes replaced
// by "~" (null) in place, so that line numbers stay the same. Scalars whose
// text cannot be found exactly are left as they are.
func blankScalars(data []byte, nodes []*yaml.Node) []byte {
	type span struct{ start, end int }
	var spans []span
	lines := bytes.SplitAfter(data, []byte("\n"))
	for _, n := range nodes {
		if n.Line < 1 || n.Line > len(lines) {
			continue
		}
		offset := 0
		for _, l := range lines[:n.Line-1] {
			offset += len(l)
		}
		line := lines[n.Line-1]
		col := 0
		for range n.Column - 1 {
			if col >= len(line) {
				break
			}
			_, size := utf8.DecodeRune(line[col:])
			col += size
		}
		if end := scalarEnd(line[col:], n); end > 0 {
			spans = append(spans, span{offset + col, offset + col + end})
		}
	}
	if len(spans) == 0 {
		return data
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start > spans[j].start })
	out := bytes.Clone(data)
	for _, s := range spans {
		out = append(out[:s.start:s.start], append([]byte("~"), out[s.end:]...)...)
	}
	return out
}

// scalarEnd returns the length of the text of scalar n at the start of
// rest, or 0 when it is not a plain or quoted scalar on one line.
func scalarEnd(rest []byte, n *yaml.Node) int {
	switch n.Style {
	case 0:
		if bytes.HasPrefix(rest, []byte(n.Value)) && n.Value != "" {
			return len(n.Value)
		}
	case yaml.SingleQuotedStyle:
		if len(rest) > 0 && rest[0] == '\'' {
			for i := 1; i < len(rest); i++ {
				if rest[i] == '\'' {
					if i+1 < len(rest) && rest[i+1] == '\'' {
						i++
						continue
					}
					return i + 1
				}
			}
		}
	case yaml.DoubleQuotedStyle:
		if len(rest) > 0 && rest[0] == '"' {
			for i := 1; i < len(rest); i++ {
				switch rest[i] {
				case '\\':
					i++
				case '"':
					return i + 1
				}
			}
		}
	}
	return 0
}
