package daemon

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
type itemError = ingest.ItemError

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
	items, err := ingest.DecodePush(http.MaxBytesReader(w, r.Body, src.maxBody),
		ingest.PushOptions{Points: src.opts, MaxItems: src.maxItems, Admit: d.runner.Admit})
	var tooLarge *http.MaxBytesError
	var tooMany *ingest.TooManyItemsError
	if errors.As(err, &tooLarge) {
		http.Error(w, fmt.Sprintf("body larger than %d bytes", src.maxBody), http.StatusRequestEntityTooLarge)
		return
	} else if errors.As(err, &tooMany) {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	} else if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp := pushResponse{Source: src.name, Duplicate: items.Duplicate, Rejected: len(items.Errors), Errors: items.Errors}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	st, err := d.runner.Submit(ctx, src.name, items.Incidents, items.Rejected)
	var cut *monitor.CutShortError
	if errors.As(err, &cut) {
		w.Header().Set("Retry-After", "30")
		http.Error(w, fmt.Sprintf("evaluation cut short at the request's deadline after %d of %d valid items; nothing was stored", cut.Done, cut.Total), http.StatusServiceUnavailable)
		return
	} else if err != nil {
		d.log.Error("store pushed incidents", "feed", src.name, "err", err)
		http.Error(w, "store: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	resp.Accepted, resp.Duplicate = st.New, st.Duplicate+resp.Duplicate
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	if err := json.NewEncoder(w).Encode(resp); err != nil {
		d.log.Debug("write push answer", "feed", src.name, "err", err) // the client has gone
	}
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
