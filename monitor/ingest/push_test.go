package ingest

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

const pushTime = "2026-12-01T10:00:00Z"

func pushItem(id string, lat float64, extra string) string {
	return fmt.Sprintf(`{"id":%q,"time":%q,"lat":%v,"lon":37.2,"category":"shelling"%s}`, id, pushTime, lat, extra)
}

func TestDecodePush(t *testing.T) {
	future := func(inc *monitor.Incident) (monitor.RejectReason, error) {
		if inc.OccurredAt.After(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)) {
			return monitor.ReasonFuture, errors.New("later than now")
		}
		return "", nil
	}
	tests := []struct {
		name      string
		body      string
		o         PushOptions
		incidents []string // ids
		duplicate int
		errors    []string // index:reason
	}{
		{"an array", "[" + pushItem("a", 48.6, "") + "," + pushItem("b", 48.7, "") + "]", PushOptions{}, []string{"a", "b"}, 0, nil},
		{"an empty array", "[]", PushOptions{}, nil, 0, nil},
		{"bad items by index", "[1,null," + pushItem("a", 91, "") + `,{"id":"b"}]`, PushOptions{},
			nil, 0, []string{"0:malformed", "1:malformed", "2:coordinate_range", "3:bad_coordinate"}},
		{"an identical repeat is a duplicate", "[" + pushItem("a", 48.6, "") + "," + pushItem("a", 48.6, "") + "]", PushOptions{}, []string{"a"}, 1, nil},
		{"the same content in another key order is a duplicate",
			`[{"id":"a","lat":48.6,"lon":37.2,"time":"` + pushTime + `","category":"shelling"},` + pushItem("a", 48.6, "") + "]",
			PushOptions{}, []string{"a"}, 1, nil},
		{"a repeat with other content: the last wins", "[" + pushItem("a", 48.6, "") + "," + pushItem("b", 48.6, "") + "," +
			pushItem("a", 48.7, "") + "," + pushItem("a", 48.6, `,"note":"x"`) + "]",
			PushOptions{}, []string{"a", "b"}, 2, nil},
		{"a rejected repeat leaves the earlier item", "[" + pushItem("a", 48.6, "") + "," + pushItem("a", 91, "") + "]",
			PushOptions{}, []string{"a"}, 0, []string{"1:coordinate_range"}},
		{"ids that differ in invalid UTF-8", "[" + strings.Replace(pushItem("X", 48.6, ""), `"X"`, "\"u\xff\"", 1) + "," +
			strings.Replace(pushItem("X", 48.7, ""), `"X"`, "\"u\xfe\"", 1) + `,` +
			strings.Replace(pushItem("X", 48.6, ""), `"X"`, `"v\udcff"`, 1) + "]",
			PushOptions{}, nil, 0, []string{"0:invalid_id", "1:invalid_id", "2:invalid_id"}},
		{"uncertainty above the cap", "[" + pushItem("a", 48.6, `,"uncertainty_m":50001`) + "," + pushItem("b", 48.6, `,"uncertainty_m":1e308`) + "," +
			pushItem("c", 48.6, `,"uncertainty_m":50000`) + "]",
			PushOptions{Points: PointOptions{MaxUncertaintyM: 50000}}, []string{"c"}, 0, []string{"0:uncertainty_too_large", "1:uncertainty_too_large"}},
		{"admission", "[" + pushItem("a", 48.6, "") + "," + strings.Replace(pushItem("b", 48.6, ""), pushTime, "2026-12-02T10:00:00Z", 1) + "]",
			PushOptions{Admit: future}, []string{"a"}, 0, []string{"1:future"}},
		{"a FeatureCollection, type last", `{"features":[
 {"type":"Feature","id":"g1","geometry":{"type":"Point","coordinates":[38.5,48.4]},"properties":{"time":"` + pushTime + `","category":"armed_clash"}},
 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[38.5,48.4],[38.6,48.5]]},"properties":{"id":"g2"}},
 {"type":"Feature","id":"g3","geometry":{"type":"Point","coordinates":[38.5,48.4]},"properties":{"id":"p3","time":"` + pushTime + `","category":"other"}},
 "x"], "bbox":[1,2,3,4], "type":"FeatureCollection"}`, PushOptions{}, []string{"g1", "p3"}, 0, []string{"1:malformed", "3:malformed"}},
		{"features with ids that differ in invalid UTF-8", `{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"u` + "\xff" + `","geometry":{"type":"Point","coordinates":[38.5,48.4]},"properties":{"time":"` + pushTime + `","category":"other"}},
 {"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[38.5,48.4]},"properties":{"id":"u\udcfe","time":"` + pushTime + `","category":"other"}}]}`,
			PushOptions{}, nil, 0, []string{"0:invalid_id", "1:invalid_id"}},
		{"an item too long", "[" + pushItem("a", 48.6, `,"note":"`+strings.Repeat("x", MaxPushItem)+`"`) + "," + pushItem("b", 48.6, "") + "]",
			PushOptions{}, []string{"b"}, 0, []string{"0:malformed"}},
		{"exactly MaxItems", "[" + pushItem("a", 48.6, "") + "," + pushItem("b", 48.7, "") + "]", PushOptions{MaxItems: 2}, []string{"a", "b"}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePush(strings.NewReader(tt.body), tt.o)
			if err != nil {
				t.Fatal(err)
			}
			var ids, errs []string
			for i := range got.Incidents {
				checkIncident(t, &got.Incidents[i])
				ids = append(ids, got.Incidents[i].ID)
			}
			n := 0
			for _, e := range got.Errors {
				errs = append(errs, fmt.Sprintf("%d:%s", e.Index, e.Reason))
				if e.Error == "" {
					t.Errorf("item %d: no error text", e.Index)
				}
			}
			for _, c := range got.Rejected {
				n += c
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.incidents) || fmt.Sprint(errs) != fmt.Sprint(tt.errors) || got.Duplicate != tt.duplicate || n != len(got.Errors) {
				t.Errorf("incidents %v, errors %v, duplicate %d, rejected %v\nwant %v, %v, %d", ids, errs, got.Duplicate, got.Rejected, tt.incidents, tt.errors, tt.duplicate)
			}
			if got.Items != len(got.Incidents)+got.Duplicate+len(got.Errors) {
				t.Errorf("%d items read, but %d incidents + %d duplicates + %d errors", got.Items, len(got.Incidents), got.Duplicate, len(got.Errors))
			}
		})
	}
}

