package daemon

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/geo"
)

// zoneEditsState is the state key of the zone edit history.
const zoneEditsState = "zone_edits"

// zoneEdit is one content of one zone listing (a file listed with an
// effective_from) and the instant it took effect. A zone file edited in
// place is a new version from the instant the daemon loaded it, never
// before: incidents of earlier times, reported late or replayed, are still
// judged against the content in force then.
type zoneEdit struct {
	File       string    `json:"file"`
	ListedFrom time.Time `json:"listed_from,omitzero"` // the listing's effective_from
	SHA256     string    `json:"sha256"`
	// From is when this content took effect; zero for the first content
	// seen, which is in force from the listing's own date.
	From time.Time `json:"from,omitzero"`
}

// editStore is what the zone edit history needs of a store.
type editStore interface {
	GetState(ctx context.Context, key string) ([]byte, bool, error)
	PutState(ctx context.Context, key string, value []byte) error
	KeptFile(ctx context.Context, sum [32]byte) ([]byte, bool, error)
}

// editedSetup returns st with the store's zone edit history applied (see
// withZoneEdits), rebuilt when the history adds versions.
func (d *Daemon) editedSetup(ctx context.Context, st *setup) (*setup, error) {
	cfg, err := withZoneEdits(ctx, d.store, st.cfg, d.o.Now(), d.storeReadOnly, d.log)
	if err != nil {
		return nil, fmt.Errorf("zone edit history: %w", err)
	}
	if cfg == st.cfg {
		return st, nil
	}
	return buildSetup(cfg)
}

// WithZoneEdits is withZoneEdits for a replay into db, which judges as a
// daemon started at now would.
func WithZoneEdits(ctx context.Context, db editStore, cfg *configs.Config, now time.Time, log *slog.Logger) (*configs.Config, error) {
	return withZoneEdits(ctx, db, cfg, now, false, log)
}

// withZoneEdits reads the zone edit history in db, notes at now each
// listing of cfg whose file changed since it was last loaded, stores the
// history again unless readOnly, and returns cfg with the versions the
// history adds: each earlier content of a listing, read from the copy the
// store kept (see LogVersions), in force from when it took effect until
// the next. cfg itself is not modified; it is returned as it is when no
// listing was ever edited.
func withZoneEdits(ctx context.Context, db editStore, cfg *configs.Config, now time.Time, readOnly bool, log *slog.Logger) (*configs.Config, error) {
	var hist []zoneEdit
	if b, ok, err := db.GetState(ctx, zoneEditsState); err != nil {
		return nil, err
	} else if ok {
		if err := json.Unmarshal(b, &hist); err != nil {
			return nil, fmt.Errorf("read the zone edit history: %w", err)
		}
	}
	hist, changed := noteZoneEdits(hist, cfg, now.UTC())
	if changed && !readOnly {
		b, err := json.Marshal(hist)
		if err != nil {
			return nil, err
		}
		if err := db.PutState(ctx, zoneEditsState, b); err != nil {
			return nil, err
		}
	}
	return applyZoneEdits(ctx, db, cfg, hist, log)
}

// editsOf returns the entries of hist for listing z, oldest first.
func editsOf(hist []zoneEdit, z configs.ZoneFile) []zoneEdit {
	var out []zoneEdit
	for _, e := range hist {
		if e.File == z.File && e.ListedFrom.Equal(z.EffectiveFrom) {
			out = append(out, e)
		}
	}
	return out
}

// noteZoneEdits appends to hist the first content of each listing of cfg
// it has none of, and, at now, each content that differs from the last it
// has; it reports whether it appended any.
func noteZoneEdits(hist []zoneEdit, cfg *configs.Config, now time.Time) ([]zoneEdit, bool) {
	changed := false
	for _, z := range cfg.Zones {
		sum := hex.EncodeToString(z.SHA256[:])
		edits := editsOf(hist, z)
		switch {
		case len(edits) == 0:
			hist = append(hist, zoneEdit{File: z.File, ListedFrom: z.EffectiveFrom, SHA256: sum})
		case edits[len(edits)-1].SHA256 != sum:
			hist = append(hist, zoneEdit{File: z.File, ListedFrom: z.EffectiveFrom, SHA256: sum, From: now})
		default:
			continue
		}
		changed = true
	}
	return hist, changed
}

