package configs

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// format is one source format: everything the loader and the daemon know
// about it. The registry (formats) is the one place that names formats;
// the loader, the defaults and Source.Build ask it and never compare
// format names. Adding a format means adding its entry here, its block to
// FormatBlocks when it has one, and its decoder in monitor/ingest.
type format struct {
	name string
	// pushed formats are fed over HTTP (POST /api/v1/incidents) instead of
	// being fetched: they have no url, path or schedule, and their own
	// validation says so.
	pushed bool
	// kind returns the default kind of a source of the format, when the
	// source sets none.
	kind func(s *Source) judge.Kind
	// blocks are the yaml keys of the FormatBlocks fields the format reads;
	// any other block set on one of its sources is an error.
	blocks []string
	// validate checks the format's own keys of s, at key path p; absDir
	// is the config file's folder, against which it makes paths absolute.
	validate func(ps *problems, p keyPath, s *Source, absDir string)
	// defaults fills the format's own keys that root leaves out.
	defaults func(s *Source, p keyPath, root *yaml.Node)
	// decoder builds the decoder of a validated source.
	decoder func(s *Source) (monitor.Decoder, error)
	// attribution is the notice the licence or terms of the format's data
	// ask for wherever they are shown or passed on; "" for formats of our
	// own (field reports, csv, geojson), which need none.
	attribution string
	// restricted formats' records may not be passed on whole: evidence
	// bundles carry only their id, date, category, precisions and zone.
	restricted bool
	// fetcher, when not nil, builds the fetcher of a validated source;
	// nil means the file glob or HTTP URL of its path or url. Pushed
	// formats have none.
	fetcher func(s *Source, t ingest.Transport) (monitor.Fetcher, error)
}

// formats returns the registry: every source format, in the order messages
// and the documentation list them.
func formats() []format {
	return []format{
		firmsFormat(), csvFormat(), acledFormat(), ucdpFormat(),
		geojsonFormat(), jsonlFormat(), pushFormat(),
	}
}

// FormatBlocks are the format-specific blocks of a source, inline in it:
// each is read by the formats that list its key (format.blocks) and is an
// error on a source of any other format.
type FormatBlocks struct {
	CSV    *CSVColumns   `yaml:"csv"`
	FIRMS  *FIRMSOptions `yaml:"firms"`
	UCDP   *UCDPOptions  `yaml:"ucdp"`
	ACLED  *ACLEDOptions `yaml:"acled"`
	Points *PointOptions `yaml:"points"` // geojson, jsonl and push
	Push   *PushOptions  `yaml:"push"`
}

// lookupFormat returns the format called name.
func lookupFormat(name string) (format, bool) {
	for _, f := range formats() {
		if f.name == name {
			return f, true
		}
	}
	return format{}, false
}

// formatNames lists the names of the registry in order.
func formatNames() []string {
	fs := formats()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return names
}

// Attribution returns the notice the licence or terms of the source's data
// ask for wherever they are shown or passed on, or "" when none is needed.
func (s *Source) Attribution() string {
	f, _ := lookupFormat(s.Format)
	return f.attribution
}

// Restricted reports whether the terms of the source's data forbid passing
// its records on whole: evidence bundles then carry only their id, date,
// category, precisions and zone.
func (s *Source) Restricted() bool {
	f, _ := lookupFormat(s.Format)
	return f.restricted
}

// Pushed reports whether the source's format is fed over HTTP rather than
// fetched on a schedule.
func (s *Source) Pushed() bool {
	f, ok := lookupFormat(s.Format)
	return ok && f.pushed
}

// validateFormat checks that the format at p is known and returns it.
func validateFormat(ps *problems, p keyPath, name string) (format, bool) {
	if name == "" {
		ps.addf(p, "required")
		return format{}, false
	}
	f, ok := lookupFormat(name)
	if !ok {
		names := strings.Join(formatNames(), ", ")
		ps.addf(p, "unknown format %q (want one of %s)", name, names)
	}
	return f, ok
}

// validateBlocks records every format block set on s that its format does
// not read, naming the formats that do.
func validateBlocks(ps *problems, p keyPath, s *Source, f format) {
	v := reflect.ValueOf(s.FormatBlocks)
	for i := range v.NumField() {
		key, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if v.Field(i).IsNil() || slices.Contains(f.blocks, key) {
			continue
		}
		var users []string
		for _, g := range formats() {
			if slices.Contains(g.blocks, key) {
				users = append(users, g.name)
			}
		}
		ps.addf(p.key(key), "only used by format %s", strings.Join(users, ", "))
	}
}

// kindOf returns a format's kind function that always gives k.
func kindOf(k judge.Kind) func(*Source) judge.Kind {
	return func(*Source) judge.Kind { return k }
}

// noDefaults is the defaults of a format whose keys all default to zero.
func noDefaults(*Source, keyPath, *yaml.Node) {}

// errNoBlock is returned when a validated source lacks the block its format
// requires, which only happens to a Source not made by Load.
func errNoBlock(key string) error {
	return fmt.Errorf("the %s block is missing", key)
}
