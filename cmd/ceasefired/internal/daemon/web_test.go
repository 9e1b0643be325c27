package daemon

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestLandingLeavesOutLargeTrials: a trial with more violations than the
// status page maps gets a link to its report instead of a map and strip
// read afresh at every refresh.
func TestLandingLeavesOutLargeTrials(t *testing.T) {
	now := time.Now().UTC()
	e := newTestEnv(t, now, "")
	var addr atomic.Pointer[string]
	d, err := New(e.options(&addr))
	if err != nil {
		t.Fatal(err)
	}
	d.landingMax = 0
	startBuilt(t, d)
	e.report(t, "big-1", now.Add(-time.Hour))
	var page string
	waitFor(t, 10*time.Second, "the violation on the status page", func() bool {
		_, page = get(t, *addr.Load()+"/")
		return strings.Contains(page, "too many violations to map")
	})
	if strings.Contains(page, `<svg class="map"`) || strings.Contains(page, `<table class="strip"`) {
		t.Error("the page still draws the large trial's map or strip")
	}
	if !strings.Contains(page, `href="trials/t1"`) {
		t.Error("no link to the full report")
	}
}
