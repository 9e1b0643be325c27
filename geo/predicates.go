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

// orientExact evaluates the orientation determinant without rounding. The
// differences of two float64 values fit in 2,100 bits and their products in
// twice that, so big.Float at these precisions is exact.
func orientExact(ax, ay, bx, by, cx, cy float64) int {
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
