package configs

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ceasefired/ceasefired/geo"
)

// zoneOwner is where a zone id was first loaded: the file as shown in
// messages and the feature index.
type zoneOwner struct {
	shown   string
	feature int
}

// zoneLoader loads the zone files of one config.
type zoneLoader struct {
	ps *problems
	// shownDir is the config file's folder as the user named it; messages
	// name zone files below it. absDir is the same folder, absolute.
	shownDir, absDir string
}

// load reads every zone file of c into c.Loaded, makes c.Zones[i].File
// absolute and returns the warnings of the files. It reports whether every
// file loaded, so that trial zone ids can be checked against them.
func (l zoneLoader) load(c *Config) (warnings []string, complete bool) {
	if len(c.Zones) == 0 {
		l.ps.addf(keyPath{"zones"}, "at least one zone file is required")
		return nil, false
	}
	complete = true
	seen := map[string]int{}        // absolute file → index in c.Zones
	owner := map[string]zoneOwner{} // zone id → where it was first seen
	for i := range c.Zones {
		zf, p := &c.Zones[i], keyPath{"zones", i}
		ok := true
		if zf.File == "" {
			l.ps.addf(p.key("file"), "required")
			ok = false
		}
		if zf.IDProperty == "" {
			l.ps.addf(p.key("id_property"), "required")
			ok = false
		}
		if !ok {
			complete = false
			continue
		}
		shown, abs := l.resolve(zf.File)
		zf.File = abs
		if j, dup := seen[abs]; dup {
			l.ps.addf(p.key("file"), "same file as zones[%d]", j)
			continue
		}
		seen[abs] = i
		zones, warns, err := l.loadFile(p, shown, zf)
		warnings = append(warnings, warns...)
		if err {
			complete = false
			continue
		}
		for _, z := range zones {
			if first, dup := owner[z.ID]; dup {
				l.ps.addAt(p.key("file"), fmt.Errorf("%s: feature %d (id %q): duplicate zone id, also in %s feature %d",
					shown, z.Feature, z.ID, first.shown, first.feature))
				complete = false
				continue
			}
			owner[z.ID] = zoneOwner{shown, z.Feature}
			z.File = abs
			c.Loaded = append(c.Loaded, z)
		}
	}
	return warnings, complete
}

// loadFile loads one zone file; failed is true when it had errors, which
// are recorded.
func (l zoneLoader) loadFile(p keyPath, shown string, zf *ZoneFile) (zones []geo.Zone, warnings []string, failed bool) {
	if _, err := os.Stat(shown); err != nil {
		l.ps.addErr(p.key("file"), err)
		return nil, nil, true
	}
	data, err := os.ReadFile(shown)
	if err != nil {
		l.ps.addErr(p.key("file"), err)
		return nil, nil, true
	}
	zf.SHA256 = sha256.Sum256(data)
	zones, warnings, err = geo.LoadFile(shown, geo.LoadOptions{
		IDProperty:     zf.IDProperty,
		NameProperty:   zf.NameProperty,
		SkipNonPolygon: true,
	})
	if err != nil {
		l.ps.addAt(p.key("file"), err)
		return nil, warnings, true
	}
	return zones, warnings, false
}

// resolve returns file as shown in messages and as an absolute path.
func (l zoneLoader) resolve(file string) (shown, abs string) {
	if filepath.IsAbs(file) {
		return filepath.Clean(file), filepath.Clean(file)
	}
	return filepath.Join(l.shownDir, file), filepath.Join(l.absDir, file)
}

// ZoneIDs returns the ids of the zones trial t covers: every loaded zone in
// load order when t.Zones is ["*"], else a copy of t.Zones.
func (c *Config) ZoneIDs(t Trial) []string {
	if len(t.Zones) == 1 && t.Zones[0] == "*" {
		ids := make([]string, len(c.Loaded))
		for i, z := range c.Loaded {
			ids[i] = z.ID
		}
		return ids
	}
	return append([]string(nil), t.Zones...)
}
