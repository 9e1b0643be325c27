package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ceasefired/ceasefired/monitor"
)

// PushOptions tune DecodePush.
type PushOptions struct {
	// Points validate each item, as for DecodeItem.
	Points PointOptions
	// MaxItems, when > 0, is the most items a body may hold; reading stops
	// at the next one with a *TooManyItemsError.
	MaxItems int
	// Admit, when set, is asked about every item that passed validation
	// (a runner's admission check: event times in the future); a non-empty
	// reason rejects the item.
	Admit func(*monitor.Incident) (monitor.RejectReason, error)
}

// ItemError names one rejected item by its 0-based index in the body.
type ItemError struct {
	Index  int    `json:"index"`
	Reason string `json:"reason"`
	Error  string `json:"error"`
}

// PushItems is what DecodePush read from a body.
type PushItems struct {
	// Items is the number of items read.
	Items int
	// Incidents are the valid items, each id once, in body order.
	Incidents []monitor.Incident
	// Duplicate counts items whose id an earlier item of the body had. The
	// last one wins, as it would in a later request: with other content it
	// replaces the earlier one in Incidents, which keeps its place.
	Duplicate int
	// Rejected counts the rejected items by reason; Errors lists them.
	Rejected map[monitor.RejectReason]int
	Errors   []ItemError
}

// TooManyItemsError is returned by DecodePush when a body holds more than
// PushOptions.MaxItems items.
type TooManyItemsError struct {
	Max int
}

// Error implements error.
func (e *TooManyItemsError) Error() string {
	return fmt.Sprintf("more than %d items, at most %d per request", e.Max, e.Max)
}

// MaxPushItem is the longest item, in bytes as sent, that DecodePush
// decodes: a longer one would cost many times its size as decoded
// values, so it is rejected unread.
const MaxPushItem = 64 << 10

var errNotItems = errors.New("body must be a JSON array of items or a GeoJSON FeatureCollection")

// DecodePush reads the body of a push request: a JSON array of items (see
// DecodeItem) or a GeoJSON FeatureCollection of Point features, each of
// which becomes an item of its properties plus lat and lon (the feature's
// own id when the properties have none). It reads one item at a time and
// keeps only the incidents, so memory is bounded by MaxItems whatever the
// body's size. Invalid items are listed by index with a reason; an id that
// is not valid UTF-8 is monitor.ReasonInvalidID, and an item longer than
// MaxPushItem bytes monitor.ReasonMalformed; an item that repeats an
// earlier item's id replaces it and is counted in Duplicate (last wins).
// The error, if any, says why the body as a whole is refused: it wraps r's
// read error (such as *http.MaxBytesError), is a *TooManyItemsError, or
// says the body is not one of the two shapes.
func DecodePush(r io.Reader, o PushOptions) (*PushItems, error) {
	dec := json.NewDecoder(r)
	p := &pushState{o: o, out: &PushItems{Rejected: map[monitor.RejectReason]int{}, Errors: []ItemError{}}, seen: map[string]int{}}
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("body is not JSON: %w", err)
	}
	switch tok {
	case json.Delim('['):
		err = p.array(dec, false)
	case json.Delim('{'):
		err = p.collection(dec)
	default:
		err = errNotItems
	}
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("body has more than one JSON value")
	} else if !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("after the body's JSON value: %w", err)
	}
	return p.out, nil
}

// pushState is what DecodePush carries from one item to the next.
type pushState struct {
	o    PushOptions
	out  *PushItems
	seen map[string]int // id to index in out.Incidents
}

// collection reads the members of a FeatureCollection object after its
// opening brace, streaming the features array.
func (p *pushState) collection(dec *json.Decoder) error {
	var typ string
	hasFeatures := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return fmt.Errorf("body is not JSON: %w", err)
		}
		switch key {
		case "type":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fmt.Errorf("body is not JSON: %w", err)
			}
			if json.Unmarshal(raw, &typ) != nil {
				return errNotItems
			}
		case "features":
			if hasFeatures {
				return errors.New("FeatureCollection with two features members")
			}
			hasFeatures = true
			if tok, err := dec.Token(); err != nil {
				return fmt.Errorf("body is not JSON: %w", err)
			} else if tok != json.Delim('[') {
				return errors.New("FeatureCollection without a features array")
			}
			if err := p.array(dec, true); err != nil {
				return err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fmt.Errorf("body is not JSON: %w", err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	if typ != "FeatureCollection" {
		return errNotItems
	}
	if !hasFeatures {
		return errors.New("FeatureCollection without a features array")
	}
	return nil
}

// array reads the members of an array after its opening bracket, one item
// at a time, and its closing bracket.
func (p *pushState) array(dec *json.Decoder, features bool) error {
	for dec.More() {
		if p.o.MaxItems > 0 && p.out.Items >= p.o.MaxItems {
			return &TooManyItemsError{Max: p.o.MaxItems}
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("body is not JSON: item %d: %w", p.out.Items, err)
		}
		p.item(raw, features)
		p.out.Items++
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	return nil
}
