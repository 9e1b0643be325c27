package configs

import (
	"errors"
	"io/fs"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// geojsonFormat is a GeoJSON FeatureCollection of Point features.
func geojsonFormat() format {
	return format{
		name:     "geojson",
		kind:     kindOf(judge.Field),
		blocks:   []string{"points"},
		validate: validatePoints,
		defaults: pointDefaults,
		decoder: func(s *Source) (monitor.Decoder, error) {
			o, err := s.PointOptions()
			if err != nil {
				return nil, err
			}
			return ingest.NewGeoJSONPoints(o), nil
		},
	}
}

// jsonlFormat is JSON lines: one point item per line.
func jsonlFormat() format {
	return format{
		name:     "jsonl",
		kind:     kindOf(judge.Field),
		blocks:   []string{"points"},
		validate: validatePoints,
		defaults: pointDefaults,
		decoder:  jsonLines,
	}
}

// pushFormat is field reports POSTed to /api/v1/incidents with the
// source's bearer token, each item validated like a JSON line. Its decoder
// reads JSON lines under the same rules, for replaying saved reports.
func pushFormat() format {
	return format{
		name:   "push",
		kind:   kindOf(judge.Field),
		pushed: true,
		blocks: []string{"points", "push"},
		validate: func(ps *problems, p keyPath, s *Source, absDir string) {
			validatePush(ps, p, s, absDir)
			validatePoints(ps, p, s, absDir)
		},
		defaults: func(s *Source, p keyPath, root *yaml.Node) {
			pointDefaults(s, p, root)
			if s.Push == nil {
				return
			}
			pp := p.key("push")
			if !pp.key("max_body_bytes").present(root) {
				s.Push.MaxBodyBytes = DefaultPushMaxBodyBytes
			}
			if !pp.key("max_items").present(root) {
				s.Push.MaxItems = DefaultPushMaxItems
			}
			if !pp.key("rate_limit").present(root) {
				s.Push.RateLimit = DefaultPushRateLimit
			}
			if !pp.key("burst").present(root) {
				s.Push.Burst = DefaultPushBurst
			}
		},
		decoder: jsonLines,
	}
}

// pointDefaults caps the uncertainty of a point source's items unless
// points.max_uncertainty_meters is given (0 there means no cap).
func pointDefaults(s *Source, p keyPath, root *yaml.Node) {
	if s.Points == nil {
		s.Points = &PointOptions{}
	}
	if !p.key("points").key("max_uncertainty_meters").present(root) {
		s.Points.MaxUncertaintyMeters = DefaultMaxUncertaintyMeters
	}
}

// jsonLines builds the JSON lines decoder of a point source.
func jsonLines(s *Source) (monitor.Decoder, error) {
	o, err := s.PointOptions()
	if err != nil {
		return nil, err
	}
	return ingest.NewJSONLines(o), nil
}

// validatePoints checks the points block, the quality filters of point
// items.
func validatePoints(ps *problems, p keyPath, s *Source, _ string) {
	if s.Points == nil {
		return
	}
	checkConfidence(ps, p.key("points").key("min_confidence"), s.Points.MinConfidence)
	checkRange(ps, p.key("points").key("max_uncertainty_meters"), s.Points.MaxUncertaintyMeters, maxMeters)
}

// PointOptions returns the quality filters of a point source (its points
// block and category): what its decoder applies to every item, and what
// the daemon applies to each item pushed to a push source.
func (s *Source) PointOptions() (ingest.PointOptions, error) {
	o := ingest.PointOptions{DefaultCategory: monitor.Category(s.Category)}
	if p := s.Points; p != nil {
		o.MaxUncertaintyM = p.MaxUncertaintyMeters
		var err error
		if o.MinConfidence, err = minConfidence(p.MinConfidence); err != nil {
			return o, err
		}
	}
	return o, nil
}

// validatePush checks a push source: it has no url, path or schedule, and
// its token file must be readable and not empty. The token itself is read
// by the daemon, never kept in Config.
func validatePush(ps *problems, p keyPath, s *Source, absDir string) {
	if s.URL != "" || s.Path != "" {
		ps.addf(p, "a push source has no url or path: reports are POSTed to /api/v1/incidents")
	}
	if s.Schedule != "" {
		ps.addf(p.key("schedule"), "a push source has no schedule")
	}
	pp := p.key("push")
	if s.Push == nil || s.Push.TokenFile == "" {
		ps.addf(pp.key("token_file"), "required for format push")
		return
	}
	written := s.Push.TokenFile
	if !filepath.IsAbs(s.Push.TokenFile) {
		s.Push.TokenFile = filepath.Join(absDir, s.Push.TokenFile)
	}
	var pe *fs.PathError
	if token, err := ReadToken(s.Push.TokenFile); errors.As(err, &pe) {
		ps.addf(pp.key("token_file"), "%s %s: %v", pe.Op, written, pe.Err)
	} else if err != nil {
		ps.addErr(pp.key("token_file"), err)
	} else if len(token) < 16 {
		ps.addf(pp.key("token_file"), "the token is shorter than 16 characters")
	}
	if s.Push.MaxBodyBytes <= 0 {
		ps.addf(pp.key("max_body_bytes"), "must be greater than 0")
	}
	if s.Push.MaxItems <= 0 {
		ps.addf(pp.key("max_items"), "must be greater than 0")
	}
	if s.Push.RateLimit <= 0 || s.Push.Burst <= 0 {
		ps.addf(pp.key("rate_limit"), "rate_limit and burst must be greater than 0")
	}
}
