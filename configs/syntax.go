package configs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"
)

// syntaxError rewrites a yaml.v3 syntax error as "file:line: problem" and
// returns the line, 1-based, of the problem.
//
// The line in yaml.v3's message cannot be used as it is: for parser errors
// it is the 0-based line of the construct being parsed ("while parsing a
// block mapping"), which may start many lines above the problem, or the
// 0-based line of the problem when that construct starts on the first
// line; an error on the first line has no line at all, and some errors
// (an unknown anchor) never have one. So an error on line 12 was reported
// as 11, and one on line 4 inside a list that starts on line 2 as 1.
//
// The problem's line is found instead as the first line L such that the
// document cut after line L fails with exactly the same message: the
// parser then meets the same token in the same construct. Lines above the
// message's line are never it (the message's line is at most the problem's
// 1-based line), and the whole document always fails so, so the search is
// a bisection between them. When nothing matches, the message's line is
// kept.
func syntaxError(file string, data []byte, err error) (int, error) {
	msg := err.Error()
	hint, problem := 0, msg
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		hint, _ = strconv.Atoi(m[1])
		problem = m[2]
	} else if after, ok := bytes.CutPrefix([]byte(msg), []byte("yaml: ")); ok {
		problem = string(after)
	}
	ends := lineEnds(data)
	lo := max(hint, 1) - 1 // ends index of the first candidate line
	if lo >= len(ends) || parseError(data) != msg {
		return yamlError(file, err)
	}
	found := lo + sort.Search(len(ends)-lo, func(i int) bool {
		return parseError(data[:ends[lo+i]]) == msg
	})
	line := found + 1
	return line, fmt.Errorf("%s:%d: %s", file, line, problem)
}

// lineEnds returns the offset just after each line of data; the last line
// may lack its line break. Lines break where YAML's parser counts a new
// line (yaml.v3 numbers lines so): at CR LF, CR, LF, NEL, LS and PS.
func lineEnds(data []byte) []int {
	var ends []int
	for i := 0; i < len(data); {
		n := lineBreak(data[i:])
		if n == 0 {
			i++
			continue
		}
		i += n
		ends = append(ends, i)
	}
	if len(data) > 0 && (len(ends) == 0 || ends[len(ends)-1] != len(data)) {
		ends = append(ends, len(data))
	}
	return ends
}

// lineBreak returns the length of the line break b starts with, or 0.
func lineBreak(b []byte) int {
	switch {
	case bytes.HasPrefix(b, []byte("\r\n")):
		return 2
	case b[0] == '\r' || b[0] == '\n':
		return 1
	case bytes.HasPrefix(b, []byte("\u0085")):
		return 2
	case bytes.HasPrefix(b, []byte("\u2028")), bytes.HasPrefix(b, []byte("\u2029")):
		return 3
	}
	return 0
}

// parseError parses every YAML document of data and returns the message of
// the first error, or "" when there is none.
func parseError(data []byte) string {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return ""
		}
		if err != nil {
			return err.Error()
		}
	}
}
