// Package ingest implements the feed formats and transports of ceasefired:
// decoders (monitor.Decoder) for NASA FIRMS fire detections, generic CSV
// files, UCDP GED and ACLED event exports, GeoJSON Point collections and
// JSON lines (with DecodeItem for single pushed items), and fetchers
// (monitor.Fetcher) for local file globs, HTTP(S) URLs and the paged ACLED
// and UCDP APIs, whose pages become one CSV document per fetch read by the
// same decoders.
//
// Decoders never stop at a bad row: each one is reported to the sink's
// Reject with its 1-based line number and a reason, and decoding goes on.
// Only a document that is unusable as a whole (no header, a required column
// missing, an I/O error) makes Decode return an error. Decoders hold no
// mutable state and are safe for concurrent use. All times are UTC.
package ingest
