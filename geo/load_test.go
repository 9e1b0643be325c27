package geo

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// fc wraps features into a FeatureCollection.
func fc(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

// feature returns a feature with id property "id" (omitted when empty)
// and the given geometry JSON.
func feature(id, geometry string) string {
	props := `{}`
	if id != "" {
		props = fmt.Sprintf(`{"id":%q}`, id)
	}
	return fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":%s}`, props, geometry)
}

func polygon(rings string) string { return `{"type":"Polygon","coordinates":` + rings + `}` }

const square = `[[[30,48],[31,48],[31,49],[30,49],[30,48]]]`

func TestLoadErrors(t *testing.T) {
	const antimeridianRing = `[[[179,10],[-179,10],[-179,11],[179,11],[179,10]]]`
	tests := []struct {
		name string
		data string
		want string
	}{
		{"not JSON", `{`, `z.geojson:1:1: parse GeoJSON: unexpected end of JSON input`},
		{"empty", ``, `z.geojson:1:1: parse GeoJSON: unexpected end of JSON input`},
		{"wrong type", "{\n\"type\": \"FeatureCollection\",\r\n \"features\": 7}",
			`z.geojson:3:14: parse GeoJSON: json: cannot unmarshal number into Go struct field .features of type []geo.featureJSON`},
		{"not a collection", `{"type":"Feature"}`, `z.geojson: GeoJSON type "Feature", want FeatureCollection`},
		{"no features", fc(), `z.geojson: no Polygon or MultiPolygon features`},
		{"missing id", fc(feature("", polygon(square))), `z.geojson: feature 0: missing id property "id"`},
		{"duplicate id", fc(feature("A", polygon(square)), feature("A", polygon(square))),
			`z.geojson: feature 1 (id "A"): duplicate id, also used by feature 0`},
		{"null geometry", fc(feature("A", `null`)), `z.geojson: feature 0 (id "A"): geometry is null`},
		{"empty polygon", fc(feature("A", polygon(`[]`))), `z.geojson: feature 0 (id "A"): empty Polygon geometry`},
		{"empty multipolygon", fc(feature("A", `{"type":"MultiPolygon","coordinates":[]}`)),
			`z.geojson: feature 0 (id "A"): empty MultiPolygon geometry`},
		{"empty part", fc(feature("A", `{"type":"MultiPolygon","coordinates":[[]]}`)),
			`z.geojson: feature 0 (id "A"): polygon 0: empty polygon`},
		{"bad coordinates", fc(feature("A", polygon(`[[30,48]]`))),
			`z.geojson: feature 0 (id "A"): json: cannot unmarshal number into Go value of type []float64`},
		{"non-polygon", fc(feature("A", `{"type":"Point","coordinates":[30,48]}`)),
			`z.geojson: feature 0 (id "A"): geometry type Point is not Polygon or MultiPolygon`},
		{"unclosed ring", fc(feature("A", polygon(`[[[30,48],[31,48],[31,49],[30,49]]]`))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0: ring is not closed: first position [30 48], last [30 49]`},
		{"too few positions", fc(feature("A", polygon(`[[[30,48],[31,48],[31,48],[30,48]]]`))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0: ring has 3 positions (repeats removed), need at least 4`},
		{"short position", fc(feature("A", polygon(`[[[30,48],[31],[31,49],[30,48]]]`))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0 vertex 1: position [31] has too few numbers, need 2 or 3`},
		{"longitude out of range", fc(feature("A", polygon(`[[[30,48],[181,48],[31,49],[30,48]]]`))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0 vertex 1: longitude 181 out of range [-180, 180]`},
		{"latitude out of range", fc(feature("A", polygon(`[[[100,48],[101,95],[101,49],[100,48]]]`))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0 vertex 1: latitude 95 out of range [-90, 90]`},
		{"latitude and longitude swapped", fc(feature("A", polygon(`[[[35,139],[35,140],[36,140],[35,139]]]`))),
			`z.geojson: 4 positions have a latitude outside [-90, 90] (first: feature 0 (id "A"): polygon 0 ring 0 vertex 0), ` +
				`but all would be valid read as [latitude, longitude]: the file seems to have latitude and longitude swapped; ` +
				`GeoJSON positions are [longitude, latitude]`},
		{"self-intersecting", fc(feature("A", polygon(`[[[30,48],[31,49],[31,48],[30,49],[30,48]]]`))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0: ring self-intersects: edge 0 [30 48]–[31 49] meets edge 2 [31 48]–[30 49]`},
		{"spike", fc(feature("A", polygon(`[[[30,48],[32,48],[32,49],[32,48.5],[30,48]]]`))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0: ring self-intersects: edge 1 [32 48]–[32 49] meets edge 2 [32 49]–[32 48.5]`},
		{"ring touching itself", fc(feature("A", polygon(`[[[30,48],[32,48],[31,49],[31,48],[30,49],[30,48]]]`))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0: ring self-intersects: edge 0 [30 48]–[32 48] meets edge 3 [31 48]–[30 49]`},
		{"antimeridian", fc(feature("A", polygon(antimeridianRing))),
			`z.geojson: feature 0 (id "A"): polygon 0 ring 0 vertex 0: edge to longitude -179 from 179 crosses the antimeridian; ` +
				`such rings are not supported: split the zone at ±180° into a MultiPolygon`},
		{"all problems reported", fc(feature("", polygon(square)), feature("B", `null`)),
			"z.geojson: feature 0: missing id property \"id\"\nz.geojson: feature 1 (id \"B\"): geometry is null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zones, _, err := Load([]byte(tt.data), "z.geojson", LoadOptions{IDProperty: "id"})
			if err == nil || err.Error() != tt.want {
				t.Errorf("Load error:\n%v\nwant:\n%s", err, tt.want)
			}
			if zones != nil {
				t.Errorf("Load returned %d zones with an error", len(zones))
			}
		})
	}
}

func TestLoadRequiresIDProperty(t *testing.T) {
	_, _, err := Load([]byte(fc(feature("A", polygon(square)))), "z.geojson", LoadOptions{})
	if want := "z.geojson: no id property configured"; err == nil || err.Error() != want {
		t.Errorf("Load error = %v, want %q", err, want)
	}
}

func TestLoadFile(t *testing.T) {
	tests := []struct {
		name     string
		skip     bool
		wantErr  string
		wantWarn string
	}{
		{"non-polygon rejected", false,
			`testdata/zones.geojson: feature 2 (id "road"): geometry type LineString is not Polygon or MultiPolygon`, ""},
		{"non-polygon skipped", true, "",
			`skipped testdata/zones.geojson: feature 2 (id "road"): geometry type LineString is not Polygon or MultiPolygon`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := LoadOptions{IDProperty: "code", NameProperty: "name", SkipNonPolygon: tt.skip}
			zones, warnings, err := LoadFile("testdata/zones.geojson", opts)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("LoadFile error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != 1 || warnings[0] != tt.wantWarn {
				t.Errorf("warnings = %q, want [%q]", warnings, tt.wantWarn)
			}
			checkTestdataZones(t, zones)
		})
	}
}

// TestLoadFileNamesLineAndColumn: a file that is not JSON, or has a value
// of the wrong type, is reported at the line and column where decoding
// stopped.
func TestLoadFileNamesLineAndColumn(t *testing.T) {
	tests := []struct{ file, want string }{
		{"testdata/syntax_error.geojson", // a comma before the closing brace of line 11
			"testdata/syntax_error.geojson:11:5: parse GeoJSON: invalid character '}' looking for beginning of object key string"},
		{"testdata/type_error.geojson", // properties an array, on line 6
			"testdata/type_error.geojson:6:21: parse GeoJSON: json: cannot unmarshal array into Go struct field featureJSON.features.properties of type map[string]interface {}"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, _, err := LoadFile(tt.file, LoadOptions{IDProperty: "code"})
			if err == nil || err.Error() != tt.want {
				t.Errorf("LoadFile error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

func TestPosition(t *testing.T) {
	data := []byte("ab\ncd\r\n\nxé")
	tests := []struct {
		name      string
		offset    int64
		line, col int
	}{
		{"nothing read", 0, 1, 1},
		{"first byte", 1, 1, 1},
		{"end of first line", 3, 1, 3},
		{"start of second line", 4, 2, 1},
		{"carriage return", 6, 2, 3},
		{"empty line", 8, 3, 1},
		{"after a two-byte character", int64(len(data)), 4, 3},
		{"beyond the end", 100, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if line, col := position(data, tt.offset); line != tt.line || col != tt.col {
				t.Errorf("position(%d) = %d:%d, want %d:%d", tt.offset, line, col, tt.line, tt.col)
			}
		})
	}
}

// checkTestdataZones checks what testdata/zones.geojson must load to.
func checkTestdataZones(t *testing.T, zones []Zone) {
	t.Helper()
	if len(zones) != 2 {
		t.Fatalf("got %d zones, want 2", len(zones))
	}
	k, two := zones[0], zones[1]
	if k.ID != "K" || k.Name != "Ring with a hole" || k.File != "testdata/zones.geojson" || k.Feature != 0 {
		t.Errorf("zone 0 = %q %q %q %d", k.ID, k.Name, k.File, k.Feature)
	}
	if k.Properties["pop"] != 3.0 {
		t.Errorf("zone 0 properties = %v, want pop 3 kept", k.Properties)
	}
	if len(k.Geometry) != 1 || len(k.Geometry[0]) != 2 || k.Geometry[0][0][2] != (orb.Point{31, 51}) {
		t.Errorf("zone 0 geometry = %v, want one polygon with a hole, height dropped", k.Geometry)
	}
	if two.ID != "14" || len(two.Geometry) != 2 {
		t.Errorf("zone 1 = %q with %d parts, want numeric id 14 with 2 parts", two.ID, len(two.Geometry))
	}
	if n := len(two.Geometry[1][0]); n != 4 {
		t.Errorf("zone 1 part 1 has %d positions, want 4 (repeat dropped)", n)
	}
	ix, err := NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x, y float64
		want []int
	}{{30.1, 50.1, []int{0}}, {30.5, 50.5, nil}, {30.25, 50.5, []int{0}}, {32.5, 48.5, []int{1}}, {34.9, 48.5, []int{1}}} {
		if got := ix.Locate(c.x, c.y, nil); !equalInts(got, c.want) {
			t.Errorf("Locate(%v, %v) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct{ name, path, want string }{
		{"missing file", "testdata/nope.geojson", "read zones: open testdata/nope.geojson: no such file or directory"},
		{"swapped file", "testdata/swapped.geojson",
			`testdata/swapped.geojson: 5 positions have a latitude outside [-90, 90] (first: feature 0 (id "tokyo"): polygon 0 ring 0 vertex 0), ` +
				`but all would be valid read as [latitude, longitude]: the file seems to have latitude and longitude swapped; ` +
				`GeoJSON positions are [longitude, latitude]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := LoadFile(tt.path, LoadOptions{IDProperty: "code"})
			if err == nil || err.Error() != tt.want {
				t.Errorf("LoadFile error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

func TestLoadRealFiles(t *testing.T) {
	want := map[string]int{"naturalearth": 20117, "minregion": 82090, "geoboundaries": 137991}
	for _, f := range zoneFiles {
		t.Run(f.name, func(t *testing.T) {
			zones := loadShared(t, f.name)
			n := 0
			for _, z := range zones {
				for _, p := range z.Geometry {
					for _, r := range p {
						n += len(r)
					}
				}
			}
			if len(zones) != 27 || n != want[f.name] {
				t.Errorf("%d zones, %d vertices; want 27, %d", len(zones), n, want[f.name])
			}
		})
	}
}

func TestSelfIntersectionLargeRing(t *testing.T) {
	// 200,000 vertices on a circle: all-pairs would take minutes.
	const n = 200_000
	r := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / n
		r = append(r, orb.Point{30 + math.Cos(a), 48 + math.Sin(a)})
	}
	r = append(r, r[0])
	if i, j, ok := selfIntersection(r); ok {
		t.Fatalf("circle reported self-intersecting at edges %d, %d", i, j)
	}
	// Swap two distant vertices: now two edge pairs cross.
	r[1000], r[100000] = r[100000], r[1000]
	if _, _, ok := selfIntersection(r); !ok {
		t.Fatal("crossing not found")
	}
}
