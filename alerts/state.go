package alerts

import (
	"encoding/json"
	"errors"
	"fmt"
)

// stateVersion is the version of the JSON written by State.
const stateVersion = 1

// stateDoc is the persisted form of a Manager.
type stateDoc struct {
	Version int        `json:"version"`
	Alerts  []*episode `json:"alerts"`
}

// State returns the alert state as JSON, for the daemon to persist and
// later hand to Restore. Alerts are sorted by trial, zone_id and category,
// so equal states give equal bytes. Safe for concurrent use.
func (m *Manager) State() ([]byte, error) {
	m.mu.Lock()
	doc := stateDoc{Version: stateVersion, Alerts: m.sorted()}
	b, err := json.Marshal(doc)
	m.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("encode alert state: %w", err)
	}
	return b, nil
}

// Restore replaces the alert state with one written by State, keeping each
// alert's startsAt, counts and resolution. Empty data restores an empty
// state. On error nothing changes. It is meant to be called once at start,
// before Observe; alerts whose retention ran out while the daemon was down
// are forgotten on the next call. Safe for concurrent use.
func (m *Manager) Restore(data []byte) error {
	restored := map[Key]*episode{}
	if len(data) > 0 {
		var doc stateDoc
		if err := json.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("decode alert state: %w", err)
		}
		if doc.Version != stateVersion {
			return fmt.Errorf("decode alert state: version %d, want %d", doc.Version, stateVersion)
		}
		for i, e := range doc.Alerts {
			if err := e.validate(); err != nil {
				return fmt.Errorf("decode alert state: alert %d: %w", i, err)
			}
			k := Key{e.Trial, e.ZoneID, e.Category}
			if _, dup := restored[k]; dup {
				return fmt.Errorf("decode alert state: alert %d: duplicate of %s/%s/%s",
					i, e.Trial, e.ZoneID, e.Category)
			}
			restored[k] = e
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.alerts = restored
	return nil
}

// validate rejects a persisted episode that Observe could not have made.
func (e *episode) validate() error {
	switch {
	case e == nil:
		return errors.New("null")
	case e.Trial == "" || e.ZoneID == "" || e.Category == "":
		return errors.New("empty trial, zone_id or category")
	case e.StartsAt.IsZero() || e.FirstSeen.IsZero() || e.LastSeen.IsZero():
		return errors.New("missing starts_at, first_seen or last_seen")
	case e.LastSeen.Before(e.FirstSeen):
		return errors.New("last_seen before first_seen")
	case e.Violations < 1:
		return fmt.Errorf("violations %d, want at least 1", e.Violations)
	}
	return nil
}
