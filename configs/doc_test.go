package configs

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// configDoc is the configuration reference, relative to this package.
const configDoc = "../docs/configuration.md"

// readConfigDoc returns the lines of the configuration reference; a
// missing file is reported, and every check then lists all it looked for.
func readConfigDoc(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(configDoc)
	if err != nil {
		t.Errorf("read the configuration reference: %v", err)
		return nil
	}
	return strings.Split(string(data), "\n")
}

// TestFormatsDocumented lists the registered formats and checks that each
// has validation, defaults and a decoder, and a heading of its own in
// docs/configuration.md that names it in backticks ("### Format `firms`").
func TestFormatsDocumented(t *testing.T) {
	lines := readConfigDoc(t)
	var undocumented []string
	for _, f := range formats() {
		if f.validate == nil || f.defaults == nil || f.decoder == nil {
			t.Errorf("format %q: validate %t, defaults %t, decoder %t; it needs all three",
				f.name, f.validate != nil, f.defaults != nil, f.decoder != nil)
		}
		heading := slices.ContainsFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, "#") && strings.Contains(l, "`"+f.name+"`")
		})
		if !heading {
			undocumented = append(undocumented, f.name)
		}
	}
	if len(undocumented) > 0 {
		t.Errorf("%s has no heading naming these formats in backticks (e.g. \"### Format `%s`\"):\n  %s",
			configDoc, undocumented[0], strings.Join(undocumented, "\n  "))
	}
}

// TestConfigKeysDocumented checks that every key of the config file, as
// its dotted path from the top ("sources.firms.min_confidence"), appears
// in backticks in docs/configuration.md. The paths are derived from the
// yaml tags of Config, so a new key fails this test until it is
// documented.
func TestConfigKeysDocumented(t *testing.T) {
	doc := strings.Join(readConfigDoc(t), "\n")
	var missing []string
	for _, k := range configKeys() {
		if !strings.Contains(doc, "`"+k+"`") {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s does not name these config keys in backticks:\n  %s", configDoc, strings.Join(missing, "\n  "))
	}
}

// TestConfigKeys checks the derivation of key paths on a few known keys.
func TestConfigKeys(t *testing.T) {
	keys := configKeys()
	for _, k := range []string{
		"zones", "zones.id_property", "trials.buffer_meters", "sources.firms.min_confidence",
		"sources.acled.api.key_file", "sources.push.token_file", "alerting.resend_delay", "alerting.severity",
	} {
		if !slices.Contains(keys, k) {
			t.Errorf("key %q not derived; got %q", k, keys)
		}
	}
	for _, k := range []string{"trials.baseline_days", "file", "loaded", "sources.formatblocks", "trials.start.wall"} {
		if slices.Contains(keys, k) {
			t.Errorf("key %q derived, want it left out", k)
		}
	}
}

// configKeys returns the dotted path of every key of the config file, in
// the order of the Config struct, containers before their keys.
func configKeys() []string {
	var keys []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || parsesItself(t) {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			switch {
			case !f.IsExported() || name == "-":
			case opts == "inline":
				walk(f.Type, prefix)
			default:
				if name == "" {
					name = strings.ToLower(f.Name)
				}
				keys = append(keys, prefix+name)
				walk(f.Type, prefix+name+".")
			}
		}
	}
	walk(reflect.TypeFor[Config](), "")
	return keys
}
