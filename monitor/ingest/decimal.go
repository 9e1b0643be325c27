package ingest

// plainDecimal is a number written as an optional minus, digits, and an
// optional point followed by digits: 15 digits at most in all, so that it
// is exact in a float64 with its power of ten.
type plainDecimal struct {
	neg        bool
	int, frac  string // the digits before and after the point
	mant       uint64 // all the digits as one integer
	fracDigits int
}

// maxPlainDigits is the most digits a plainDecimal holds: below 2⁵³, and
// few enough that two such numbers never round to the same float64.
const maxPlainDigits = 15

// pow10 holds the powers of ten a plainDecimal divides by, all exact.
var pow10 = [maxPlainDigits + 1]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// readPlainDecimal reads s as a plainDecimal; ok is false for anything
// else (signs other than a leading minus, exponents, a point without
// digits after it, spaces, more than 15 digits, ...).
func readPlainDecimal(s string) (d plainDecimal, ok bool) {
	if len(s) > 0 && s[0] == '-' {
		d.neg, s = true, s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d.mant = d.mant*10 + uint64(s[i]-'0')
		i++
	}
	d.int = s[:i]
	if i < len(s) {
		if s[i] != '.' || i+1 == len(s) {
			return d, false
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			d.mant = d.mant*10 + uint64(s[j]-'0')
			j++
		}
		if j < len(s) {
			return d, false
		}
		d.frac = s[i+1:]
	}
	n := len(d.int) + len(d.frac)
	d.fracDigits = len(d.frac)
	return d, n > 0 && n <= maxPlainDigits
}

// value returns d as strconv.ParseFloat reads it: the mantissa and the
// power of ten are exact, so one division rounds as ParseFloat does.
func (d plainDecimal) value() float64 {
	v := float64(d.mant) / pow10[d.fracDigits]
	if d.neg {
		return -v
	}
	return v
}

// fastFloat reads s as strconv.ParseFloat(s, 64) does when s is a plain
// decimal; ok is false otherwise, and the caller must use ParseFloat.
func fastFloat(s string) (v float64, ok bool) {
	d, ok := readPlainDecimal(s)
	if !ok {
		return 0, false
	}
	return d.value(), true
}

// appendCoordText appends v, read from the text s, as appendCoord does.
// When s is a plain decimal its digits, without leading and trailing
// zeros, are those appendCoord would write (the shortest that read back to
// v: no other number of 15 digits or fewer reads back to the same float),
// so they are copied instead of computed.
func appendCoordText(dst []byte, s string, v float64) []byte {
	d, ok := readPlainDecimal(s)
	if !ok || v == 0 || d.value() != v {
		return appendCoord(dst, v)
	}
	in, frac := d.int, d.frac
	for len(in) > 0 && in[0] == '0' {
		in = in[1:]
	}
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if d.neg {
		dst = append(dst, '-')
	}
	if in == "" {
		dst = append(dst, '0')
	}
	dst = append(dst, in...)
	if frac != "" {
		dst = append(append(dst, '.'), frac...)
	}
	return dst
}
