package ingest

import (
	"net/url"
)

// httpCursor is what NewHTTP remembers of a response: its validators and the
// hash of its body. It is stored as a URL-encoded query string, for example
// "etag=%22abc%22&last_modified=...&sha256=...".
type httpCursor struct {
	ETag         string
	LastModified string
	SHA256       string // hex
}

// String encodes c; fields that are empty are left out.
func (c httpCursor) String() string {
	v := url.Values{}
	if c.ETag != "" {
		v.Set("etag", c.ETag)
	}
	if c.LastModified != "" {
		v.Set("last_modified", c.LastModified)
	}
	if c.SHA256 != "" {
		v.Set("sha256", c.SHA256)
	}
	return v.Encode()
}

// parseHTTPCursor decodes a stored cursor. An empty or unreadable cursor
// yields the zero cursor, which makes the next fetch unconditional.
func parseHTTPCursor(s string) httpCursor {
	v, err := url.ParseQuery(s)
	if err != nil {
		return httpCursor{}
	}
	return httpCursor{ETag: v.Get("etag"), LastModified: v.Get("last_modified"), SHA256: v.Get("sha256")}
}
