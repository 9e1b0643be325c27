package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestMap(t *testing.T) {
	r := Build(fixtureInput(start.Add(5 * monitor.Day)))
	svg := string(r.Map(""))
	if n := strings.Count(svg, `<path class="zone`); n != 3 {
		t.Errorf("%d zone shapes, want 3 (one per zone of the trial)", n)
	}
	if n := strings.Count(svg, `class="marker"`); n != len(r.Violations) {
		t.Errorf("%d markers, want %d", n, len(r.Violations))
	}
	if n := strings.Count(svg, `fill-rule="evenodd"`); n != 3 {
		t.Errorf("%d evenodd zones, want 3", n)
	}
	// north: outer ring and hole; south: two parts.
	for zone, rings := range map[string]int{"north": 2, "east": 1, "south": 2} {
		m := regexp.MustCompile(`data-zone="` + zone + `" d="([^"]*)"`).FindStringSubmatch(svg)
		if m == nil || strings.Count(m[1], "M") != rings {
			t.Errorf("zone %s: want %d rings in its path", zone, rings)
		}
	}
	for _, p := range []string{"inside", "buffer", "ambiguous"} {
		if !strings.Contains(svg, `data-placement="`+p+`"`) {
			t.Errorf("no %s marker", p)
		}
	}
	if !strings.Contains(svg, "stroke-dasharray") || !strings.Contains(svg, `fill="#ffffff" stroke=`) {
		t.Error("ambiguous (dashed) or buffer (hollow) markers are not drawn apart")
	}
}

// TestHTMLIsSelfContained: the page loads nothing: no script, no
// stylesheet or image link, and every link is relative to the daemon.
func TestHTMLIsSelfContained(t *testing.T) {
	r := Build(fixtureInput(start.Add(5 * monitor.Day)))
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf, ""); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<script", "<link", "<img", "src=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "/api/v1/incidents/") {
			t.Errorf("link %q leaves the daemon", m[1])
		}
	}
	if n := strings.Count(page, `<td class="cell`); n != 3*6 {
		t.Errorf("%d strip cells, want 3 zones × 6 days", n)
	}
	if !strings.Contains(page, "@media print") {
		t.Error("no print style")
	}
}

func TestMarkdown(t *testing.T) {
	r := Build(fixtureInput(start.Add(5 * monitor.Day)))
	var buf bytes.Buffer
	if err := r.WriteMarkdown(&buf, "http://host:9797"); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{"# Trial report: freeze", "(http://host:9797/api/v1/incidents/field/a%2F1)", "## Methods", "FIRMS", "| north | 2 | · | 1 | · | · | ·* |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestZonePathThinsDetail: vertices closer than minStep on the page are
// left out, so a detailed boundary does not weigh the page down.
func TestZonePathThinsDetail(t *testing.T) {
	var ring orb.Ring
	for i := range 1000 {
		ring = append(ring, orb.Point{37 + float64(i)/1000, 48})
	}
	ring = append(ring, orb.Point{38, 49}, orb.Point{37, 49}, orb.Point{37, 48})
	p := newProjection(orb.Bound{Min: orb.Point{37, 48}, Max: orb.Point{38, 49}})
	d := p.zonePath(orb.MultiPolygon{{ring}})
	if n := strings.Count(d, "L"); n > 600 || n < 3 {
		t.Errorf("%d segments kept of 1002; want the sub-step ones left out, the corners kept", n)
	}
}

func TestMapNewest(t *testing.T) {
	r := Build(fixtureInput(start.Add(5 * monitor.Day)))
	for _, tt := range []struct {
		name    string
		limit   int
		markers int
		note    bool
	}{
		{"fewer than the limit", 100, 5, false},
		{"the newest two", 2, 2, true},
		{"none", 0, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svg := string(r.MapNewest("", tt.limit))
			if n := strings.Count(svg, `class="marker"`); n != tt.markers {
				t.Errorf("%d markers, want %d", n, tt.markers)
			}
			if got := strings.Contains(svg, "violations marked"); got != tt.note {
				t.Errorf("note shown: %v, want %v", got, tt.note)
			}
		})
	}
	if svg := string(r.MapNewest("", 1)); !strings.Contains(svg, "a%225") {
		t.Error("the one marker kept is not the newest violation")
	}
}
