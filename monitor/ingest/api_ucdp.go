package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
)

// Defaults of UCDPAPIOptions.
const (
	DefaultUCDPAPIBaseURL  = "https://ucdpapi.pcr.uu.se/api/gedevents/25.1"
	DefaultUCDPAPIPageSize = 1000
)

// UCDPAPIOptions configure NewUCDPAPI.
type UCDPAPIOptions struct {
	// BaseURL is the gedevents endpoint of one GED version; "" means
	// DefaultUCDPAPIBaseURL. Its last path element, the version, is part of
	// the document key.
	BaseURL string
	// Token is sent as the x-ucdp-access-token header when not empty. It
	// never appears in errors.
	Token string
	// Query holds filters sent with every request, for example
	// Country=369. pagesize and page are set by the fetcher.
	Query url.Values
	// PageSize is the number of events asked for per page; 0 means
	// DefaultUCDPAPIPageSize.
	PageSize int
	Transport
}

type ucdpAPI struct {
	o   UCDPAPIOptions
	key string
	c   *apiClient
}

// NewUCDPAPI returns a fetcher that reads UCDP GED events from the UCDP API,
// page by page (pagesize=PageSize, page=0, 1, ... until TotalPages is
// reached or NextPageUrl is empty; the next URL itself is never followed,
// so the token goes to BaseURL's host only), and hands them over as one
// document in the CSV layout NewUCDP reads: the header is the union of the
// events' field names, the GED columns in their standard order first. Rows
// are sorted by id so that the content does not depend on the API's order.
//
// The key is "ucdp-api/" plus the version, the last element of BaseURL's
// path (for example "ucdp-api/25.1"), so a new version is a new document.
// GED events carry no change time: the cursor is the SHA-256 of the
// content, and an unchanged result set yields no document. So does an
// empty one.
//
// Each page is tried once. A failure on any page fails the whole fetch: no
// document, so the next fetch starts again. A network error, a body cut
// short, a 5xx or a 429 status (with its Retry-After) are marked
// monitor.Transient, and the runner retries the fetch; invalid JSON,
// another status or a body over MaxBytes are not. Errors name the key and
// the page, never a URL or the token.
func NewUCDPAPI(o UCDPAPIOptions) monitor.Fetcher {
	if o.BaseURL == "" {
		o.BaseURL = DefaultUCDPAPIBaseURL
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultUCDPAPIPageSize
	}
	o.Transport = o.Transport.withDefaults()
	key := "ucdp-api"
	if u, err := url.Parse(o.BaseURL); err == nil {
		if v := path.Base(strings.TrimSuffix(u.Path, "/")); v != "." && v != "/" {
			key += "/" + v
		}
	}
	c := newAPIClient(key, o.Transport, o.Token)
	if o.Token != "" {
		c.header.Set("x-ucdp-access-token", o.Token)
	}
	return &ucdpAPI{o: o, key: key, c: c}
}

// Fetch implements monitor.Fetcher.
func (f *ucdpAPI) Fetch(ctx context.Context, cursors map[string]string) ([]monitor.Document, error) {
	recs, err := f.events(ctx)
	if err != nil {
		return nil, err
	}
	if len(recs.rows) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(recs.rows, func(a, b map[string]string) int { return compareIDs(a["id"], b["id"]) })
	content, err := writeCSV(recs.header(gedColumns()), recs.rows)
	if err != nil {
		return nil, f.c.errorf("%w", err)
	}
	sum := sha256.Sum256(content)
	cursor := url.Values{"sha256": {hex.EncodeToString(sum[:])}}.Encode()
	if cursor == cursors[f.key] {
		return nil, nil
	}
	doc := monitor.Document{
		Key:    f.key,
		Cursor: cursor,
		Open:   func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(content)), nil },
	}
	return []monitor.Document{doc}, nil
}

// events reads every page.
func (f *ucdpAPI) events(ctx context.Context) (*apiRecords, error) {
	u, err := url.Parse(f.o.BaseURL)
	if err != nil {
		return nil, f.c.errorf("base URL: %w", hideURL(err))
	}
	q := maps.Clone(f.o.Query)
	if q == nil {
		q = url.Values{}
	}
	q.Set("pagesize", strconv.Itoa(f.o.PageSize))
	b := &budget{left: f.o.MaxBytes, limit: f.o.MaxBytes}
	var recs apiRecords
	for page := 0; ; page++ {
		q.Set("page", strconv.Itoa(page))
		u.RawQuery = q.Encode()
		name := fmt.Sprintf("page %d", page)
		body, err := f.c.get(ctx, u, name, b)
		if err != nil {
			return nil, err
		}
		p, err := parseUCDPPage(body)
		if err != nil {
			return nil, f.c.errorf("%s: %w", name, err)
		}
		for i, obj := range p.Result {
			if _, err := recs.add(obj); err != nil {
				return nil, f.c.errorf("%s record %d: %w", name, i+1, err)
			}
		}
		if len(p.Result) == 0 || p.NextPageURL == "" || page+1 >= p.TotalPages {
			return &recs, nil
		}
	}
}

// ucdpPage is one answer of the UCDP API.
type ucdpPage struct {
	TotalCount  int                          `json:"TotalCount"`
	TotalPages  int                          `json:"TotalPages"`
	NextPageURL string                       `json:"NextPageUrl"`
	Result      []map[string]json.RawMessage `json:"Result"`
}

// parseUCDPPage reads one answer; invalid JSON and a missing Result array
// are errors.
func parseUCDPPage(body []byte) (*ucdpPage, error) {
	var p ucdpPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if p.Result == nil {
		return nil, errors.New("answer has no Result array")
	}
	return &p, nil
}

// compareIDs orders ids that are digits only first, shorter before longer
// and then bytewise (numeric order, for ids without leading zeros), then
// all other ids bytewise. It is a total order, so the sort is stable
// whatever order the pages came in.
func compareIDs(a, b string) int {
	da, db := isDigits(a), isDigits(b)
	switch {
	case da && !db:
		return -1
	case db && !da:
		return 1
	case da && len(a) != len(b):
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
