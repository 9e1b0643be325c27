package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/ceasefired/ceasefired/monitor"
)

// Rows refer to the texts that repeat in them (trials, zones, categories,
// sources, placements, tiers) and to the digests of zone and config files
// by the integer id of their row in the names table. A text is stored as
// TEXT, a digest as a BLOB: the two never compare equal, so one table
// holds both.

// nameCache maps names to their ids as committed; the ids a transaction
// reads or adds join it when the transaction commits. Safe for concurrent
// use.
type nameCache struct {
	mu      sync.Mutex
	texts   map[string]int64
	digests map[[32]byte]int64
}

// names is the ids of a set of names, texts and digests.
type names struct {
	texts   map[string]int64
	digests map[[32]byte]int64
}

func (c *nameCache) get(text *string, digest *[32]byte) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var id int64
	ok := false
	if text != nil {
		id, ok = c.texts[*text]
	} else {
		id, ok = c.digests[*digest]
	}
	return id, ok
}

func (c *nameCache) add(n names) {
	if len(n.texts)+len(n.digests) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.texts == nil {
		c.texts, c.digests = map[string]int64{}, map[[32]byte]int64{}
	}
	maps.Copy(c.texts, n.texts)
	maps.Copy(c.digests, n.digests)
}

// namer gives the ids of names inside one write transaction.
type namer struct {
	cache *nameCache
	tx    *sql.Tx
	seen  names // ids read or stored in tx, for the cache once committed
}

func newNamer(cache *nameCache, tx *sql.Tx) *namer {
	return &namer{cache: cache, tx: tx, seen: names{texts: map[string]int64{}, digests: map[[32]byte]int64{}}}
}

// text returns the id of the text s, storing it when it is new.
func (n *namer) text(ctx context.Context, s string) (int64, error) {
	if id, ok := n.seen.texts[s]; ok {
		return id, nil
	}
	id, err := n.id(ctx, &s, nil, true)
	return id, err
}

// digest returns the id of the digest d, storing it when it is new.
func (n *namer) digest(ctx context.Context, d [32]byte) (int64, error) {
	if id, ok := n.seen.digests[d]; ok {
		return id, nil
	}
	id, err := n.id(ctx, nil, &d, true)
	return id, err
}

// lookupText returns the id of the text s, and false when it is not
// stored.
func (n *namer) lookupText(ctx context.Context, s string) (int64, bool, error) {
	if id, ok := n.seen.texts[s]; ok {
		return id, true, nil
	}
	id, err := n.id(ctx, &s, nil, false)
	return id, id != 0, err
}

// id returns the id of text or digest, from the cache or the table,
// storing the name when store is set and it is new; without store, an
// unknown name has id 0.
func (n *namer) id(ctx context.Context, text *string, digest *[32]byte, store bool) (int64, error) {
	id, ok := n.cache.get(text, digest)
	if !ok {
		var name any
		if text != nil {
			name = *text
		} else {
			name = digest[:]
		}
		err := n.tx.QueryRowContext(ctx, "SELECT id FROM names WHERE name = ?", name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) && store {
			err = n.tx.QueryRowContext(ctx, "INSERT INTO names (name) VALUES (?) RETURNING id", name).Scan(&id)
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return 0, nil
		case err != nil:
			return 0, fmt.Errorf("store name: %w", err)
		}
	}
	if text != nil {
		n.seen.texts[*text] = id
	} else {
		n.seen.digests[*digest] = id
	}
	return id, nil
}

// committed hands the ids the transaction read or stored to the cache;
// call it once the transaction committed.
func (n *namer) committed() { n.cache.add(n.seen) }

// tierSingle is the tier of a violation stored: not corroborated.
const tierSingle = "single"

// refs is the ids of the names of a violation but its source.
type refs struct {
	trial, zone, category, placement, zoneVersion, config int64
}

// violationRefs returns the ids of the names of v but its source, storing
// those new.
func violationRefs(ctx context.Context, nm *namer, v *monitor.Violation) (refs, error) {
	var r refs
	var err error
	for _, f := range [...]struct {
		dst  *int64
		text string
	}{{&r.trial, v.Trial}, {&r.zone, v.ZoneID}, {&r.category, string(v.Category)},
		{&r.placement, string(v.Placement)}} {
		if *f.dst, err = nm.text(ctx, f.text); err != nil {
			return r, err
		}
	}
	if r.zoneVersion, err = nm.digest(ctx, v.ZoneVersion); err != nil {
		return r, err
	}
	r.config, err = nm.digest(ctx, v.Config)
	return r, err
}
