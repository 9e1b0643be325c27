package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/ceasefired/ceasefired/monitor/report"
)

// trialReport builds the report of the trial named in the request, or
// answers the error and returns nil.
func (d *Daemon) trialReport(w http.ResponseWriter, r *http.Request) *report.Report {
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	st := d.current.Load()
	rep, err := TrialReport(ctx, st.cfg, st.evaluator, d.store, r.PathValue("name"))
	switch {
	case errors.Is(err, ErrUnknownTrial):
		http.Error(w, err.Error(), http.StatusNotFound)
		return nil
	case errors.Is(err, ErrEmptyStore):
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return nil
	case err != nil:
		d.log.Error("build trial report", "trial", r.PathValue("name"), "err", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return nil
	}
	return rep
}

// serveReport answers GET /trials/{name} (HTML) and
// /api/v1/trials/{name}/report (JSON: the bytes of `ceasefired report
// --format=json` on the same store).
func (d *Daemon) serveReport(format, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rep := d.trialReport(w, r)
		if rep == nil {
			return
		}
		var buf bytes.Buffer
		if err := rep.Write(&buf, format, ""); err != nil {
			d.log.Error("render trial report", "format", format, "err", err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", contentType)
		reply(w, buf.String())
	}
}

// rawRecord is one stored incident as GET /api/v1/incidents/{source}/{id}
// answers it.
type rawRecord struct {
	Source       string    `json:"source"`
	ID           string    `json:"id"`
	OccurredAt   time.Time `json:"occurred_at"`
	Lon          float64   `json:"lon"`
	Lat          float64   `json:"lat"`
	UncertaintyM float64   `json:"uncertainty_m"`
	Category     string    `json:"category"`
	Confidence   float64   `json:"confidence"` // 0..100, -1 when the source gives none
	Deleted      bool      `json:"deleted"`    // the source has withdrawn it
	Raw          string    `json:"raw"`        // the record as received
}

// incident answers GET /api/v1/incidents/{source}/{id...}: the stored
// incident with its raw record, the evidence behind a violation.
func (d *Daemon) incident(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	inc, ok, err := d.store.Incident(ctx, r.PathValue("source"), r.PathValue("id"))
	if err != nil {
		d.log.Error("read incident", "err", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if !ok {
		http.Error(w, "no stored incident "+r.PathValue("id")+" of source "+r.PathValue("source"), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// An error here is a client that has gone.
	_ = enc.Encode(rawRecord{Source: inc.Source, ID: inc.ID, OccurredAt: inc.OccurredAt, Lon: inc.Lon, Lat: inc.Lat,
		UncertaintyM: inc.UncertaintyM, Category: string(inc.Category), Confidence: inc.Confidence,
		Deleted: inc.Deleted, Raw: inc.Raw})
}
