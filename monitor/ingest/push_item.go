package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ceasefired/ceasefired/monitor"
)

// item validates one member of the body, raw, and files the outcome under
// index p.out.Items.
func (p *pushState) item(raw json.RawMessage, feature bool) {
	inc, reason, err := p.decode(raw, feature)
	if reason == "" && p.o.Admit != nil {
		reason, err = p.o.Admit(&inc)
	}
	if reason == "" {
		if prev, ok := p.seen[inc.ID]; ok {
			// Last wins, as when the later item came in a later request.
			p.out.Incidents[prev] = inc
			p.out.Duplicate++
			return
		}
	}
	if reason != "" {
		p.out.Rejected[reason]++
		p.out.Errors = append(p.out.Errors, ItemError{Index: p.out.Items, Reason: string(reason), Error: err.Error()})
		return
	}
	p.seen[inc.ID] = len(p.out.Incidents)
	p.out.Incidents = append(p.out.Incidents, inc)
}

// decode turns one member of the body into an incident, as DecodeItem does,
// a feature first into an item.
func (p *pushState) decode(raw json.RawMessage, feature bool) (monitor.Incident, monitor.RejectReason, error) {
	if len(raw) > MaxPushItem {
		return monitor.Incident{}, monitor.ReasonMalformed, fmt.Errorf("item of %d bytes, at most %d", len(raw), MaxPushItem)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return monitor.Incident{}, monitor.ReasonMalformed, errors.New("item is not a JSON object")
	}
	if feature {
		var err error
		if m, err = featureItem(m); err != nil {
			return monitor.Incident{}, monitor.ReasonMalformed, err
		}
	}
	inc, reason, err := DecodeItem(m, p.o.Points)
	if reason == "" && mayBeMerged(inc.ID) && !validRawID(raw, feature) {
		return monitor.Incident{}, monitor.ReasonInvalidID, errInvalidID
	}
	return inc, reason, err
}

// featureItem turns a Point feature into an item: its properties plus lat
// and lon from the geometry, and the feature's id when the properties have
// none.
func featureItem(f map[string]any) (map[string]any, error) {
	g, _ := f["geometry"].(map[string]any)
	coords, _ := g["coordinates"].([]any)
	if g["type"] != "Point" || len(coords) < 2 {
		return nil, fmt.Errorf("feature geometry is not a Point: %q", fmt.Sprint(g["type"]))
	}
	item, _ := f["properties"].(map[string]any)
	if item == nil {
		item = map[string]any{}
	}
	if id, ok := f["id"]; ok {
		if _, has := item["id"]; !has {
			item["id"] = id
		}
	}
	item["lon"], item["lat"] = coords[0], coords[1]
	return item, nil
}