func TestDecodePushRefused(t *testing.T) {
	tests := []struct {
		name, body string
		max        int
		tooMany    bool
	}{
		{"an object that is no FeatureCollection", `{"id":1}`, 0, false},
		{"a Feature", `{"type":"Feature","features":[]}`, 0, false},
		{"no features", `{"type":"FeatureCollection"}`, 0, false},
		{"features not an array", `{"type":"FeatureCollection","features":{}}`, 0, false},
		{"features twice", `{"type":"FeatureCollection","features":[],"features":[]}`, 0, false},
		{"not JSON", `not json`, 0, false},
		{"two values", `[1] [2]`, 0, false},
		{"a number", `1`, 0, false},
		{"truncated", `[{"id":"a"},`, 0, false},
		{"broken inside an item", `[{"id":"a",]`, 0, false},
		{"empty", ``, 0, false},
		{"one item too many", `[{},{},{}]`, 2, true},
		{"too many in features", `{"type":"FeatureCollection","features":[{},{},{}]}`, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodePush(strings.NewReader(tt.body), PushOptions{MaxItems: tt.max})
			var tm *TooManyItemsError
			if err == nil || errors.As(err, &tm) != tt.tooMany {
				t.Errorf("error %v, want refused (too many items: %v)", err, tt.tooMany)
			}
		})
	}
}

// Reading stops at the item after MaxItems: the rest of a huge body is
// never read.
func TestDecodePushStopsAtMaxItems(t *testing.T) {
	r := &countingReader{r: io.MultiReader(strings.NewReader("["), strings.NewReader(strings.Repeat("{},", 5<<20)))}
	_, err := DecodePush(r, PushOptions{MaxItems: 1000})
	var tm *TooManyItemsError
	if !errors.As(err, &tm) || tm.Max != 1000 {
		t.Fatalf("error %v, want too many items", err)
	}
	if r.n > 64<<10 {
		t.Errorf("read %d bytes to find 1001 items of 3 bytes", r.n)
	}
}

// A read error of the body, such as the body limit, is passed on.
func TestDecodePushReadError(t *testing.T) {
	sentinel := errors.New("body too large")
	r := io.MultiReader(strings.NewReader(`[{"id":"a"},`), &failReader{sentinel})
	if _, err := DecodePush(r, PushOptions{}); !errors.Is(err, sentinel) {
		t.Errorf("error %v, want it to wrap the read error", err)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }

// An id given twice in one body with other content is a revision: the
// later content is the one kept, never silently dropped.
func TestDecodePushLastWins(t *testing.T) {
	body := "[" + pushItem("a", 48.6, "") + "," + pushItem("a", 48.7, `,"note":"x"`) + "]"
	got, err := DecodePush(strings.NewReader(body), PushOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Incidents) != 1 || got.Incidents[0].Lat != 48.7 || !strings.Contains(got.Incidents[0].Raw, `"note":"x"`) || got.Duplicate != 1 {
		t.Errorf("incidents %+v, duplicate %d: want the later a only", got.Incidents, got.Duplicate)
	}
}
