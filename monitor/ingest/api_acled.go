package ingest

import (
	"bytes"
	"context"
	"io"
	"net/url"

	"github.com/ceasefired/ceasefired/monitor"
)

// Defaults of ACLEDAPIOptions.
const (
	DefaultACLEDAPIBaseURL  = "https://api.acleddata.com"
	DefaultACLEDAPIPageSize = 5000
	// ACLEDAPIKey is the key of the documents of NewACLEDAPI.
	ACLEDAPIKey = "acled-api"
)

// acledRequired are the columns NewACLED cannot do without; a document of
// deletions only is written with this header and no rows.
var acledRequired = []string{"event_id_cnty", "event_date", "sub_event_type", "latitude", "longitude", "geo_precision"}

// ACLEDAPIOptions configure NewACLEDAPI.
type ACLEDAPIOptions struct {
	// BaseURL is the API root, without the endpoint path; "" means
	// DefaultACLEDAPIBaseURL.
	BaseURL string
	// Key and Email are the API credentials, sent as the key and email
	// query parameters. They never appear in errors.
	Key, Email string
	// Query holds further filters sent with every events request, for
	// example country=Ukraine. key, email, page, limit, timestamp and
	// timestamp_where are set by the fetcher and override values here.
	Query url.Values
	// PageSize is the number of records asked for per page (the limit
	// parameter); 0 means DefaultACLEDAPIPageSize.
	PageSize int
	Transport
}

type acledAPI struct {
	o ACLEDAPIOptions
	c *apiClient
}

// NewACLEDAPI returns a fetcher that reads ACLED events from the API's
// acled/read endpoint, page by page (page=1, 2, ... until a page holds
// fewer than PageSize records), and hands them over as one document, keyed
// ACLEDAPIKey, in the CSV layout NewACLED reads: the header is the union of
// the records' field names, sorted. A failure on any page yields no
// document, so the next fetch starts again from the stored cursor.
//
// The fetch is incremental by the records' timestamp field (unix seconds
// of the last change): the cursor keeps the highest timestamp seen and a
// hash of the ids that carry it, and the next fetch asks only for records
// with timestamp >= that value. When the answer is only the records
// already seen at that instant, nothing is new. A record whose timestamp
// is unreadable is passed on but does not move the cursor.
//
// From the second fetch on, the deleted/read endpoint is asked for the ids
// deleted since the cursor (deleted_timestamp >= it; on the first fetch
// nothing is stored yet, so nothing needs retracting). They are returned in
// Document.Deleted for the store to retract; a fetch with deletions but no
// new records yields a document with a header and no rows. When there are
// neither, Fetch returns no document.
//
// Failures are marked for retry as NewUCDPAPI describes. Errors name the key and
// the page, never a URL, the key or the email.
func NewACLEDAPI(o ACLEDAPIOptions) monitor.Fetcher {
	if o.BaseURL == "" {
		o.BaseURL = DefaultACLEDAPIBaseURL
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultACLEDAPIPageSize
	}
	o.Transport = o.Transport.withDefaults()
	c := newAPIClient(ACLEDAPIKey, o.Transport, o.Key, o.Email)
	return &acledAPI{o: o, c: c}
}

// Fetch implements monitor.Fetcher.
func (f *acledAPI) Fetch(ctx context.Context, cursors map[string]string) ([]monitor.Document, error) {
	stored := cursors[ACLEDAPIKey]
	prev := parseACLEDCursor(stored)
	b := &budget{left: f.o.MaxBytes, limit: f.o.MaxBytes}
	recs, events, err := f.events(ctx, prev.Events.TS, b)
	if err != nil {
		return nil, err
	}
	next := acledCursor{Events: prev.Events, Deleted: prev.Deleted}
	fresh := len(recs.rows) > 0 && (stored == "" || events != prev.Events)
	if len(recs.rows) > 0 {
		next.Events = events
	}
	var deleted []string
	if prev.Events.TS == 0 {
		// First fetch: later deletions count from the newest record on.
		next.Deleted = watermark{TS: next.Events.TS}
	} else {
		since := prev.Deleted
		if since.TS == 0 {
			since = watermark{TS: prev.Events.TS}
		}
		ids, mark, err := f.deletions(ctx, since.TS, b)
		if err != nil {
			return nil, err
		}
		next.Deleted = since
		if len(ids) > 0 && mark != since {
			deleted, next.Deleted = ids, mark
		}
	}
	if !fresh && len(deleted) == 0 {
		return nil, nil
	}
	header, rows := acledRequired, recs.rows[:0]
	if fresh {
		header, rows = recs.header(nil), recs.rows
	}
	content, err := writeCSV(header, rows)
	if err != nil {
		return nil, f.c.errorf("%w", err)
	}
	doc := monitor.Document{
		Key:     ACLEDAPIKey,
		Cursor:  next.String(),
		Open:    func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil },
		Deleted: deleted,
	}
	return []monitor.Document{doc}, nil
}
