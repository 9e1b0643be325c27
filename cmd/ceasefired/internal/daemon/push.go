package daemon

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
)

// pushSource is a source fed by POST /api/v1/incidents.
type pushSource struct {
	name     string
	token    [sha256.Size]byte // hash of the bearer token
	opts     ingest.PointOptions
	maxBody  int64
	maxItems int
	limiter  *rate.Limiter
}

func buildPush(c *configs.Source) (*pushSource, error) {
	token, err := configs.ReadToken(c.Push.TokenFile)
	if err != nil {
		return nil, fmt.Errorf("read push.token_file: %w", err)
	}
	opts, err := pointOptions(c)
	if err != nil {
		return nil, err
	}
	return &pushSource{
		name: c.Name, token: sha256.Sum256([]byte(token)), opts: opts,
		maxBody: c.Push.MaxBodyBytes, maxItems: c.Push.MaxItems,
		limiter: rate.NewLimiter(rate.Limit(c.Push.RateLimit), c.Push.Burst),
	}, nil
}

// pushResponse is the body of a 202 answer.
type pushResponse struct {
	Source    string      `json:"source"`
	Accepted  int         `json:"accepted"`
	Duplicate int         `json:"duplicate"`
	Rejected  int         `json:"rejected"`
	Errors    []itemError `json:"errors"`
}

// itemError names one rejected item by its index in the request.
type itemError struct {
	Index  int    `json:"index"`
	Reason string `json:"reason"`
	Error  string `json:"error"`
}

// handlePush authenticates the request by its bearer token (compared in
// constant time against every push source), applies the source's rate
// limit and body limit, validates every item, and stores the valid ones in
// one transaction. Items are idempotent by (source, id).
func (d *Daemon) handlePush(w http.ResponseWriter, r *http.Request) {
	src := d.pushSourceFor(r)
	if src == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ceasefired"`)
		http.Error(w, "missing or unknown bearer token", http.StatusUnauthorized)
		return
	}
	if !src.limiter.Allow() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "rate limit exceeded for this token", http.StatusTooManyRequests)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, src.maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		http.Error(w, fmt.Sprintf("body larger than %d bytes", src.maxBody), http.StatusRequestEntityTooLarge)
		return
	} else if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	items, err := pushItems(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(items) > src.maxItems {
		http.Error(w, fmt.Sprintf("%d items, at most %d per request", len(items), src.maxItems), http.StatusRequestEntityTooLarge)
		return
	}
	resp := pushResponse{Source: src.name, Errors: []itemError{}}
	incs, rejected := validateItems(items, src.opts, &resp)
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	st, err := d.runner.Submit(ctx, src.name, incs, rejected)
	if err != nil {
		d.log.Error("store pushed incidents", "feed", src.name, "err", err)
		http.Error(w, "store: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	resp.Accepted, resp.Duplicate = st.New, st.Duplicate+resp.Duplicate
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(resp)
}

// pushSourceFor returns the push source whose token the request bears.
func (d *Daemon) pushSourceFor(r *http.Request) *pushSource {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || token == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(token))
	var found *pushSource
	for _, p := range d.current.Load().push {
		if subtle.ConstantTimeCompare(sum[:], p.token[:]) == 1 {
			found = p
		}
	}
	return found
}

// pushItems reads a JSON array of items or a GeoJSON FeatureCollection of
// Point features; each feature becomes an item of its properties plus lat
// and lon.
func pushItems(body []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("body is not JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("body has more than one JSON value")
	}
	switch v := doc.(type) {
	case []any:
		return v, nil
	case map[string]any:
		if v["type"] != "FeatureCollection" {
			return nil, errors.New(`body must be a JSON array of items or a GeoJSON FeatureCollection`)
		}
		features, ok := v["features"].([]any)
		if !ok {
			return nil, errors.New("FeatureCollection without a features array")
		}
		items := make([]any, len(features))
		for i, f := range features {
			items[i] = featureItem(f)
		}
		return items, nil
	}
	return nil, errors.New(`body must be a JSON array of items or a GeoJSON FeatureCollection`)
}

// featureItem turns a Point feature into an item; anything else is kept
// as is and fails validation with a reason.
func featureItem(f any) any {
	fm, ok := f.(map[string]any)
	if !ok {
		return f
	}
	g, _ := fm["geometry"].(map[string]any)
	coords, _ := g["coordinates"].([]any)
	if g["type"] != "Point" || len(coords) < 2 {
		return map[string]any{"geometry_type": fmt.Sprint(g["type"])}
	}
	item := map[string]any{}
	if props, ok := fm["properties"].(map[string]any); ok {
		for k, v := range props {
			item[k] = v
		}
	}
	if id, ok := fm["id"]; ok {
		if _, has := item["id"]; !has {
			item["id"] = id
		}
	}
	item["lon"], item["lat"] = coords[0], coords[1]
	return item
}

// validateItems decodes every item, lists the bad ones in resp by index,
// and drops repeats of an id within the request (counted as duplicates).
func validateItems(items []any, o ingest.PointOptions, resp *pushResponse) ([]monitor.Incident, map[monitor.RejectReason]int) {
	rejected := map[monitor.RejectReason]int{}
	seen := map[string]bool{}
	incs := make([]monitor.Incident, 0, len(items))
	for i, it := range items {
		m, ok := it.(map[string]any)
		var inc monitor.Incident
		var reason monitor.RejectReason
		var err error
		if !ok {
			reason, err = monitor.ReasonMalformed, errors.New("item is not a JSON object")
		} else if _, isFeature := m["geometry_type"]; isFeature && len(m) == 1 {
			reason, err = monitor.ReasonMalformed, errors.New("feature geometry is not a Point: "+strconv.Quote(m["geometry_type"].(string)))
		} else {
			inc, reason, err = ingest.DecodeItem(m, o)
		}
		if reason != "" {
			rejected[reason]++
			resp.Rejected++
			resp.Errors = append(resp.Errors, itemError{Index: i, Reason: string(reason), Error: err.Error()})
			continue
		}
		if seen[inc.ID] {
			resp.Duplicate++
			continue
		}
		seen[inc.ID] = true
		incs = append(incs, inc)
	}
	return incs, rejected
}
