package evidence

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Header is the first word of every encoded leaf. A later, incompatible
// encoding gets a new header, so old leaves keep their meaning.
const Header = "ceasefired-evidence-v1"

// timeLayout is RFC 3339 in UTC with the fraction of a second trimmed of
// trailing zeros (and of its dot when zero).
const timeLayout = "2006-01-02T15:04:05.999999999Z"

// field is one named value of a leaf, pointing into the leaf it came
// from: a *string, *Digest, *time.Time or *float64.
type field struct {
	name string
	ptr  any
}

func (d *Document) ptrs() []field {
	return []field{{"source", &d.Source}, {"sha256", &d.SHA256},
		{"fetched_at", &d.FetchedAt}, {"cursor", &d.Cursor}}
}

func (i *Incident) ptrs() []field {
	return []field{{"source", &i.Source}, {"id", &i.ID}, {"occurred_at", &i.OccurredAt},
		{"lon", &i.Lon}, {"lat", &i.Lat}, {"uncertainty_m", &i.UncertaintyM},
		{"category", &i.Category}, {"confidence", &i.Confidence}, {"raw_sha256", &i.RawSHA256}}
}

func (v *Violation) ptrs() []field {
	return []field{{"trial", &v.Trial}, {"zone_id", &v.ZoneID}, {"category", &v.Category},
		{"placement", &v.Placement}, {"source", &v.Source}, {"incident_id", &v.IncidentID},
		{"zone_version_sha256", &v.ZoneVersion}, {"config_sha256", &v.Config}}
}

func (v *Version) ptrs() []field {
	return []field{{"file_kind", &v.FileKind}, {"name", &v.Name}, {"sha256", &v.SHA256}}
}

func (d Document) fields() []field   { return d.ptrs() }
func (i Incident) fields() []field   { return i.ptrs() }
func (v Violation) fields() []field  { return v.ptrs() }
func (r Retraction) fields() []field { return (*Violation)(&r).ptrs() }
func (v Version) fields() []field    { return v.ptrs() }

// Encode returns the canonical encoding of l, the bytes the log hashes:
// a first line "ceasefired-evidence-v1 KIND", then one line per field in
// the kind's fixed order, "NAME LENGTH:VALUE", LENGTH being the decimal
// byte length of VALUE. Texts are written as they are (they may hold any
// byte, newlines included: the length says where they end), digests as
// lowercase hex, times as RFC 3339 in UTC with trailing zeros of the
// fraction dropped, numbers as the shortest decimal that reads back as the
// same float64, without exponent (-0 is written as 0). docs/evidence.md
// gives the field order of each kind.
//
// Encode fails on a NaN or infinite number and on a time whose year in
// UTC is outside 0000..9999.
func Encode(l Leaf) ([]byte, error) {
	return AppendEncoding(make([]byte, 0, 384), l)
}

// AppendEncoding appends the encoding of l to b, as Encode.
func AppendEncoding(b []byte, l Leaf) ([]byte, error) {
	b = append(b, Header...)
	b = append(b, ' ')
	b = append(b, l.Kind()...)
	b = append(b, '\n')
	if i, ok := l.(Incident); ok {
		return appendIncident(b, &i)
	}
	var scratch [64]byte
	for _, f := range l.fields() {
		if s, ok := f.ptr.(*string); ok {
			b = appendField(b, f.name, *s)
			continue
		}
		v, err := appendValue(scratch[:0], f.ptr)
		if err != nil {
			return nil, fmt.Errorf("encode %s field %s: %w", l.Kind(), f.name, err)
		}
		b = appendField(b, f.name, v)
	}
	return b, nil
}

// appendField appends the line of one field: "NAME LENGTH:VALUE".
func appendField[V string | []byte](b []byte, name string, v V) []byte {
	b = append(b, name...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(v)), 10)
	b = append(b, ':')
	b = append(b, v...)
	return append(b, '\n')
}

