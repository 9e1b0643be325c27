package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Generated adversarial polygons. Coordinates sit on a fine lattice so
// that many points fall exactly on vertices and on horizontal and vertical
// edges, and rays from test points pass exactly through vertices.

// lattice maps lattice coordinates to degrees around (30°E, 48°N).
func lattice(i, j float64) orb.Point { return orb.Point{30 + i/64, 48 + j/64} }

func rect(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{lattice(x0, y0), lattice(x1, y0), lattice(x1, y1), lattice(x0, y1), lattice(x0, y0)}
}

// comb is a base bar with n vertical teeth: many horizontal edges on
// shared heights, so rays run along edges and through vertices.
func comb(n int) orb.Polygon {
	r := orb.Ring{lattice(0, 0), lattice(float64(2*n-1), 0)}
	for k := n - 1; k >= 0; k-- {
		x := float64(2 * k)
		r = append(r, lattice(x+1, 4), lattice(x, 4))
		if k > 0 {
			r = append(r, lattice(x, 1), lattice(x-1, 1))
		}
	}
	return orb.Polygon{append(r, lattice(0, 0))}
}

// spiral is a thick Archimedean spiral arm of the given turns: long thin
// corridors with many nearly parallel edges.
func spiral(turns, perTurn int) orb.Polygon {
	n := turns * perTurn
	outer := make(orb.Ring, 0, 2*n+3)
	inner := make(orb.Ring, 0, n+1)
	for k := 0; k <= n; k++ {
		t := 2 * math.Pi * float64(k) / float64(perTurn)
		r := 2 + 3*t/(2*math.Pi)
		s, c := math.Sincos(t)
		outer = append(outer, orb.Point{31 + (r+1)*c/64, 48 + (r+1)*s/64})
		inner = append(inner, orb.Point{31 + (r-0.5)*c/64, 48 + (r-0.5)*s/64})
	}
	for k := len(inner) - 1; k >= 0; k-- {
		outer = append(outer, inner[k])
	}
	outer = append(outer, outer[0])
	return orb.Polygon{outer}
}

// holes is a square with k×k square holes, some touching each other at a
// corner, the holes' rings wound either way.
func holes(k int) orb.Polygon {
	size := float64(3*k + 1)
	p := orb.Polygon{rect(40, 0, 40+size, size)}
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			h := rect(41+float64(3*i), 1+float64(3*j), 43+float64(3*i), 3+float64(3*j))
			if (i+j)%2 == 1 {
				h.Reverse()
			}
			p = append(p, h)
		}
	}
	return p
}

// star is a ring whose vertices alternate between two radii, with several
// vertices on one horizontal line.
func star(n int) orb.Polygon {
	r := make(orb.Ring, 0, 2*n+1)
	for k := 0; k < 2*n; k++ {
		rad := 10.0
		if k%2 == 1 {
			rad = 4
		}
		t := math.Pi * float64(k) / float64(n)
		r = append(r, lattice(20+math.Round(rad*math.Cos(t)), -20+math.Round(rad*math.Sin(t))))
	}
	r = append(r, r[0])
	return orb.Polygon{r}
}

// adversarialZones returns overlapping generated zones: a comb, a spiral,
// a square full of holes, a star, a MultiPolygon of touching squares and a
// zone sharing edges with the comb.
func adversarialZones() []Zone {
	geoms := []orb.MultiPolygon{
		{comb(40)},
		{spiral(12, 90)},
		{holes(8)},
		{star(24)},
		{{rect(0, 10, 4, 14)}, {rect(4, 14, 8, 18)}, {rect(4, 10, 8, 12)}},
		{{rect(1, 1, 3, 6)}},
	}
	zones := make([]Zone, len(geoms))
	for i, g := range geoms {
		zones[i] = Zone{ID: fmt.Sprintf("gen-%d", i), File: "generated", Feature: i, Geometry: g}
	}
	return zones
}

