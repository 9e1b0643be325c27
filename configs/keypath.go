package configs

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// keyPath addresses a value in the config document: string elements are
// mapping keys, int elements are sequence indexes.
type keyPath []any

// key returns a copy of p extended by a mapping key.
func (p keyPath) key(k string) keyPath {
	return append(p[:len(p):len(p)], k)
}

// index returns a copy of p extended by a sequence index.
func (p keyPath) index(i int) keyPath {
	return append(p[:len(p):len(p)], i)
}

// String formats p as trials[1].start.
func (p keyPath) String() string {
	var b strings.Builder
	for _, e := range p {
		switch e := e.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(e) + "]")
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, e)
		}
	}
	return b.String()
}

// line returns the line of the node p addresses in root. A path ending in a
// key gives the line of the key; a path that does not exist (a required key
// left out) gives the line of its deepest existing ancestor. It returns 0
// when root is nil.
func (p keyPath) line(root *yaml.Node) int {
	n, line := root, 0
	if n != nil {
		line = n.Line
	}
	for _, e := range p {
		n = resolveAlias(n)
		if n == nil {
			break
		}
		var next *yaml.Node
		switch e := e.(type) {
		case int:
			if n.Kind == yaml.SequenceNode && e < len(n.Content) {
				next = n.Content[e]
				line = next.Line
			}
		case string:
			if k, v := mappingEntry(n, e); k != nil {
				next, line = v, k.Line
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return line
}

// mappingEntry returns the key and value nodes of key in mapping n, or nils.
func mappingEntry(n *yaml.Node, key string) (k, v *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// resolveAlias follows an alias node to the node it refers to.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// present reports whether key p exists in root with a non-null value. It is
// how defaults tell a key left out from one set to zero.
func (p keyPath) present(root *yaml.Node) bool {
	n := root
	for _, e := range p {
		n = resolveAlias(n)
		switch e := e.(type) {
		case int:
			if n == nil || n.Kind != yaml.SequenceNode || e >= len(n.Content) {
				return false
			}
			n = n.Content[e]
		case string:
			if _, n = mappingEntry(n, e); n == nil {
				return false
			}
		}
	}
	n = resolveAlias(n)
	return n != nil && n.ShortTag() != "!!null"
}

// problems collects every error found in one config file, each naming the
// file, the line and the key path.
type problems struct {
	file     string     // the config file as the user named it
	root     *yaml.Node // the document's top node; nil before parsing
	list     []problem
	warnings []string // non-fatal, each named like an error
}

// problem is one error and the config line it belongs to, for ordering.
type problem struct {
	line int
	err  error
}

// addf records a problem at the value addressed by p.
func (ps *problems) addf(p keyPath, format string, args ...any) {
	ps.addErr(p, fmt.Errorf(format, args...))
}

// addErr records a problem at p that wraps err; joined errors become one
// problem each.
func (ps *problems) addErr(p keyPath, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			ps.addErr(p, e)
		}
		return
	}
	line := p.line(ps.root)
	prefix := fmt.Sprintf("%s:%d", ps.file, line)
	if len(p) > 0 {
		prefix += ": " + p.String()
	}
	ps.list = append(ps.list, problem{line, fmt.Errorf("%s: %w", prefix, err)})
}

// warnf records a warning at the value addressed by p, named by file, line
// and key path like a problem.
func (ps *problems) warnf(p keyPath, format string, args ...any) {
	w := fmt.Sprintf("%s:%d: %s: %s", ps.file, p.line(ps.root), p, fmt.Sprintf(format, args...))
	ps.warnings = append(ps.warnings, w)
}

// addAt records errors that already name their place, such as those of a
// zone file, ordered with the config line of p. Joined errors are split
// into one problem each.
func (ps *problems) addAt(p keyPath, err error) {
	ps.addLine(p.line(ps.root), err)
}

// addLine records errors that already name their place, ordered as if at
// line; line 0 sorts first.
func (ps *problems) addLine(line int, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			ps.addLine(line, e)
		}
		return
	}
	if err != nil {
		ps.list = append(ps.list, problem{line, err})
	}
}

// empty reports whether no problem was recorded.
func (ps *problems) empty() bool { return len(ps.list) == 0 }

// err returns the problems joined one per line in the order of the config
// lines they concern, or nil when there are none.
func (ps *problems) err() error {
	sorted := slices.Clone(ps.list)
	slices.SortStableFunc(sorted, func(a, b problem) int { return a.line - b.line })
	errs := make([]error, len(sorted))
	for i, p := range sorted {
		errs[i] = p.err
	}
	return errors.Join(errs...)
}
