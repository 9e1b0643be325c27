package report

import (
	"time"

	"github.com/paulmach/orb"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor"
)

var start = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// square returns the ring of a square with corner lon, lat and side d.
func square(lon, lat, d float64) orb.Ring {
	return orb.Ring{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}
}

// fixtureZones: "north" has a hole, "south" has two parts, "east" is
// plain, and "other" is not in the trial.
func fixtureZones() []geo.Zone {
	return []geo.Zone{
		{ID: "north", Name: "North, with a hole", Geometry: orb.MultiPolygon{{square(37, 48.5, 1), square(37.4, 48.7, 0.1)}}},
		{ID: "east", Name: `East "sector", plain`, Geometry: orb.MultiPolygon{{square(38, 48, 1)}}},
		{ID: "south", Name: "South", Geometry: orb.MultiPolygon{{square(37, 47.5, 1)}, {square(37.2, 47.1, 0.2)}}},
		{ID: "other", Geometry: orb.MultiPolygon{{square(30, 40, 1)}}},
	}
}

func fixtureTrial() monitor.Trial {
	return monitor.Trial{Name: "freeze", Zones: []string{"north", "east", "south"}, Start: start, Days: 10,
		Prohibited: []monitor.Category{monitor.Shelling, monitor.AirStrike, monitor.ThermalAnomaly}, BufferMeters: 1000}
}

func v(zone string, c monitor.Category, id string, day int, p monitor.Placement) monitor.Violation {
	return monitor.Violation{Trial: "freeze", ZoneID: zone, Category: c, Source: "field", IncidentID: id,
		OccurredAt: start.Add(time.Duration(day)*monitor.Day + 5*time.Hour), Lon: 37.5, Lat: 48.6, Placement: p, Day: day}
}

func fixtureViolations() []monitor.Violation {
	return []monitor.Violation{
		v("north", monitor.Shelling, "a/1", 0, monitor.Inside),
		v("north", monitor.Shelling, "a,2", 0, monitor.Buffer),
		v("north", monitor.AirStrike, "a3", 2, monitor.Inside),
		v("north", monitor.ThermalAnomaly, "a4", 2, monitor.Ambiguous),
		v("east", monitor.AirStrike, `a"5`, 3, monitor.Inside),
		v("other", monitor.Shelling, "a6", 1, monitor.Inside), // not a zone of the trial
		{Trial: "else", ZoneID: "north", Category: monitor.Shelling, Source: "field", IncidentID: "a7", OccurredAt: start, Placement: monitor.Inside},
	}
}

func fixtureInput(asOf time.Time) Input {
	return Input{Trial: fixtureTrial(), Zones: fixtureZones(), Violations: fixtureViolations(), AsOf: asOf,
		Sources: []Source{{Name: "field", Format: "csv"}, {Name: "viirs", Format: "firms", Attribution: "NASA FIRMS notice"}},
		Files:   []File{{Role: "config", Path: "ceasefired.yml", SHA256: "00"}}}
}