// tiledZones covers the bounding box of Ukraine with nx×ny zones, each a
// jittered quadrilateral whose four sides are wiggly lines of perSide
// edges shared exactly with its neighbours: many zones, many boundaries.
func tiledZones(nx, ny, perSide int) []Zone {
	const lon0, lat0, lon1, lat1 = 22.0, 44.3, 40.3, 52.5
	cw, ch := (lon1-lon0)/float64(nx), (lat1-lat0)/float64(ny)
	node := func(i, j int) orb.Point {
		p := orb.Point{lon0 + float64(i)*cw, lat0 + float64(j)*ch}
		if i > 0 && i < nx && j > 0 && j < ny {
			p[0] += 0.2 * cw * math.Sin(float64(7*i+13*j))
			p[1] += 0.2 * ch * math.Cos(float64(11*i+5*j))
		}
		return p
	}
	// side returns the shared wiggly line from a to b (seeded by s).
	side := func(a, b orb.Point, s float64, wiggle bool) []orb.Point {
		line := make([]orb.Point, perSide+1)
		dx, dy := b[0]-a[0], b[1]-a[1]
		for k := 0; k <= perSide; k++ {
			t := float64(k) / float64(perSide)
			off := 0.0
			if wiggle && k > 0 && k < perSide {
				off = 0.05 * math.Sin(math.Pi*t) * math.Sin(s+float64(k)*1.7)
			}
			line[k] = orb.Point{a[0] + t*dx - off*dy, a[1] + t*dy + off*dx}
		}
		return line
	}
	h := func(i, j int) []orb.Point { return side(node(i, j), node(i+1, j), float64(i*31+j), j > 0 && j < ny) }
	v := func(i, j int) []orb.Point { return side(node(i, j), node(i, j+1), float64(i*17+j*3), i > 0 && i < nx) }
	zones := make([]Zone, 0, nx*ny)
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			r := orb.Ring(append([]orb.Point(nil), h(i, j)...))
			r = append(r, v(i+1, j)[1:]...)
			top := h(i, j+1)
			for k := len(top) - 2; k >= 0; k-- {
				r = append(r, top[k])
			}
			left := v(i, j)
			for k := len(left) - 2; k >= 0; k-- {
				r = append(r, left[k])
			}
			zones = append(zones, Zone{ID: fmt.Sprintf("tile-%d-%d", i, j), File: "generated", Feature: len(zones),
				Geometry: orb.MultiPolygon{{r}}})
		}
	}
	return zones
}

// staircaseZones returns two zones sharing a staircase border, with
// horizontal edges and vertices on the lattice, and a square overlapping
// both.
func staircaseZones() []Zone {
	var border []orb.Point
	for k := 0; k <= 10; k++ {
		x, y := float64(10+2*k), float64(2*k)
		if k > 0 {
			border = append(border, lattice(x-2, y))
		}
		border = append(border, lattice(x, y))
	}
	west, east := splitBy(border)
	return []Zone{
		{ID: "west", File: "generated", Geometry: orb.MultiPolygon{{west}}},
		{ID: "east", File: "generated", Feature: 1, Geometry: orb.MultiPolygon{{east}}},
		{ID: "square", File: "generated", Feature: 2, Geometry: orb.MultiPolygon{{rect(18, 5, 26, 15)}}},
	}
}

// zigzagZones returns two zones sharing a border that is straight but for
// a short stretch of many tiny zigzags: cells sized for the long edges
// hold several of the short ones, so some leaves are borders of two zones
// with three or more edges each.
func zigzagZones() []Zone {
	border := []orb.Point{lattice(20, 0)}
	for k := 0; k <= 60; k++ {
		border = append(border, lattice(20+0.05*float64(k%2), 9+float64(k)/30))
	}
	border = append(border, lattice(20, 20))
	west, east := splitBy(border)
	return []Zone{
		{ID: "west", File: "generated", Geometry: orb.MultiPolygon{{west}}},
		{ID: "east", File: "generated", Feature: 1, Geometry: orb.MultiPolygon{{east}}},
	}
}

// splitBy returns the rings west and east of border, a line from the
// bottom to the top of the lattice rectangle (0, 0)–(40, 20).
func splitBy(border []orb.Point) (west, east orb.Ring) {
	west = orb.Ring{lattice(0, 0)}
	west = append(west, border...)
	west = append(west, lattice(0, 20), lattice(0, 0))
	east = orb.Ring{lattice(40, 0), lattice(40, 20)}
	for k := len(border) - 1; k >= 0; k-- {
		east = append(east, border[k])
	}
	return west, append(east, lattice(40, 0))
}
