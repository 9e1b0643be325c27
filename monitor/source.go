package monitor

import (
	"context"
	"io"
)

// RejectReason is the label value under which a rejected row is counted.
// The set is small and fixed so that it is safe as a metric label.
type RejectReason string

// Reject reasons: the one list of them, shared by the decoders and the
// evaluator.
const (
	ReasonShortRow        RejectReason = "short_row"          // fewer fields than the header
	ReasonBadCoordinate   RejectReason = "bad_coordinate"     // not a finite number
	ReasonOutOfRange      RejectReason = "coordinate_range"   // |lat| > 90 or |lon| > 180
	ReasonBadTime         RejectReason = "bad_time"           // missing or impossible date/time
	ReasonBadConfidence   RejectReason = "bad_confidence"     // unreadable confidence value
	ReasonLowConfidence   RejectReason = "low_confidence"     // below the source's min_confidence
	ReasonStaticSource    RejectReason = "static_source"      // FIRMS type filtered (e.g. 2, static land source)
	ReasonBadCategory     RejectReason = "bad_category"       // category value not mapped
	ReasonMissingID       RejectReason = "missing_id"         // id column empty
	ReasonMalformed       RejectReason = "malformed"          // a row the format reader could not parse at all
	ReasonNotSpatial      RejectReason = "not_spatial"        // location too imprecise for zone matching
	ReasonDuplicateInFile RejectReason = "duplicate_in_batch" // same id twice in one document
	ReasonBadPrecision    RejectReason = "bad_precision"      // UCDP where_prec or ACLED geo_precision missing or unknown
	ReasonNotPoint        RejectReason = "not_point"          // a GeoJSON feature whose geometry is not a Point
	ReasonBadUncertainty  RejectReason = "bad_uncertainty"    // uncertainty_m not a finite number >= 0
	// ReasonUncertaintyTooLarge: uncertainty_m above the source's cap; too
	// vague to place, and costly to match against every zone it reaches.
	ReasonUncertaintyTooLarge RejectReason = "uncertainty_too_large"
	// ReasonInvalidID: an id that is not valid UTF-8 text; read as text,
	// two such ids could become the same.
	ReasonInvalidID RejectReason = "invalid_id"
	// ReasonFuture: an event time later than now plus
	// Limits.MaxFutureSkew, most likely from a device whose clock is wrong.
	ReasonFuture RejectReason = "future"
)

// Sink receives what a Decoder reads. It is called from the decoding
// goroutine only.
type Sink interface {
	// Incident receives one decoded incident; the decoder may reuse the
	// pointer after the call returns. An error stops decoding and is returned
	// by Decode.
	Incident(inc *Incident) error
	// Reject counts one record that was not turned into an incident. line is
	// the 1-based line (or record) number in the document.
	Reject(line int, reason RejectReason, err error)
}

// Decoder turns one document of a feed format into incidents. Decode returns
// an error only when the document as a whole is unusable (no header, wrong
// format); a bad row is reported to Sink.Reject and decoding goes on.
// Decoders are safe for concurrent use.
type Decoder interface {
	Decode(r io.Reader, name string, sink Sink) error
}

// Document is one unit a Fetcher found to be new or changed: a file or an
// HTTP response body. Cursor is the opaque value to store once the document
// has been ingested, so that an unchanged document is not read again.
type Document struct {
	Key    string // file path or URL
	Cursor string
	Open   func() (io.ReadCloser, error)
	// Deleted lists incident ids the source reports as withdrawn since the
	// last fetch (an API's deleted-records list); their violations are
	// retracted when the document is stored.
	Deleted []string
}

// Fetcher finds the documents of a source that changed since they were last
// ingested. cursors maps a document key to the cursor stored with it.
type Fetcher interface {
	Fetch(ctx context.Context, cursors map[string]string) ([]Document, error)
}
