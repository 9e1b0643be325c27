package geo

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// Index answers which zones contain a point. It is immutable after NewIndex
// and safe for concurrent use by any number of readers.
type Index struct {
	zones []Zone
	ids   map[string]int
	parts []part // every polygon of every zone, in zone order
	grid  grid
}

// part is one polygon of a zone: its exterior ring and holes.
type part struct {
	zone   int
	poly   orb.Polygon
	bound  orb.Bound // of all rings, so that stray holes are covered too
	chunks []chunk   // runs of edges with their bounding boxes, for Within
}

// chunk is a run of at most chunkEdges consecutive edges of one ring.
type chunk struct {
	ring, first, last int32 // edges first..last-1 of poly[ring]
	bound             orb.Bound
}

const chunkEdges = 32

// edgeChunks cuts the rings of p into chunks.
func edgeChunks(p orb.Polygon) []chunk {
	var cs []chunk
	for ri, r := range p {
		for first := 0; first+1 < len(r); first += chunkEdges {
			last := min(first+chunkEdges, len(r)-1)
			cs = append(cs, chunk{ring: int32(ri), first: int32(first), last: int32(last),
				bound: pointsBound(r[first : last+1])})
		}
	}
	return cs
}

// NewIndex builds the index over zones, which it keeps (the caller must not
// modify them afterwards). Zone indexes in answers are positions in zones.
// It rejects empty and duplicate zone ids (naming both files and features),
// zones without polygons, rings with fewer than 4 positions or with
// coordinates that are not finite.
func NewIndex(zones []Zone) (*Index, error) {
	ix := &Index{zones: zones, ids: make(map[string]int, len(zones))}
	var errs []error
	for zi, z := range zones {
		where := fmt.Sprintf("%s: feature %d (id %q)", z.File, z.Feature, z.ID)
		if z.ID == "" {
			errs = append(errs, fmt.Errorf("%s: empty zone id", where))
			continue
		}
		if prev, dup := ix.ids[z.ID]; dup {
			p := zones[prev]
			errs = append(errs, fmt.Errorf("%s: duplicate zone id, also used by %s feature %d", where, p.File, p.Feature))
			continue
		}
		ix.ids[z.ID] = zi
		if err := checkGeometry(z.Geometry); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
			continue
		}
		for _, p := range z.Geometry {
			// The chunks cover every ring, holes included, so their
			// boxes' union is the polygon's.
			cs := edgeChunks(p)
			b := cs[0].bound
			for _, c := range cs[1:] {
				b = b.Union(c.bound)
			}
			ix.parts = append(ix.parts, part{zone: zi, poly: p, bound: b, chunks: cs})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	ix.grid = buildGrid(ix.parts, true)
	return ix, nil
}

// pointsBound returns the bounding box of pts, which are finite: plain
// comparisons, cheaper than orb's, which allow for NaN.
func pointsBound(pts []orb.Point) orb.Bound {
	b := orb.Bound{Min: pts[0], Max: pts[0]}
	for _, p := range pts[1:] {
		if p[0] < b.Min[0] {
			b.Min[0] = p[0]
		} else if p[0] > b.Max[0] {
			b.Max[0] = p[0]
		}
		if p[1] < b.Min[1] {
			b.Min[1] = p[1]
		} else if p[1] > b.Max[1] {
			b.Max[1] = p[1]
		}
	}
	return b
}

// checkGeometry checks what the containment engine relies on.
func checkGeometry(mp orb.MultiPolygon) error {
	if len(mp) == 0 {
		return errors.New("empty geometry")
	}
	for pi, p := range mp {
		if len(p) == 0 {
			return fmt.Errorf("polygon %d: empty polygon", pi)
		}
		for ri, r := range p {
			if len(r) < 4 {
				return fmt.Errorf("polygon %d ring %d: ring has %d positions, need at least 4", pi, ri, len(r))
			}
			for vi, pt := range r {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
					return fmt.Errorf("polygon %d ring %d vertex %d: coordinate is not a finite number", pi, ri, vi)
				}
			}
		}
	}
	return nil
}

// Zones returns the indexed zones; position i is zone index i. The caller
// must not modify them.
func (ix *Index) Zones() []Zone { return ix.zones }

