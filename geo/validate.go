package geo

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// swapCheck gathers what is needed to tell a file written as [lat, lon]
// from one with a few bad latitudes.
type swapCheck struct {
	latErrs   []error // latitude out of range, held back until finish
	positions int
	swapOK    int // positions that would be valid as [lat, lon]
	first     string
}

// multiPolygon converts and validates the coordinates of one feature. It
// reports every problem it finds in l and returns an error only to say
// that the feature must not become a zone.
func (l *loader) multiPolygon(where string, coords [][][][]float64, multi bool) (orb.MultiPolygon, error) {
	if len(coords) == 0 {
		kind := "Polygon"
		if multi {
			kind = "MultiPolygon"
		}
		return nil, fmt.Errorf("empty %s geometry", kind)
	}
	bad := false
	mp := make(orb.MultiPolygon, 0, len(coords))
	for pi, poly := range coords {
		if len(poly) == 0 {
			l.errs = append(l.errs, fmt.Errorf("%s: polygon %d: empty polygon", where, pi))
			bad = true
			continue
		}
		p := make(orb.Polygon, 0, len(poly))
		for ri, ring := range poly {
			r, ok := l.ring(fmt.Sprintf("%s: polygon %d ring %d", where, pi, ri), ring)
			bad = bad || !ok
			p = append(p, r)
		}
		mp = append(mp, p)
	}
	if bad {
		return nil, errSilent
	}
	return mp, nil
}

// errSilent marks a feature whose problems were already reported.
var errSilent = errors.New("invalid geometry")

// ring converts and validates one ring, dropping consecutive repeats.
func (l *loader) ring(where string, coords [][]float64) (orb.Ring, bool) {
	ok := true
	r := make(orb.Ring, 0, len(coords))
	for vi, c := range coords {
		if len(c) < 2 {
			l.errs = append(l.errs, fmt.Errorf("%s vertex %d: position %v has too few numbers, need 2 or 3", where, vi, c))
			ok = false
			continue
		}
		x, y := c[0], c[1]
		if err := l.checkPosition(where, vi, x, y); err != nil {
			if err != errSilent {
				l.errs = append(l.errs, err)
			}
			ok = false
		}
		if n := len(r); n > 0 && r[n-1] == (orb.Point{x, y}) {
			continue
		}
		r = append(r, orb.Point{x, y})
	}
	if !ok {
		return nil, false
	}
	if err := checkRing(where, r); err != nil {
		l.errs = append(l.errs, err)
		return nil, false
	}
	return r, true
}

// checkPosition checks one position; a latitude out of range is held back
// in l.swapped to be reported by finish.
func (l *loader) checkPosition(where string, vi int, x, y float64) error {
	s := &l.swapped
	s.positions++
	if math.Abs(x) <= 90 && math.Abs(y) <= 180 {
		s.swapOK++
	}
	switch {
	case math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0):
		return fmt.Errorf("%s vertex %d: coordinate is not a finite number", where, vi)
	case x < -180 || x > 180:
		return fmt.Errorf("%s vertex %d: longitude %g out of range [-180, 180]", where, vi, x)
	case y < -90 || y > 90:
		if s.first == "" {
			s.first = fmt.Sprintf("%s vertex %d", strings.TrimPrefix(where, l.name+": "), vi)
		}
		s.latErrs = append(s.latErrs, fmt.Errorf("%s vertex %d: latitude %g out of range [-90, 90]", where, vi, y))
		return errSilent
	}
	return nil
}

// finish reports the held-back latitude errors, or one error saying that
// the file has latitude and longitude swapped when every position would be
// valid read as [latitude, longitude].
func (l *loader) finish() {
	s := &l.swapped
	if len(s.latErrs) == 0 {
		return
	}
	if s.swapOK == s.positions {
		l.errs = append(l.errs, fmt.Errorf("%s: %d positions have a latitude outside [-90, 90] (first: %s), "+
			"but all would be valid read as [latitude, longitude]: the file seems to have latitude and longitude swapped; "+
			"GeoJSON positions are [longitude, latitude]", l.name, len(s.latErrs), s.first))
		return
	}
	l.errs = append(l.errs, s.latErrs...)
}

// checkRing checks a ring of finite, in-range positions without
// consecutive repeats: closed, at least 4 positions, no edge spanning more
// than 180° of longitude, no self-intersection. where locates the ring.
func checkRing(where string, r orb.Ring) error {
	n := len(r)
	if n > 0 && r[0] != r[n-1] {
		return fmt.Errorf("%s: ring is not closed: first position [%g %g], last [%g %g]",
			where, r[0][0], r[0][1], r[n-1][0], r[n-1][1])
	}
	if n < 4 {
		return fmt.Errorf("%s: ring has %d positions (repeats removed), need at least 4", where, n)
	}
	for i := 0; i+1 < n; i++ {
		if math.Abs(r[i+1][0]-r[i][0]) > 180 {
			return fmt.Errorf("%s vertex %d: edge to longitude %g from %g crosses the antimeridian; "+
				"such rings are not supported: split the zone at ±180° into a MultiPolygon",
				where, i, r[i+1][0], r[i][0])
		}
	}
	if i, j, ok := selfIntersection(r); ok {
		return fmt.Errorf("%s: ring self-intersects: edge %d [%g %g]–[%g %g] meets edge %d [%g %g]–[%g %g]",
			where, i, r[i][0], r[i][1], r[i+1][0], r[i+1][1], j, r[j][0], r[j][1], r[j+1][0], r[j+1][1])
	}
	return nil
}
