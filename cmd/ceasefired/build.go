package main

import (
	"fmt"
	"net/url"
	"time"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/prometheus/common/version"
)

// setup is everything built from one config file: it is built whole before
// it replaces the running one.
type setup struct {
	cfg       *configs.Config
	evaluator *monitor.Evaluator
	sources   []*monitor.Source // fetched on a schedule
	push      []*pushSource     // fed over HTTP
}

// buildSetup maps a validated config onto the domain: the zone index, the
// trials and one runnable source per configured source.
func buildSetup(cfg *configs.Config) (*setup, error) {
	index, err := geo.NewIndex(cfg.Loaded)
	if err != nil {
		return nil, fmt.Errorf("build zone index: %w", err)
	}
	trials := make([]monitor.Trial, 0, len(cfg.Trials))
	for _, t := range cfg.Trials {
		mt := monitor.Trial{
			Name: t.Name, Zones: cfg.ZoneIDs(t), Start: t.Start.UTC(), Days: t.Days,
			BufferMeters: t.BufferMeters,
		}
		for _, p := range t.Prohibited {
			c, err := monitor.ParseCategory(p)
			if err != nil {
				return nil, fmt.Errorf("trial %q: %w", t.Name, err)
			}
			mt.Prohibited = append(mt.Prohibited, c)
		}
		trials = append(trials, mt)
	}
	ev, err := monitor.NewEvaluator(index, trials)
	if err != nil {
		return nil, err
	}
	ev = ev.WithLimits(monitor.Limits{MaxFutureSkew: time.Duration(cfg.Limits.MaxFutureSkew)})
	s := &setup{cfg: cfg, evaluator: ev}
	for i := range cfg.Sources {
		if cfg.Sources[i].Format == "push" {
			p, err := buildPush(&cfg.Sources[i])
			if err != nil {
				return nil, fmt.Errorf("source %q: %w", cfg.Sources[i].Name, err)
			}
			s.push = append(s.push, p)
			continue
		}
		src, err := buildSource(&cfg.Sources[i])
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", cfg.Sources[i].Name, err)
		}
		s.sources = append(s.sources, src)
	}
	return s, nil
}

func buildSource(c *configs.Source) (*monitor.Source, error) {
	dec, err := buildDecoder(c)
	if err != nil {
		return nil, err
	}
	if _, err := monitor.CronParser.Parse(c.Schedule); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", c.Schedule, err)
	}
	src := &monitor.Source{Name: c.Name, Schedule: c.Schedule, Decoder: dec}
	switch {
	case c.ACLED != nil && c.ACLED.API != nil:
		src.Fetcher, err = acledAPI(c)
	case c.UCDP != nil && c.UCDP.API != nil:
		src.Fetcher, err = ucdpAPI(c)
	case c.Path != "":
		src.Fetcher = ingest.NewFiles(c.Path)
	case c.URL != "":
		u, err := configs.ExpandEnv(c.URL)
		if err != nil {
			return nil, err
		}
		src.Fetcher = ingest.NewHTTP(ingest.HTTPOptions{Key: c.URL, URL: u, Transport: transport(c)})
	default:
		return nil, fmt.Errorf("neither path nor url")
	}
	if err != nil {
		return nil, err
	}
	return src, nil
}