// applyZoneEdits returns cfg with the versions of hist: the current
// content of an edited listing takes effect when it was loaded, and each
// earlier content applies until the next.
func applyZoneEdits(ctx context.Context, db editStore, cfg *configs.Config, hist []zoneEdit, log *slog.Logger) (*configs.Config, error) {
	var added []configs.ZoneVersion
	current := make([]time.Time, len(cfg.Zones)) // by entry: when its content took effect
	for i, z := range cfg.Zones {
		edits := editsOf(hist, z)
		if len(edits) < 2 {
			continue
		}
		current[i] = edits[len(edits)-1].From
		for j, e := range edits[:len(edits)-1] {
			vs, err := keptVersions(ctx, db, z, i, e)
			if err != nil {
				return nil, err
			}
			if vs == nil {
				log.Warn("zone file edited, but no copy kept of its earlier content: incidents before the edit are judged against the current one",
					"file", z.File, "sha256", e.SHA256, "edited_at", edits[j+1].From)
				continue
			}
			added = append(added, vs...)
		}
	}
	moved := false
	versions := make([]configs.ZoneVersion, 0, len(cfg.Versions)+len(added))
	for _, v := range cfg.Versions {
		if from := current[v.Entry]; from.After(v.From) {
			v.From, moved = from, true
		}
		versions = append(versions, v)
	}
	if !moved && len(added) == 0 {
		return cfg, nil
	}
	out := *cfg
	out.Versions = dropSuperseded(append(versions, added...), cfg)
	return &out, nil
}

// keptVersions returns the zone versions of edit e of listing z (entry
// i of the config): its kept content, in force from max(e.From, the
// listing's date). It returns nil when the store kept no copy.
func keptVersions(ctx context.Context, db editStore, z configs.ZoneFile, i int, e zoneEdit) ([]configs.ZoneVersion, error) {
	var sum [32]byte
	if _, err := hex.Decode(sum[:], []byte(e.SHA256)); err != nil {
		return nil, fmt.Errorf("zone edit history: file %s: digest %q: %w", z.File, e.SHA256, err)
	}
	b, ok, err := db.KeptFile(ctx, sum)
	if err != nil || !ok {
		return nil, err
	}
	zones, _, err := geo.Load(b, z.File+"@"+e.SHA256[:12], geo.LoadOptions{
		IDProperty: z.IDProperty, NameProperty: z.NameProperty, SkipNonPolygon: true,
	})
	if err != nil {
		return nil, fmt.Errorf("earlier content of zone file %s: %w", z.File, err)
	}
	from := z.EffectiveFrom.UTC()
	if e.From.After(from) {
		from = e.From
	}
	out := make([]configs.ZoneVersion, len(zones))
	for k, zone := range zones {
		zone.File = z.File
		out[k] = configs.ZoneVersion{Zone: zone, From: from, SHA256: sum, Entry: i}
	}
	return out, nil
}

// dropSuperseded removes from vs each version that an edit moved later
// than the date of another listing of the same zone id: an edit of a
// listing applies only while that listing is in force, and must not
// override a later dated listing.
func dropSuperseded(vs []configs.ZoneVersion, cfg *configs.Config) []configs.ZoneVersion {
	out := make([]configs.ZoneVersion, 0, len(vs))
	for _, v := range vs {
		listed := cfg.Zones[v.Entry].EffectiveFrom.UTC()
		superseded := false
		if v.From.After(listed) {
			for _, w := range vs {
				wListed := cfg.Zones[w.Entry].EffectiveFrom.UTC()
				if w.Zone.ID == v.Zone.ID && w.Entry != v.Entry && wListed.After(listed) && !wListed.After(v.From) {
					superseded = true
					break
				}
			}
		}
		if !superseded {
			out = append(out, v)
		}
	}
	return out
}
