package configs

import (
	"fmt"
	"path/filepath"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
)

// validateSources checks every source and makes source paths absolute,
// resolved against absDir, the config file's folder. What is particular
// to a format is checked by its registry entry.
func validateSources(c *Config, ps *problems, absDir string) {
	names := map[string]int{}
	for i := range c.Sources {
		s, p := &c.Sources[i], keyPath{"sources", i}
		checkName(ps, p.key("name"), s.Name, names, i)
		f, known := validateFormat(ps, p.key("format"), s.Format)
		if !f.pushed {
			validateLocation(ps, p, s, absDir)
			if s.Schedule == "" {
				ps.addf(p.key("schedule"), "required")
			} else if _, err := monitor.ParseSchedule(s.Schedule); err != nil {
				ps.addErr(p.key("schedule"), err)
			}
		}
		validateBlocks(ps, p, s, f)
		if known || s.Kind != "" {
			validateKind(ps, p.key("kind"), s.Kind)
		}
		if known {
			f.validate(ps, p, s, absDir)
		}
		if s.Category != "" {
			checkCategory(ps, p.key("category"), s.Category)
		}
		checkRange(ps, p.key("uncertainty_meters"), s.UncertaintyMeters, maxMeters)
		if s.Timeout <= 0 {
			ps.addf(p.key("timeout"), "must be greater than 0")
		}
		if s.MaxBytes <= 0 {
			ps.addf(p.key("max_bytes"), "must be greater than 0")
		}
	}
}

// validateLocation checks that exactly one of url and path is set. The URL
// must expand from the environment but is kept unexpanded; the path becomes
// an absolute glob, whose folder checkGlobs looks at once every source is
// validated.
func validateLocation(ps *problems, p keyPath, s *Source, absDir string) {
	switch {
	case s.URL != "" && s.Path != "":
		ps.addf(p.key("path"), "url and path are mutually exclusive")
	case s.URL == "" && s.Path == "":
		ps.addf(p, "one of url or path is required")
	case s.URL != "":
		expanded, err := ExpandEnv(s.URL)
		if err != nil {
			ps.addErr(p.key("url"), err)
		} else if err := checkHTTPURL(expanded); err != nil {
			ps.addErr(p.key("url"), err)
		}
	default:
		if !filepath.IsAbs(s.Path) {
			s.Path = filepath.Join(absDir, s.Path)
		}
		if _, err := filepath.Match(s.Path, ""); err != nil {
			ps.addErr(p.key("path"), fmt.Errorf("invalid glob: %w", err))
		}
	}
}

// checkConfidence checks a min_confidence value with the parser the
// decoders use; "" means keep all.
func checkConfidence(ps *problems, p keyPath, mc string) {
	if mc == "" {
		return
	}
	if _, err := ingest.ParseConfidence(mc); err != nil {
		ps.addErr(p, err)
	}
}
