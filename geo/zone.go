// Package geo loads zone polygons and answers which zones contain a point.
package geo

import "github.com/paulmach/orb"

// Zone is one named area from a GeoJSON FeatureCollection.
type Zone struct {
	ID         string
	Name       string
	File       string // the file it came from
	Feature    int    // 0-based feature index in File
	Geometry   orb.MultiPolygon
	Properties map[string]any
}
