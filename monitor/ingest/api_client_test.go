package ingest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", -1},
		{"7", 7 * time.Second},
		{" 0 ", 0},
		{"-3", -1},
		{"999999999", -1},
		{"soon", -1},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := retryAfter(tt.header, now); got != tt.want {
				t.Errorf("retryAfter(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestAPIClientRedacts(t *testing.T) {
	c := newAPIClient("src", Transport{}, apiKeySecret, "", apiToken)
	cause := errors.New("server said " + apiKeySecret + " and k3y-S3cr3t%21%2B%2F%3D and " + apiToken)
	err := c.errorf("page %d: %w", 1, cause)
	checkNoSecrets(t, err)
	if want := "fetch src: page 1: server said *** and *** and ***"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if !errors.Is(err, cause) {
		t.Error("the redacted error does not wrap its cause")
	}
	if strings.Contains(c.errorf("x").Error(), "***") {
		t.Error("an empty secret was redacted everywhere")
	}
}

func TestAPIClientRedirectDropsCredentials(t *testing.T) {
	var got http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = io.WriteString(w, "{}")
	}))
	defer other.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/moved", http.StatusFound)
	}))
	defer first.Close()
	c := newAPIClient("src", Transport{UserAgent: "ua"}, apiToken)
	c.header.Set("x-ucdp-access-token", apiToken)
	u, _ := url.Parse(first.URL)
	body, err := c.get(context.Background(), u, "page 0", &budget{left: 100, limit: 100})
	if err != nil || string(body) != "{}" {
		t.Fatalf("get: %q, %v", body, err)
	}
	if got == nil || got.Get("x-ucdp-access-token") != "" || got.Get("User-Agent") != "ua" {
		t.Errorf("redirected request headers %v; want the token dropped, the rest kept", got)
	}
}
