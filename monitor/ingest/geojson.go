package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ceasefired/ceasefired/monitor"
)

type geojsonDecoder struct {
	o PointOptions
}

// NewGeoJSONPoints returns a decoder for a GeoJSON FeatureCollection of
// Point features in WGS84 [lon, lat] order. Each feature's properties are
// read like a JSON line (see DecodeItem: id, time, category, confidence,
// uncertainty_m), with the location taken from the geometry and the
// feature's own id used when the properties have none. Features that are
// not Points are rejected as monitor.ReasonNotPoint, features without geometry as
// monitor.ReasonNotSpatial, and anything that is not a Feature as
// monitor.ReasonMalformed; the line given to Reject is where the feature
// starts. Raw is the whole feature as compact JSON, every property kept.
// The document is read into memory.
func NewGeoJSONPoints(o PointOptions) monitor.Decoder {
	return &geojsonDecoder{o: o}
}

// featureSpan is one member of the features array and the byte offset of
// its first character in the document.
type featureSpan struct {
	offset int64
	raw    json.RawMessage
}

// Decode implements monitor.Decoder. A document that is not valid JSON, or
// not an object of type FeatureCollection with a features array, is an
// error naming the document.
func (d *geojsonDecoder) Decode(r io.Reader, name string, sink monitor.Sink) error {
	doc, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: read: %w", name, err)
	}
	doc = bytes.TrimPrefix(doc, utf8BOM)
	feats, err := featureSpans(doc)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	seen := make(map[string]struct{})
	lines := lineIndex{doc: doc, line: 1}
	for _, f := range feats {
		line := lines.lineAt(f.offset)
		inc, reason, err := d.feature(f.raw)
		if reason == "" {
			if _, dup := seen[inc.ID]; dup {
				reason, err = monitor.ReasonDuplicateInFile, fmt.Errorf("id %q seen before in %s", inc.ID, name)
			}
		}
		if reason != "" {
			sink.Reject(line, reason, err)
			continue
		}
		seen[inc.ID] = struct{}{}
		if err := sink.Incident(&inc); err != nil {
			return fmt.Errorf("%s line %d: %w", name, line, err)
		}
	}
	return nil
}

// feature turns one member of the features array into an incident.
func (d *geojsonDecoder) feature(raw json.RawMessage) (monitor.Incident, monitor.RejectReason, error) {
	var f struct {
		Type     string `json:"type"`
		ID       any    `json:"id"`
		Geometry *struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&f); err != nil || f.Type != "Feature" {
		return monitor.Incident{}, monitor.ReasonMalformed, fmt.Errorf("not a GeoJSON Feature object (type %q, %v)", f.Type, err)
	}
	switch {
	case f.Geometry == nil:
		return monitor.Incident{}, monitor.ReasonNotSpatial, errors.New("feature without geometry")
	case f.Geometry.Type != "Point":
		return monitor.Incident{}, monitor.ReasonNotPoint, fmt.Errorf("geometry type %q, want Point", f.Geometry.Type)
	}
	var pos []json.Number
	if err := json.Unmarshal(f.Geometry.Coordinates, &pos); err != nil || len(pos) < 2 {
		return monitor.Incident{}, monitor.ReasonBadCoordinate, fmt.Errorf("coordinates %s: want [lon, lat]", f.Geometry.Coordinates)
	}
	lat, lon, reason, err := parseLatLon(pos[1].String(), pos[0].String())
	if reason != "" {
		return monitor.Incident{}, reason, err
	}
	inc, reason, err := decodePoint(f.Properties, f.ID, lat, lon, d.o)
	if reason != "" {
		return monitor.Incident{}, reason, err
	}
	if mayBeMerged(inc.ID) && !validRawID(raw, true) {
		return monitor.Incident{}, monitor.ReasonInvalidID, errInvalidID
	}
	inc.Raw = compactRaw(raw)
	return inc, "", nil
}

// featureSpans reads the top level of a FeatureCollection and returns the
// members of its features array, checking that the whole document is valid
// JSON before any feature is used.
func featureSpans(doc []byte) ([]featureSpan, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object (%v)", err)
	}
	var typ string
	var feats []featureSpan
	hasFeatures := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("JSON: %w", err)
		}
		switch key {
		case "type":
			if err := dec.Decode(&typ); err != nil {
				return nil, fmt.Errorf("member type: %w", err)
			}
		case "features": // a repeated member replaces the earlier one, as in encoding/json
			hasFeatures = true
			if feats, err = arrayMembers(dec, doc); err != nil {
				return nil, fmt.Errorf("member features: %w", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("member %v: %w", key, err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the top-level object")
	}
	if typ != "FeatureCollection" || !hasFeatures {
		return nil, fmt.Errorf("type %q with features %v, want a FeatureCollection with a features array", typ, hasFeatures)
	}
	return feats, nil
}

// arrayMembers reads a JSON array from dec and returns each member with its
// offset in doc.
func arrayMembers(dec *json.Decoder, doc []byte) ([]featureSpan, error) {
	var feats []featureSpan
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("not an array (%v)", err)
	}
	for dec.More() {
		off := dec.InputOffset()
		for off < int64(len(doc)) && bytes.IndexByte([]byte(" \t\r\n,"), doc[off]) >= 0 {
			off++
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		feats = append(feats, featureSpan{offset: off, raw: raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return feats, nil
}