func buildDecoder(c *configs.Source) (monitor.Decoder, error) {
	switch c.Format {
	case "firms":
		o := ingest.FIRMSOptions{DropTypes: []int{2}}
		if f := c.FIRMS; f != nil {
			o.DropTypes, o.Footprint = f.DropTypes, f.Footprint
			var err error
			if o.MinConfidence, err = minConfidence("firms", f.MinConfidence); err != nil {
				return nil, err
			}
		}
		return ingest.NewFIRMS(o), nil
	case "ucdp":
		o := ingest.UCDPOptions{}
		if u := c.UCDP; u != nil {
			o.KeepNotSpatial, o.Categories = u.KeepNotSpatial, categories(u.Categories)
		}
		return ingest.NewUCDP(o), nil
	case "acled":
		o := ingest.ACLEDOptions{}
		if a := c.ACLED; a != nil {
			o.KeepPrecision3, o.Categories = a.KeepPrecision3, categories(a.Categories)
		}
		return ingest.NewACLED(o), nil
	case "geojson", "jsonl":
		o, err := pointOptions(c)
		if err != nil {
			return nil, err
		}
		if c.Format == "geojson" {
			return ingest.NewGeoJSONPoints(o), nil
		}
		return ingest.NewJSONLines(o), nil
	case "csv":
		if c.CSV == nil {
			return nil, fmt.Errorf("format csv needs a csv block")
		}
		cat := monitor.Category("")
		if c.Category != "" {
			var err error
			if cat, err = monitor.ParseCategory(c.Category); err != nil {
				return nil, err
			}
		}
		return ingest.NewCSV(ingest.CSVOptions{
			Lat: c.CSV.Lat, Lon: c.CSV.Lon, Time: c.CSV.Time, TimeFormat: c.CSV.TimeFormat,
			ID: c.CSV.ID, Category: c.CSV.Category, Confidence: c.CSV.Confidence,
			DefaultCategory: cat, UncertaintyM: c.UncertaintyMeters,
		})
	}
	return nil, fmt.Errorf("format %q is not supported", c.Format)
}

// pointOptions maps the quality filters of a point feed.
func pointOptions(c *configs.Source) (ingest.PointOptions, error) {
	o := ingest.PointOptions{DefaultCategory: monitor.Category(c.Category)}
	if p := c.Points; p != nil {
		o.MaxUncertaintyM = p.MaxUncertaintyMeters
		var err error
		if o.MinConfidence, err = minConfidence("points", p.MinConfidence); err != nil {
			return o, err
		}
	}
	return o, nil
}

// minConfidence reads a min_confidence value of block; "" keeps all.
func minConfidence(block, s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	mc, err := ingest.ParseConfidence(s)
	if err != nil {
		return 0, fmt.Errorf("%s.min_confidence: %w", block, err)
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

// acledAPI builds the fetcher of an ACLED API source.
func acledAPI(c *configs.Source) (monitor.Fetcher, error) {
	a := c.ACLED.API
	key, err := secret(a.Key, a.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("acled.api.key: %w", err)
	}
	return ingest.NewACLEDAPI(ingest.ACLEDAPIOptions{
		BaseURL: c.URL, Key: key, Email: a.Email, Query: query(a.Query), PageSize: a.PageSize,
		Transport: transport(c),
	}), nil
}

// ucdpAPI builds the fetcher of a UCDP API source.
func ucdpAPI(c *configs.Source) (monitor.Fetcher, error) {
	a := c.UCDP.API
	token, err := secret(a.Token, a.TokenFile)
	if err != nil {
		return nil, fmt.Errorf("ucdp.api.token: %w", err)
	}
	return ingest.NewUCDPAPI(ingest.UCDPAPIOptions{
		BaseURL: c.URL, Token: token, Query: query(a.Query), PageSize: a.PageSize,
		Transport: transport(c),
	}), nil
}

// transport maps a source's request settings; the client is the default.
func transport(c *configs.Source) ingest.Transport {
	return ingest.Transport{Timeout: time.Duration(c.Timeout), MaxBytes: c.MaxBytes, UserAgent: userAgent()}
}

// secret reads a credential from ${NAME} in the environment or from a file.
func secret(fromEnv, file string) (string, error) {
	if file != "" {
		return configs.ReadToken(file)
	}
	return configs.ExpandEnv(fromEnv)
}

func query(m map[string]string) url.Values {
	q := url.Values{}
	for k, v := range m {
		q.Set(k, v)
	}
	return q
}

func userAgent() string { return "ceasefired/" + version.Version }
