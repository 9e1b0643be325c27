package configs

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
)

// Load reads, parses, defaults and validates the config file at path, loads
// every zone file it names and checks the trials' zone ids against them.
// Paths in the result are absolute.
//
// On failure it returns nil and an error listing every problem, one per
// line, each naming the file and line and, for config keys, the key path:
//
//	ceasefired.yml:12: trials[0].zones[1]: unknown zone id "UA-99"
//	ceasefired.yml:3: field zonez not found in type configs.Config
//	zones/x.geojson: feature 4 (id "UA-99"): ...
//
// Files are named as the user would: path as given, zone files joined to
// its folder. Unknown keys are errors; keys left out take the defaults
// listed with DefaultTrialDays.
func Load(path string) (*Config, error) {
	c, _, err := LoadWithWarnings(path)
	return c, err
}

// LoadWithWarnings is Load that also returns non-fatal warnings, such as
// zone file features skipped because they are not polygons, or a file
// source whose folder does not exist or whose glob matches no file (the
// daemon starts anyway: a volume may be mounted later). Warnings are
// returned even when err is not nil.
func LoadWithWarnings(path string) (*Config, []string, error) {
	return load(path, false)
}

// Check is LoadWithWarnings for `ceasefired check config`, which runs where
// the daemon will: a file source whose folder does not exist is an error,
// not a warning.
func Check(path string) (*Config, []string, error) {
	return load(path, true)
}

// load is LoadWithWarnings; missingFolderIsError makes a file source whose
// folder does not exist an error.
func load(path string, missingFolderIsError bool) (*Config, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", path, err)
	}
	ps := &problems{file: path}
	c := decode(data, ps)
	if c == nil {
		return nil, nil, ps.err()
	}
	applyDefaults(c, ps.root)
	c.File = abs
	c.SHA256 = sha256.Sum256(data)

	zl := zoneLoader{ps: ps, shownDir: filepath.Dir(path), absDir: filepath.Dir(abs)}
	warnings, complete := zl.load(c)
	ids := make(map[string]bool, len(c.Loaded))
	for _, z := range c.Loaded {
		ids[z.ID] = true
	}
	validateTrials(c, ps, ids, complete)
	validateJudging(c, ps, ids, complete)
	validateSources(c, ps, zl.absDir)
	checkGlobs(c, ps, zl.shownDir, zl.absDir, missingFolderIsError)
	validateAlerting(c, ps)
	validateEvidence(c, ps, zl)
	warnings = append(warnings, ps.warnings...)
	if err := ps.err(); err != nil {
		return nil, warnings, err
	}
	return c, warnings, nil
}
