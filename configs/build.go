package configs

import (
	"fmt"
	"net/url"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
)

// BuildOptions are what Source.Build needs beyond the config.
type BuildOptions struct {
	UserAgent string // of HTTP requests
}

// Built is a source made runnable by its format's registry entry.
type Built struct {
	// Decoder reads the source's documents. A pushed format's decoder
	// reads JSON lines validated like pushed items (for replays).
	Decoder monitor.Decoder
	// Fetcher finds new documents; nil for a pushed format.
	Fetcher monitor.Fetcher
}

// Build returns the decoder and fetcher of s, a source of a config returned
// by Load, as its format's registry entry makes them. Secrets are read now:
// from the environment (${NAME}) and from files.
func (s *Source) Build(o BuildOptions) (Built, error) {
	f, ok := lookupFormat(s.Format)
	if !ok {
		return Built{}, fmt.Errorf("unknown format %q", s.Format)
	}
	dec, err := f.decoder(s)
	if err != nil {
		return Built{}, err
	}
	b := Built{Decoder: dec}
	if f.pushed {
		return b, nil
	}
	if _, err := monitor.ParseSchedule(s.Schedule); err != nil {
		return Built{}, fmt.Errorf("schedule %q: %w", s.Schedule, err)
	}
	t := ingest.Transport{Timeout: time.Duration(s.Timeout), MaxBytes: s.MaxBytes, UserAgent: o.UserAgent}
	fetch := locationFetcher
	if f.fetcher != nil {
		fetch = f.fetcher
	}
	if b.Fetcher, err = fetch(s, t); err != nil {
		return Built{}, err
	}
	return b, nil
}

// locationFetcher returns the fetcher of the source's path (a file glob) or
// url (HTTP, with ${NAME} expanded now; the key keeps it unexpanded).
func locationFetcher(s *Source, t ingest.Transport) (monitor.Fetcher, error) {
	switch {
	case s.Path != "":
		return ingest.NewFiles(s.Path), nil
	case s.URL != "":
		u, err := ExpandEnv(s.URL)
		if err != nil {
			return nil, err
		}
		return ingest.NewHTTP(ingest.HTTPOptions{Key: s.URL, URL: u, Transport: t}), nil
	}
	return nil, fmt.Errorf("neither path nor url")
}

// minConfidence reads a min_confidence value; "" keeps all.
func minConfidence(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	mc, err := ingest.ParseConfidence(s)
	if err != nil {
		return 0, fmt.Errorf("min_confidence: %w", err)
	}
	return mc, nil
}

// categories maps a config's category overrides (validated by the loader)
// onto the domain type.
func categories[K comparable](m map[K]string) map[K]monitor.Category {
	out := make(map[K]monitor.Category, len(m))
	for k, c := range m {
		out[k] = monitor.Category(c)
	}
	return out
}

// secret reads a credential from ${NAME} in the environment or from a file.
func secret(fromEnv, file string) (string, error) {
	if file != "" {
		return ReadToken(file)
	}
	return ExpandEnv(fromEnv)
}

// query turns the filters of an api block into URL values.
func query(m map[string]string) url.Values {
	q := url.Values{}
	for k, v := range m {
		q.Set(k, v)
	}
	return q
}
