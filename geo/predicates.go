package geo

import (
	"math"
	"math/big"
)

// orientErrBound bounds the rounding error of the float64 orientation
// determinant relative to the magnitudes of its two products (Shewchuk's
// ccwerrboundA).
const orientErrBound = 3.3306690738754716e-16

// orient returns the sign of the orientation of c relative to the directed
// line a→b: +1 when c lies to the left (counter-clockwise), -1 to the right,
// 0 when the three points are exactly collinear. The result is exact: a
// float64 filter decides almost every call and an arbitrary-precision
// evaluation decides the rest.
func orient(ax, ay, bx, by, cx, cy float64) int {
	if o := orientFast(ax, ay, bx, by, cx, cy); o != 0 {
		return o
	}
	return orientExact(ax, ay, bx, by, cx, cy)
}

// orientFast is the float64 filter of orient, small enough to be inlined:
// it returns the sign when rounding cannot change it and 0 when it might
// (exact collinearity included), leaving the decision to orientExact.
func orientFast(ax, ay, bx, by, cx, cy float64) int {
	det, bound := orientDet(ax, ay, bx, by, cx, cy)
	if det > bound {
		return 1
	}
	if det < -bound {
		return -1
	}
	return 0
}

// orientDet returns the float64 orientation determinant and a bound on its
// rounding error.
func orientDet(ax, ay, bx, by, cx, cy float64) (det, bound float64) {
	l := (bx - ax) * (cy - ay)
	r := (by - ay) * (cx - ax)
	return l - r, orientErrBound * (math.Abs(l) + math.Abs(r))
}

// orientExact evaluates the orientation determinant without rounding.
// When the four coordinate differences are exact in float64, as they are
// for nearby points, their products are split exactly with fused
// multiply-adds and summed as a floating-point expansion; otherwise
// big.Float decides: differences of two float64 values fit in 2,100 bits
// and their products in twice that, so these precisions are exact.
func orientExact(ax, ay, bx, by, cx, cy float64) int {
	if o, ok := orientExpansion(ax, ay, bx, by, cx, cy); ok {
		return o
	}
	for _, v := range [...]float64{ax, ay, bx, by, cx, cy} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0 // callers never pass these; answer rather than panic
		}
	}
	return orientBig(ax, ay, bx, by, cx, cy)
}

// orientExpansion is the exact orientation when the coordinate
// differences are exact; ok is false when they are not.
func orientExpansion(ax, ay, bx, by, cx, cy float64) (int, bool) {
	d1, ok1 := exactDiff(bx, ax)
	d2, ok2 := exactDiff(cy, ay)
	d3, ok3 := exactDiff(by, ay)
	d4, ok4 := exactDiff(cx, ax)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return 0, false
	}
	l := d1 * d2
	le := math.FMA(d1, d2, -l) // l + le == d1·d2 exactly
	r := d3 * d4
	re := math.FMA(d3, d4, -r)
	const tiny = 0x1p-960 // below this the FMA error term may be rounded
	if math.IsInf(l, 0) || math.IsInf(r, 0) || math.IsNaN(le) || math.IsNaN(re) ||
		(l != 0 && math.Abs(l) < tiny) || (r != 0 && math.Abs(r) < tiny) {
		return 0, false
	}
	var buf [4]float64
	e := growExpansion(buf[:0], le)
	e = growExpansion(e, -re)
	e = growExpansion(e, l)
	e = growExpansion(e, -r)
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] > 0 {
			return 1, true
		}
		if e[i] < 0 {
			return -1, true
		}
	}
	return 0, true
}

// exactDiff returns a - b and whether it is exact (Knuth's two-sum error
// term is zero).
func exactDiff(a, b float64) (float64, bool) {
	x := a - b
	bv := a - x
	av := x + bv
	return x, (a-av)+(bv-b) == 0 && !math.IsInf(x, 0)
}

// growExpansion adds b to the nonoverlapping expansion e (components in
// increasing magnitude, Shewchuk's GROW-EXPANSION) and returns the new
// expansion, whose sum is exactly that of e plus b.
func growExpansion(e []float64, b float64) []float64 {
	q := b
	var buf [5]float64
	out := buf[:0]
	for _, c := range e {
		s := q + c
		bv := s - q
		h := (q - (s - bv)) + (c - bv)
		q = s
		if h != 0 {
			out = append(out, h)
		}
	}
	out = append(out, q)
	return append(e[:0], out...)
}

// orientBig evaluates the orientation determinant with big.Float.
func orientBig(ax, ay, bx, by, cx, cy float64) int {
	const prec = 2200
	sub := func(p, q float64) *big.Float {
		x := new(big.Float).SetPrec(prec).SetFloat64(p)
		return x.Sub(x, new(big.Float).SetPrec(prec).SetFloat64(q))
	}
	l := new(big.Float).SetPrec(2*prec).Mul(sub(bx, ax), sub(cy, ay))
	r := new(big.Float).SetPrec(2*prec).Mul(sub(by, ay), sub(cx, ax))
	return l.Cmp(r)
}

// onSegment reports whether p lies on the closed segment a–b, exactly.
func onSegment(ax, ay, bx, by, px, py float64) bool {
	if px < min(ax, bx) || px > max(ax, bx) ||
		py < min(ay, by) || py > max(ay, by) {
		return false
	}
	return orient(ax, ay, bx, by, px, py) == 0
}

// crossesRay reports whether the edge a–b crosses the horizontal ray that
// starts at p and runs towards +x, under the half-open rule: an edge counts
// when exactly one endpoint lies strictly above p. Horizontal edges never
// count and a vertex on the ray counts once for the edge pair that passes
// through it. The caller handles points on the edge itself.
func crossesRay(ax, ay, bx, by, px, py float64) bool {
	if (ay > py) == (by > py) {
		return false
	}
	if ay < by {
		return orient(ax, ay, bx, by, px, py) > 0
	}
	return orient(bx, by, ax, ay, px, py) > 0
}

// segmentsIntersect reports whether the closed segments a–b and c–d share
// at least one point, exactly.
func segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy float64) bool {
	if max(ax, bx) < min(cx, dx) || max(cx, dx) < min(ax, bx) ||
		max(ay, by) < min(cy, dy) || max(cy, dy) < min(ay, by) {
		return false
	}
	o1 := orient(ax, ay, bx, by, cx, cy)
	o2 := orient(ax, ay, bx, by, dx, dy)
	o3 := orient(cx, cy, dx, dy, ax, ay)
	o4 := orient(cx, cy, dx, dy, bx, by)
	if o1*o2 < 0 && o3*o4 < 0 {
		return true
	}
	return (o1 == 0 && onSegment(ax, ay, bx, by, cx, cy)) ||
		(o2 == 0 && onSegment(ax, ay, bx, by, dx, dy)) ||
		(o3 == 0 && onSegment(cx, cy, dx, dy, ax, ay)) ||
		(o4 == 0 && onSegment(cx, cy, dx, dy, bx, by))
}