// Lookup returns the index of the zone with the given id.
func (ix *Index) Lookup(id string) (int, bool) {
	i, ok := ix.ids[id]
	return i, ok
}

// Locate appends to dst the indexes (into Zones()) of the zones containing
// the point at longitude lon, latitude lat (degrees), in ascending order,
// and returns the extended slice.
//
// A zone contains a point when some polygon of it does. A polygon contains
// the point when the point lies on any of its rings (boundary points are
// inside, including vertices, horizontal edges and the rings of holes), or
// else when a ray from the point crosses its rings an odd number of times,
// so points inside a hole are outside. The predicates are exact: the answer
// is the same as a ray-cast with exact arithmetic. NaN coordinates match
// nothing.
func (ix *Index) Locate(lon, lat float64, dst []int) []int {
	return ix.grid.locate(lon, lat, dst)
}

// Near is a zone close to, but not containing, a point.
type Near struct {
	Zone   int     // index into Index.Zones()
	Meters float64 // distance from the point to the zone's boundary
}

// Within appends to dst, in ascending zone order, the zones that do not
// contain the point (lon, lat in degrees) but whose boundary, holes
// included, lies within meters of it, with that distance in meters (see
// DistanceMeters for its accuracy). A negative or NaN meters finds nothing.
func (ix *Index) Within(lon, lat, meters float64, dst []Near) []Near {
	if !(meters >= 0) || math.IsNaN(lon) || math.IsNaN(lat) {
		return dst
	}
	// Degrees that certainly cover meters: a degree of latitude is at least
	// 110.5 km and a degree of longitude at least that times cos(lat).
	dLat := meters/110_000 + 1e-9
	c := math.Cos(math.Min(89.9, math.Abs(lat)+dLat) * math.Pi / 180)
	dLon := math.Min(360, dLat/c)
	var in [8]int
	inside := ix.Locate(lon, lat, in[:0])
	start := len(dst)
	for pi := range ix.parts {
		p := &ix.parts[pi]
		b := p.bound
		if lon < b.Min[0]-dLon || lon > b.Max[0]+dLon || lat < b.Min[1]-dLat || lat > b.Max[1]+dLat {
			continue
		}
		if contains(inside, p.zone) {
			continue
		}
		d := partDistance(p, lon, lat, dLon, dLat)
		if d > meters {
			continue
		}
		if n := len(dst); n > start && dst[n-1].Zone == p.zone {
			dst[n-1].Meters = math.Min(dst[n-1].Meters, d)
			continue
		}
		dst = append(dst, Near{Zone: p.zone, Meters: d})
	}
	return dst
}

func contains(sorted []int, v int) bool {
	i := sort.SearchInts(sorted, v)
	return i < len(sorted) && sorted[i] == v
}

// partDistance returns the distance in meters from the point to the nearest
// edge of p among those within the degree window, or +Inf.
func partDistance(p *part, lon, lat, dLon, dLat float64) float64 {
	best := math.Inf(1)
	for _, c := range p.chunks {
		if c.bound.Max[0] < lon-dLon || c.bound.Min[0] > lon+dLon ||
			c.bound.Max[1] < lat-dLat || c.bound.Min[1] > lat+dLat {
			continue
		}
		r := p.poly[c.ring]
		for i := c.first; i < c.last; i++ {
			a, b := r[i], r[i+1]
			if max(a[0], b[0]) < lon-dLon || min(a[0], b[0]) > lon+dLon ||
				max(a[1], b[1]) < lat-dLat || min(a[1], b[1]) > lat+dLat {
				continue
			}
			best = min(best, segmentDistanceMeters(lon, lat, a[0], a[1], b[0], b[1]))
		}
	}
	return best
}

// polygonContains is the plain ray-cast: exact, closed (boundary inside),
// even-odd over all rings of the polygon.
func polygonContains(poly orb.Polygon, x, y float64) bool {
	in := false
	for _, r := range poly {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			if onSegment(a[0], a[1], b[0], b[1], x, y) {
				return true
			}
			if crossesRay(a[0], a[1], b[0], b[1], x, y) {
				in = !in
			}
		}
	}
	return in
}
