package configs

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"

	"github.com/ceasefired/ceasefired/monitor"
)

// validateSources checks every source and makes source paths absolute,
// resolved against absDir, the config file's folder.
func validateSources(c *Config, ps *problems, absDir string) {
	names := map[string]int{}
	for i := range c.Sources {
		s, p := &c.Sources[i], keyPath{"sources", i}
		checkName(ps, p.key("name"), s.Name, names, i)
		validateFormat(ps, p.key("format"), s.Format)
		if s.Format != "push" {
			validateLocation(ps, p, s, absDir)
			if s.Schedule == "" {
				ps.addf(p.key("schedule"), "required")
			} else if _, err := monitor.ParseSchedule(s.Schedule); err != nil {
				ps.addErr(p.key("schedule"), err)
			}
		} else {
			validatePush(ps, p, s, absDir)
		}
		validateCSV(ps, p, s)
		validateFIRMS(ps, p, s)
		validateFeedOptions(ps, p, s, absDir)
		if s.Category != "" {
			if _, err := monitor.ParseCategory(s.Category); err != nil {
				ps.addErr(p.key("category"), err)
			}
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

// validateFormat checks that format is known.
func validateFormat(ps *problems, p keyPath, format string) {
	switch format {
	case "":
		ps.addf(p, "required")
	case "firms", "csv", "acled", "ucdp", "geojson", "jsonl", "push":
	default:
		ps.addf(p, "unknown format %q (want one of firms, csv, acled, ucdp, geojson, jsonl, push)", format)
	}
}

// validateLocation checks that exactly one of url and path is set. The URL
// must expand from the environment but is kept unexpanded; the path becomes
// an absolute glob. A glob that matches nothing is fine: files may come
// later.
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

// validateCSV checks the column map of a csv source.
func validateCSV(ps *problems, p keyPath, s *Source) {
	cp := p.key("csv")
	if s.Format != "csv" {
		if s.CSV != nil {
			ps.addf(cp, "only used by format csv")
		}
		return
	}
	if s.CSV == nil {
		ps.addf(cp, "required for format csv (lat, lon and time columns)")
		return
	}
	for _, col := range []struct{ key, value string }{
		{"lat", s.CSV.Lat}, {"lon", s.CSV.Lon}, {"time", s.CSV.Time},
	} {
		if col.value == "" {
			ps.addf(cp.key(col.key), "required")
		}
	}
	if s.CSV.Category == "" && s.Category == "" {
		ps.addf(p.key("category"), "required for format csv when no csv.category column is mapped")
	}
}

// validateFIRMS checks the quality filters of a firms source.
func validateFIRMS(ps *problems, p keyPath, s *Source) {
	fp := p.key("firms")
	if s.Format != "firms" {
		if s.FIRMS != nil {
			ps.addf(fp, "only used by format firms")
		}
		return
	}
	if s.FIRMS != nil {
		checkConfidence(ps, fp.key("min_confidence"), s.FIRMS.MinConfidence)
	}
}

// checkConfidence checks a min_confidence value; "" means keep all.
func checkConfidence(ps *problems, p keyPath, mc string) {
	switch mc {
	case "", "low", "nominal", "high":
	default:
		v, err := strconv.ParseFloat(mc, 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > 100 {
			ps.addf(p, "%q is not low, nominal, high or a number 0..100", mc)
		}
	}
}
