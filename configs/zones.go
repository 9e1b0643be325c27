package configs

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ceasefired/ceasefired/geo"
)

// zoneOwner is where a zone version was first loaded: the entry, the file
// as shown in messages and the feature index.
type zoneOwner struct {
	entry   int
	shown   string
	feature int
}

// versionKey identifies a zone version: its id and effective_from.
type versionKey struct {
	id   string
	from string // RFC 3339, "" for the beginning of time
}

// fileKey identifies a zone file as read: the file and its properties.
type fileKey struct{ abs, idProperty, nameProperty string }

// listingKey identifies a zone file listing: the file and when it takes
// effect.
type listingKey struct{ abs, from string }

// loadedFile is a zone file as loaded once, shared by its listings.
type loadedFile struct {
	zones  []geo.Zone
	sha256 [32]byte
	failed bool
}

// zoneLoader loads the zone files of one config.
type zoneLoader struct {
	ps *problems
	// shownDir is the config file's folder as the user named it; messages
	// name zone files below it. absDir is the same folder, absolute.
	shownDir, absDir string
}

// load reads every zone file of c into c.Versions and c.Loaded, makes
// c.Zones[i].File absolute and returns the warnings of the files. It
// reports whether every file loaded, so that trial zone ids can be checked
// against them. A file may be listed several times with different
// effective_from; two versions of one zone id with the same effective_from
// are an error.
func (l zoneLoader) load(c *Config) (warnings []string, complete bool) {
	if len(c.Zones) == 0 {
		l.ps.addf(keyPath{"zones"}, "at least one zone file is required")
		return nil, false
	}
	complete = true
	listed := map[listingKey]int{}      // listing → index in c.Zones
	files := map[fileKey]*loadedFile{}  // file as read → its zones
	owner := map[versionKey]zoneOwner{} // zone version → where first seen
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
		lk := listingKey{abs, fromKey(zf.EffectiveFrom)}
		if j, dup := listed[lk]; dup {
			l.ps.addf(p.key("file"), "same file and effective_from as zones[%d]", j)
			continue
		}
		listed[lk] = i
		fk := fileKey{abs, zf.IDProperty, zf.NameProperty}
		lf, seen := files[fk]
		if !seen {
			lf = new(loadedFile)
			var warns []string
			lf.zones, warns, lf.failed = l.loadFile(p, shown, &lf.sha256, zf)
			warnings = append(warnings, warns...)
			files[fk] = lf
		}
		zf.SHA256 = lf.sha256
		if lf.failed {
			complete = false
			continue
		}
		if !l.addVersions(c, i, shown, lf, owner) {
			complete = false
		}
	}
	c.Loaded = latestZones(c.Versions)
	return warnings, complete
}

// addVersions adds the zones of lf, listed as c.Zones[i], to c.Versions,
// recording in owner where each version was first seen. It reports
// whether none was a duplicate.
func (l zoneLoader) addVersions(c *Config, i int, shown string, lf *loadedFile, owner map[versionKey]zoneOwner) bool {
	zf, p := &c.Zones[i], keyPath{"zones", i}
	from, ok := fromKey(zf.EffectiveFrom), true
	for _, z := range lf.zones {
		vk := versionKey{z.ID, from}
		if first, dup := owner[vk]; dup {
			l.ps.addAt(p.key("file"), fmt.Errorf("%s: feature %d (id %q): duplicate zone id%s, also in %s feature %d (zones[%d])",
				shown, z.Feature, z.ID, sameFrom(zf.EffectiveFrom), first.shown, first.feature, first.entry))
			ok = false
			continue
		}
		owner[vk] = zoneOwner{i, shown, z.Feature}
		z.File = zf.File
		c.Versions = append(c.Versions, ZoneVersion{Zone: z, From: zf.EffectiveFrom.UTC(), SHA256: lf.sha256, Entry: i})
	}
	return ok
}

// fromKey formats an effective_from for comparison: "" when unset.
func fromKey(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// sameFrom qualifies a duplicate zone id error by the effective_from the
// two versions share.
func sameFrom(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " effective from " + fromKey(t)
}

// loadFile loads one zone file; failed is true when it had errors, which
// are recorded.
func (l zoneLoader) loadFile(p keyPath, shown string, sum *[32]byte, zf *ZoneFile) (zones []geo.Zone, warnings []string, failed bool) {
	if _, err := os.Stat(shown); err != nil {
		l.ps.addErr(p.key("file"), err)
		return nil, nil, true
	}
	data, err := os.ReadFile(shown)
	if err != nil {
		l.ps.addErr(p.key("file"), err)
		return nil, nil, true
	}
	*sum = sha256.Sum256(data)
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
