package configs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
)

// validateFeedOptions checks the format-specific blocks of the event and
// point feeds: each is only allowed with its own formats, and every
// category it names must exist.
func validateFeedOptions(ps *problems, p keyPath, s *Source) {
	only := func(key string, set bool, formats ...string) bool {
		for _, f := range formats {
			if s.Format == f {
				return set
			}
		}
		if set {
			ps.addf(p.key(key), "only used by format %s", strings.Join(formats, ", "))
		}
		return false
	}
	if only("ucdp", s.UCDP != nil, "ucdp") {
		for code, c := range s.UCDP.Categories {
			if code < 1 || code > 3 {
				ps.addf(p.key("ucdp").key("categories"), "type_of_violence %d is not 1, 2 or 3", code)
			}
			checkCategory(ps, p.key("ucdp").key("categories"), c)
		}
	}
	if only("acled", s.ACLED != nil, "acled") {
		for _, c := range s.ACLED.Categories {
			checkCategory(ps, p.key("acled").key("categories"), c)
		}
	}
	if only("points", s.Points != nil, "geojson", "jsonl", "push") {
		checkConfidence(ps, p.key("points").key("min_confidence"), s.Points.MinConfidence)
		checkRange(ps, p.key("points").key("max_uncertainty_meters"), s.Points.MaxUncertaintyMeters, maxMeters)
	}
	only("push", s.Push != nil, "push")
}

func checkCategory(ps *problems, p keyPath, c string) {
	if _, err := monitor.ParseCategory(c); err != nil {
		ps.addErr(p, err)
	}
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

// ReadToken reads a secret from a file, without surrounding white space.
func ReadToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
