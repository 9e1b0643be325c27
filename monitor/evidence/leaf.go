package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Kind names a kind of leaf. It is the second word of an encoded leaf's
// first line.
type Kind string

// The leaf kinds.
const (
	KindDocument   Kind = "document"   // a document fetched from a source
	KindIncident   Kind = "incident"   // an incident stored
	KindViolation  Kind = "violation"  // a violation found
	KindRetraction Kind = "retraction" // a violation withdrawn
	KindVersion    Kind = "version"    // a config or zone file loaded
)

// Digest is a SHA-256 digest of some content: a document, a raw record, a
// zone or config file. In an encoded leaf it is written as 64 lowercase
// hexadecimal digits.
type Digest [sha256.Size]byte

// Sum returns the SHA-256 digest of b.
func Sum(b []byte) Digest { return sha256.Sum256(b) }

// String returns d as 64 lowercase hexadecimal digits.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// ParseDigest parses 64 lowercase hexadecimal digits.
func ParseDigest(s string) (Digest, error) {
	var d Digest
	if len(s) != 2*len(d) {
		return d, fmt.Errorf("digest %q: want %d hexadecimal digits", s, 2*len(d))
	}
	if _, err := hex.Decode(d[:], []byte(s)); err != nil {
		return d, fmt.Errorf("digest %q: %w", s, err)
	}
	if d.String() != s {
		return d, fmt.Errorf("digest %q: want lowercase hexadecimal digits", s)
	}
	return d, nil
}

// Leaf is one entry of the log. Its implementations are the structs of
// this package, one per Kind; Encode turns a Leaf into the bytes that are
// hashed and Decode turns them back.
type Leaf interface {
	// Kind returns the kind of the leaf.
	Kind() Kind
	fields() []field
}

// Document records one document fetched from a source: a file read or an
// HTTP response body, before decoding.
type Document struct {
	Source    string
	SHA256    Digest    // of the document's bytes as fetched
	FetchedAt time.Time // encoded in UTC
	// Cursor is the source's position after the document (a last id, a
	// time, an ETag); empty when the source keeps none.
	Cursor string
}

// Incident records one incident as stored. RawSHA256 is the SHA-256 of
// the raw source record, so that the record can be shown to be the one
// logged without the log holding it.
type Incident struct {
	Source       string
	ID           string
	OccurredAt   time.Time // encoded in UTC
	Lon, Lat     float64   // WGS84 degrees
	UncertaintyM float64   // meters; 0 when the point is taken as exact
	Category     string
	Confidence   float64 // 0..100; -1 when the source gives none
	RawSHA256    Digest
}

// Violation records a violation found: the incident (Source, IncidentID)
// judged in the trial's zone under the zone version and the config whose
// digests are given.
type Violation struct {
	Trial       string
	ZoneID      string
	Category    string
	Placement   string // inside, buffer or ambiguous
	Source      string
	IncidentID  string
	ZoneVersion Digest // SHA-256 of the zone file version the zone came from
	Config      Digest // SHA-256 of the config file in force
}

// Retraction records a violation withdrawn, because its incident was
// revised or deleted by its source. Its fields are those of the violation
// withdrawn.
type Retraction Violation

// Version records a config or zone file loaded, at start or on reload.
type Version struct {
	FileKind string // "config" or "zone"
	Name     string // the file's path as configured
	SHA256   Digest // of the file's bytes
}

// Kind returns KindDocument.
func (Document) Kind() Kind { return KindDocument }

// Kind returns KindIncident.
func (Incident) Kind() Kind { return KindIncident }

// Kind returns KindViolation.
func (Violation) Kind() Kind { return KindViolation }

// Kind returns KindRetraction.
func (Retraction) Kind() Kind { return KindRetraction }

// Kind returns KindVersion.
func (Version) Kind() Kind { return KindVersion }
