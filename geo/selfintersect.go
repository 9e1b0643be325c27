package geo

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// selfIntersection returns two edges of the closed ring r that meet
// although they are not neighbours, or two neighbouring edges that fold
// back over each other (a spike). Edge i runs from r[i] to r[i+1]. r has no
// consecutive repeats.
//
// It sweeps a vertical line across the ring: edges sorted by their least
// longitude (O(n log n)) enter an active list and leave it once the line
// has passed them, and each entering edge is compared only with the
// active edges whose latitude range overlaps its own. The cost is
// O(n log n + n·k), k being the number of edges a vertical line meets,
// which for boundary rings is small, instead of the O(n²) of all pairs.
func selfIntersection(r orb.Ring) (int, int, bool) {
	m := len(r) - 1 // number of edges
	for i := 0; i < m; i++ {
		a, b, c := r[i], r[i+1], r[(i+2)%m]
		if orient(a[0], a[1], b[0], b[1], c[0], c[1]) == 0 &&
			(onSegment(a[0], a[1], b[0], b[1], c[0], c[1]) || onSegment(b[0], b[1], c[0], c[1], a[0], a[1])) {
			return i, (i + 1) % m, true
		}
	}
	type span struct {
		x0, x1, y0, y1 float64
		edge           int
	}
	spans := make([]span, m)
	for i := range spans {
		p, q := r[i], r[i+1]
		spans[i] = span{min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1]), i}
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.x0, b.x0) })
	var active []span
	for _, s := range spans {
		kept := active[:0]
		for _, a := range active {
			if a.x1 < s.x0 {
				continue // the sweep has passed it
			}
			kept = append(kept, a)
			if a.y1 >= s.y0 && a.y0 <= s.y1 && edgesMeet(r, m, a.edge, s.edge) {
				return sortedPair(a.edge, s.edge)
			}
		}
		active = append(kept, s)
	}
	return 0, 0, false
}

func sortedPair(i, j int) (int, int, bool) { return min(i, j), max(i, j), true }

// edgesMeet reports whether edges i and j of a ring with m edges share a
// point although they are not neighbours.
func edgesMeet(r orb.Ring, m, i, j int) bool {
	if i > j {
		i, j = j, i
	}
	if j == i+1 || (i == 0 && j == m-1) {
		return false
	}
	p, q, s, t := r[i], r[i+1], r[j], r[j+1]
	return segmentsIntersect(p[0], p[1], q[0], q[1], s[0], s[1], t[0], t[1])
}
