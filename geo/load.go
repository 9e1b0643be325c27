package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/paulmach/orb"
)

// LoadOptions says how to read the zones of one GeoJSON file.
type LoadOptions struct {
	// IDProperty is the feature property holding the zone id (required).
	// String and number values are accepted; numbers are formatted without
	// exponent or trailing zeros.
	IDProperty string
	// NameProperty is the feature property holding the zone name; optional.
	NameProperty string
	// SkipNonPolygon skips features whose geometry is not a Polygon or
	// MultiPolygon with a warning when true; when false they are errors.
	SkipNonPolygon bool
}

// LoadFile reads the GeoJSON FeatureCollection at path and returns its
// zones in feature order. See Load for the rules; errors and warnings name
// path.
func LoadFile(path string, opts LoadOptions) (zones []Zone, warnings []string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read zones: %w", err)
	}
	return Load(data, path, opts)
}

// Load parses a GeoJSON FeatureCollection named name (used in messages and
// as Zone.File). Polygon and MultiPolygon features become zones with
// Geometry normalised to an orb.MultiPolygon; the first ring of each
// polygon is its exterior and the others are holes, and either winding is
// accepted. A third coordinate (height) is ignored and consecutive repeated
// positions are dropped. Properties are kept unchanged.
//
// A file that is not JSON, or that has a value of the wrong type outside
// the coordinates, is reported as name:line:column, both from 1, where
// the decoder stopped. Every other problem is reported, each naming the
// file, the 0-based feature index, the zone id when known and the
// polygon, ring and vertex where relevant; the errors are joined with
// errors.Join. Rings crossing the
// antimeridian are rejected, not split: such zones must be given as a
// MultiPolygon split at ±180°. When err is not nil, zones is nil.
func Load(data []byte, name string, opts LoadOptions) ([]Zone, []string, error) {
	if opts.IDProperty == "" {
		return nil, nil, fmt.Errorf("%s: no id property configured", name)
	}
	var fc struct {
		Type     string        `json:"type"`
		Features []featureJSON `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, nil, fmt.Errorf("%s: parse GeoJSON: %w", jsonWhere(name, data, err), err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, nil, fmt.Errorf("%s: GeoJSON type %q, want FeatureCollection", name, fc.Type)
	}
	l := loader{name: name, opts: opts, ids: map[string]int{}}
	for i := range fc.Features {
		l.feature(i, &fc.Features[i])
	}
	l.finish()
	if len(l.errs) > 0 {
		return nil, l.warnings, errors.Join(l.errs...)
	}
	if len(l.zones) == 0 {
		return nil, l.warnings, fmt.Errorf("%s: no Polygon or MultiPolygon features", name)
	}
	return l.zones, l.warnings, nil
}

type featureJSON struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// loader accumulates the zones, warnings and errors of one file.
type loader struct {
	name     string
	opts     LoadOptions
	ids      map[string]int // zone id → feature index
	zones    []Zone
	warnings []string
	errs     []error
	swapped  swapCheck
}

func (l *loader) feature(i int, f *featureJSON) {
	where := fmt.Sprintf("%s: feature %d", l.name, i)
	id, idOK := propertyString(f.Properties, l.opts.IDProperty)
	if idOK {
		where += fmt.Sprintf(" (id %q)", id)
	}
	g := f.Geometry
	if g == nil {
		l.errs = append(l.errs, fmt.Errorf("%s: geometry is null", where))
		return
	}
	var mp orb.MultiPolygon
	var err error
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err = json.Unmarshal(g.Coordinates, &p); err == nil {
			var coords [][][][]float64
			if len(p) > 0 {
				coords = [][][][]float64{p}
			}
			mp, err = l.multiPolygon(where, coords, false)
		}
	case "MultiPolygon":
		var p [][][][]float64
		if err = json.Unmarshal(g.Coordinates, &p); err == nil {
			mp, err = l.multiPolygon(where, p, true)
		}
	default:
		msg := fmt.Sprintf("%s: geometry type %s is not Polygon or MultiPolygon", where, g.Type)
		if l.opts.SkipNonPolygon {
			l.warnings = append(l.warnings, "skipped "+msg)
			return
		}
		l.errs = append(l.errs, errors.New(msg))
		return
	}
	if err == errSilent {
		return
	}
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("%s: %w", where, err))
		return
	}
	if !idOK {
		l.errs = append(l.errs, fmt.Errorf("%s: missing id property %q", where, l.opts.IDProperty))
		return
	}
	if first, dup := l.ids[id]; dup {
		l.errs = append(l.errs, fmt.Errorf("%s: duplicate id, also used by feature %d", where, first))
		return
	}
	l.ids[id] = i
	zoneName, _ := propertyString(f.Properties, l.opts.NameProperty)
	l.zones = append(l.zones, Zone{
		ID: id, Name: zoneName, File: l.name, Feature: i,
		Geometry: mp, Properties: f.Properties,
	})
}

// propertyString returns property key as a string; strings are used as they
// are and numbers are formatted. Missing, empty and other values give false.
func propertyString(props map[string]any, key string) (string, bool) {
	if key == "" {
		return "", false
	}
	switch v := props[key].(type) {
	case string:
		return v, v != ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}
