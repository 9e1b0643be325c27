package configs

import (
	"os"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestKeyPathLine(t *testing.T) {
	const doc = `zones:
  - file: a.geojson
    id_property: id
trials:
  - name: t
    zones: [A,
      B]
alerting: {hold: 1h}
`
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatal(err)
	}
	root := n.Content[0]
	tests := []struct {
		path    keyPath
		text    string
		line    int
		present bool
	}{
		{keyPath{"zones", 0, "id_property"}, "zones[0].id_property", 3, true},
		{keyPath{"zones", 0}, "zones[0]", 2, true},
		{keyPath{"trials", 0, "zones", 1}, "trials[0].zones[1]", 7, true},
		{keyPath{"trials", 0, "start"}, "trials[0].start", 5, false}, // missing: its trial
		{keyPath{"trials", 3, "name"}, "trials[3].name", 4, false},   // missing: the list
		{keyPath{"alerting", "hold"}, "alerting.hold", 8, true},      // flow mapping
		{keyPath{"alerting", "severity", "x"}, "alerting.severity.x", 8, false},
		{keyPath{}, "", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := tt.path.String(); got != tt.text {
				t.Errorf("String() = %q, want %q", got, tt.text)
			}
			if got := tt.path.line(root); got != tt.line {
				t.Errorf("line = %d, want %d", got, tt.line)
			}
			if got := tt.path.present(root); got != tt.present {
				t.Errorf("present = %v, want %v", got, tt.present)
			}
		})
	}
}

func TestBlankScalars(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "a: 5x # note\nb: 1\n", "a: ~ # note\nb: 1\n"},
		{"single quoted", "a: 'it''s'\nb: 1\n", "a: ~\nb: 1\n"},
		{"double quoted", "a: \"x\\\"y\"\nb: 1\n", "a: ~\nb: 1\n"},
		{"flow mapping", "a: {b: 5x, c: 1}\n", "a: {b: ~, c: 1}\n"},
		{"after non-ASCII", "a: {é: 5x}\n", "a: {é: ~}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tt.in), &n); err != nil {
				t.Fatal(err)
			}
			first := n.Content[0].Content[1] // the value of the first key
			if first.Kind == yaml.MappingNode {
				first = first.Content[1]
			}
			if got := string(blankScalars([]byte(tt.in), []*yaml.Node{first})); got != tt.want {
				t.Errorf("blankScalars = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzDecode checks that decode never panics and either returns a config
// or records at least one problem, never both.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{
		"testdata/design.yml", "testdata/full.yml", "testdata/bad/bad_scalars.yml",
		"testdata/bad/syntax_indent.yml", "testdata/bad/syntax_top_level.yml", "testdata/bad/syntax_anchor.yml",
	} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("alerting: {hold: 5x, resend_delay: '1y2'}\ntrials: [{start: \"x\\\"\"}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := &problems{file: "f.yml"}
		c := decode(data, ps)
		if (c == nil) == ps.empty() {
			t.Fatalf("config %v with problems %v", c != nil, ps.err())
		}
		lines := len(lineEnds(data))
		for _, p := range ps.list {
			if p.line < 0 || p.line > lines+1 {
				t.Fatalf("problem on line %d of a document of %d lines: %v", p.line, lines, p.err)
			}
		}
	})
}
