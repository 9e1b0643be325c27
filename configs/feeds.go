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
func validateFeedOptions(ps *problems, p keyPath, s *Source, absDir string) {
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
		validateAPI(ps, p, p.key("ucdp").key("api"), s, s.UCDP.API, "token", absDir)
		for code, c := range s.UCDP.Categories {
			if code < 1 || code > 3 {
				ps.addf(p.key("ucdp").key("categories"), "type_of_violence %d is not 1, 2 or 3", code)
			}
			checkCategory(ps, p.key("ucdp").key("categories"), c)
		}
	}
	if only("acled", s.ACLED != nil, "acled") {
		validateAPI(ps, p, p.key("acled").key("api"), s, s.ACLED.API, "key", absDir)
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

// validateAPI checks the api block of an ACLED or UCDP source: it needs a
// url (the API root or endpoint) and its credential (secret is "key" or
// "token") from a readable file or from ${NAME} in the environment.
func validateAPI(ps *problems, p, ap keyPath, s *Source, api *APIOptions, secret, absDir string) {
	if api == nil {
		return
	}
	if s.URL == "" {
		ps.addf(p.key("url"), "required with %s: the API's address", ap)
	}
	value, file := api.Key, &api.KeyFile
	if secret == "token" {
		value, file = api.Token, &api.TokenFile
	}
	switch {
	case value != "" && *file != "":
		ps.addf(ap.key(secret), "%s and %s_file are mutually exclusive", secret, secret)
	case *file != "":
		written := *file
		if !filepath.IsAbs(*file) {
			*file = filepath.Join(absDir, *file)
		}
		if _, err := ReadToken(*file); err != nil {
			ps.addf(ap.key(secret+"_file"), "cannot read %s", written)
		}
	case value != "":
		if !strings.Contains(value, "${") {
			ps.addf(ap.key(secret), "write it as ${NAME} from the environment, or use %s_file", secret)
		} else if _, err := ExpandEnv(value); err != nil {
			ps.addErr(ap.key(secret), err)
		}
	}
	if secret == "key" && (api.Email == "") != (api.Key == "" && api.KeyFile == "") {
		ps.addf(ap.key("email"), "key and email go together")
	}
	if api.PageSize < 0 {
		ps.addf(ap.key("page_size"), "must not be negative")
	}
}
