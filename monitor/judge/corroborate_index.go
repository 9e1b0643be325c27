package judge

import "github.com/ceasefired/ceasefired/geo"

// near returns the kept entries, other than e's identity, that are of
// another kind than e and within reach of it in time and space.
func (c *Corroborator) near(e *entry) []*entry {
	var out []*entry
	for _, k := range Kinds() {
		if k == e.r.Kind {
			continue
		}
		for b := e.cell.band - 1; b <= e.cell.band+1; b++ {
			for s := e.cell.slot - 1; s <= e.cell.slot+1; s++ {
				for _, o := range c.cells[cell{b, s, k}] {
					if o.key != e.key && c.reaches(e, o) {
						out = append(out, o)
					}
				}
			}
		}
	}
	return out
}

// reaches reports whether a and b are within Window and DistanceM of each
// other, edges included. The distance is taken in one order of the
// identities, so the relation is exactly symmetric.
func (c *Corroborator) reaches(a, b *entry) bool {
	dt := a.r.At.Sub(b.r.At)
	if dt < -c.opts.Window || dt > c.opts.Window {
		return false
	}
	if b.key.source < a.key.source || (b.key.source == a.key.source && b.key.id < a.key.id) {
		a, b = b, a
	}
	return geo.DistanceMeters(a.r.Lon, a.r.Lat, b.r.Lon, b.r.Lat) <= c.opts.DistanceM
}

// tierBefore is a violation's tier before a change: "" when it was none.
type tierBefore struct {
	key  reportKey
	from Tier
}

// tiers returns, in a stable order and once each, the identity of old and
// of every violation among the given neighbours, with its tier now.
func (*Corroborator) tiers(old *entry, lists ...[]*entry) []tierBefore {
	var out []tierBefore
	seen := map[reportKey]bool{}
	add := func(e *entry) {
		if seen[e.key] || !e.r.Violation {
			return
		}
		seen[e.key] = true
		out = append(out, tierBefore{e.key, e.tier()})
	}
	if old != nil {
		add(old)
	}
	for _, l := range lists {
		for _, e := range l {
			add(e)
		}
	}
	return out
}

// changes compares the tiers recorded in before, and those of added when
// not among them, with their tiers now.
func (c *Corroborator) changes(before []tierBefore, added *entry) []TierChange {
	if added != nil && added.r.Violation {
		if len(before) == 0 || before[0].key != added.key {
			before = append([]tierBefore{{key: added.key}}, before...)
		}
	}
	var out []TierChange
	for _, b := range before {
		var to Tier
		if e := c.byKey[b.key]; e != nil && e.r.Violation {
			to = e.tier()
		}
		if to != b.from {
			out = append(out, TierChange{Source: b.key.source, ID: b.key.id, From: b.from, To: to})
		}
	}
	return out
}

// link keeps e, whose neighbours are near, and counts it as support of
// each of them.
func (c *Corroborator) link(e *entry, near []*entry) {
	e.support = len(near)
	for _, o := range near {
		o.support++
	}
	e.pos = len(c.cells[e.cell])
	c.cells[e.cell] = append(c.cells[e.cell], e)
	c.byKey[e.key] = e
}

// unlink forgets e, whose neighbours are near, and its support of them.
func (c *Corroborator) unlink(e *entry, near []*entry) {
	for _, o := range near {
		o.support--
	}
	l := c.cells[e.cell]
	last := l[len(l)-1]
	l[e.pos], last.pos = last, e.pos
	l[len(l)-1] = nil
	if l = l[:len(l)-1]; len(l) == 0 {
		delete(c.cells, e.cell)
	} else {
		c.cells[e.cell] = l
	}
	delete(c.byKey, e.key)
}
