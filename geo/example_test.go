package geo_test

import (
	"fmt"

	"github.com/ceasefired/ceasefired/geo"
)

func ExampleIndex_Locate() {
	data := []byte(`{"type": "FeatureCollection", "features": [
	  {"type": "Feature", "properties": {"iso": "UA-X", "name": "Square with a hole"},
	   "geometry": {"type": "Polygon", "coordinates": [
	     [[30, 48], [31, 48], [31, 49], [30, 49], [30, 48]],
	     [[30.4, 48.4], [30.6, 48.4], [30.6, 48.6], [30.4, 48.6], [30.4, 48.4]]]}}]}`)
	zones, _, err := geo.Load(data, "example.geojson", geo.LoadOptions{IDProperty: "iso", NameProperty: "name"})
	if err != nil {
		fmt.Println(err)
		return
	}
	ix, err := geo.NewIndex(zones)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range [][2]float64{{30.2, 48.2}, {31, 48.5}, {30.5, 48.5}, {30.4, 48.5}, {32, 48}} {
		fmt.Println(p, ix.Locate(p[0], p[1], nil))
	}
	near := ix.Within(31.01, 48.5, 1000, nil)
	fmt.Printf("within 1 km of (31.01, 48.5): zone %d at %.0f m\n", near[0].Zone, near[0].Meters)
	// Output:
	// [30.2 48.2] [0]
	// [31 48.5] [0]
	// [30.5 48.5] []
	// [30.4 48.5] [0]
	// [32 48] []
	// within 1 km of (31.01, 48.5): zone 0 at 739 m
}