// appendIncident appends the fields of i as the loop of AppendEncoding
// would, without boxing each of them: incidents are nearly all leaves.
func appendIncident(b []byte, i *Incident) ([]byte, error) {
	var scratch [64]byte
	b = appendField(b, "source", i.Source)
	b = appendField(b, "id", i.ID)
	v, err := appendTime(scratch[:0], i.OccurredAt)
	if err != nil {
		return nil, fmt.Errorf("encode incident field occurred_at: %w", err)
	}
	b = appendField(b, "occurred_at", v)
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"lon", i.Lon}, {"lat", i.Lat}, {"uncertainty_m", i.UncertaintyM}} {
		if v, err = appendNumber(scratch[:0], f.v); err != nil {
			return nil, fmt.Errorf("encode incident field %s: %w", f.name, err)
		}
		b = appendField(b, f.name, v)
	}
	b = appendField(b, "category", i.Category)
	if v, err = appendNumber(scratch[:0], i.Confidence); err != nil {
		return nil, fmt.Errorf("encode incident field confidence: %w", err)
	}
	b = appendField(b, "confidence", v)
	return appendField(b, "raw_sha256", hex.AppendEncode(scratch[:0], i.RawSHA256[:])), nil
}

// formatValue returns the encoded form of the value ptr points to.
func formatValue(ptr any) (string, error) {
	b, err := appendValue(nil, ptr)
	return string(b), err
}

// appendValue appends the encoded form of the value ptr points to.
func appendValue(b []byte, ptr any) ([]byte, error) {
	switch p := ptr.(type) {
	case *string:
		return append(b, *p...), nil
	case *Digest:
		return hex.AppendEncode(b, p[:]), nil
	case *time.Time:
		return appendTime(b, *p)
	case *float64:
		return appendNumber(b, *p)
	}
	panic(fmt.Sprintf("evidence: field of type %T", ptr))
}

// appendTime appends t in UTC as RFC 3339, trailing zeros of the fraction
// dropped; a year outside 0000..9999 is an error.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	t = t.UTC()
	if t.Year() < 0 || t.Year() > 9999 {
		return nil, fmt.Errorf("time %v: year outside 0000..9999", t)
	}
	return t.AppendFormat(b, timeLayout), nil
}

// appendNumber appends f as the shortest decimal that reads back as f,
// without exponent, -0 as 0; NaN and infinities are errors.
func appendNumber(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("number %v: not finite", f)
	}
	if f == 0 {
		return append(b, '0'), nil // also for -0
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64), nil
}

// Decode parses an encoded leaf. It accepts exactly the encodings Encode
// produces: Encode(Decode(b)) == b for every b Decode accepts.
func Decode(b []byte) (Leaf, error) {
	line, rest, ok := bytes.Cut(b, []byte{'\n'})
	if !ok {
		return nil, errors.New("decode leaf: no header line")
	}
	word, kind, _ := bytes.Cut(line, []byte{' '})
	if string(word) != Header {
		return nil, fmt.Errorf("decode leaf: header %.40q, want %q", word, Header)
	}
	var l Leaf
	var fields []field
	switch Kind(kind) {
	case KindDocument:
		d := new(Document)
		l, fields = d, d.ptrs()
	case KindIncident:
		i := new(Incident)
		l, fields = i, i.ptrs()
	case KindViolation:
		v := new(Violation)
		l, fields = v, v.ptrs()
	case KindRetraction:
		v := new(Violation)
		l, fields = (*Retraction)(v), v.ptrs()
	case KindVersion:
		v := new(Version)
		l, fields = v, v.ptrs()
	default:
		return nil, fmt.Errorf("decode leaf: unknown kind %.40q", kind)
	}
	if err := decodeFields(rest, fields); err != nil {
		return nil, fmt.Errorf("decode %s leaf: %w", kind, err)
	}
	return deref(l), nil
}

// deref turns the pointer Decode filled into the value Encode takes, so
// that a decoded leaf compares equal to the one encoded.
func deref(l Leaf) Leaf {
	switch p := l.(type) {
	case *Document:
		return *p
	case *Incident:
		return *p
	case *Violation:
		return *p
	case *Retraction:
		return *p
	case *Version:
		return *p
	}
	panic(fmt.Sprintf("evidence: leaf of type %T", l))
}
