package configs

import (
	"slices"
	"testing"
	"time"
)

func TestLoadZoneVersions(t *testing.T) {
	c, err := Load("testdata/versions.yml")
	if err != nil {
		t.Fatal(err)
	}
	oblasts, dup := absTestdata(t, "zones/oblasts.geojson"), absTestdata(t, "zones/dup.geojson")
	if c.Zones[0].SHA256 != c.Zones[2].SHA256 || c.Zones[0].SHA256 == c.Zones[1].SHA256 {
		t.Errorf("zone file digests %x, want the same file's twice", []any{c.Zones[0].SHA256, c.Zones[1].SHA256, c.Zones[2].SHA256})
	}
	dec15, jan1 := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 4, 0, 0, 0, time.UTC)
	type version struct {
		id, file string
		from     time.Time
		entry    int
	}
	var got []version
	for _, v := range c.Versions {
		if v.SHA256 != c.Zones[v.Entry].SHA256 || v.Zone.File != c.Zones[v.Entry].File {
			t.Errorf("version %s of zones[%d]: file %s digest %x, want its listing's", v.Zone.ID, v.Entry, v.Zone.File, v.SHA256)
		}
		if v.From.Location() != time.UTC {
			t.Errorf("version %s from %v, want UTC", v.Zone.ID, v.From)
		}
		got = append(got, version{v.Zone.ID, v.Zone.File, v.From, v.Entry})
	}
	want := []version{
		{"UA-14", oblasts, time.Time{}, 0}, {"UA-09", oblasts, time.Time{}, 0}, {"UA-63", oblasts, time.Time{}, 0},
		{"UA-77", dup, dec15, 1}, {"UA-09", dup, dec15, 1},
		{"UA-14", oblasts, jan1, 2}, {"UA-09", oblasts, jan1, 2}, {"UA-63", oblasts, jan1, 2},
	}
	if !slices.EqualFunc(got, want, func(a, b version) bool {
		return a.id == b.id && a.file == b.file && a.from.Equal(b.from) && a.entry == b.entry
	}) {
		t.Errorf("versions\n%v\nwant\n%v", got, want)
	}
	var loaded []string
	for _, z := range c.Loaded {
		loaded = append(loaded, z.ID+"@"+z.File)
	}
	if want := []string{"UA-14@" + oblasts, "UA-09@" + oblasts, "UA-63@" + oblasts, "UA-77@" + dup}; !slices.Equal(loaded, want) {
		t.Errorf("Loaded %q, want the latest version of each id in first-seen order %q", loaded, want)
	}
}

func TestLatestZonesKeepsTheLastOfEqualDates(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	vs := []ZoneVersion{{From: at, Entry: 0}, {Entry: 1}, {From: at, Entry: 2}}
	for i := range vs {
		vs[i].Zone.ID = "a"
		vs[i].Zone.Feature = vs[i].Entry
	}
	if got := latestZones(vs); len(got) != 1 || got[0].Feature != 2 {
		t.Errorf("latestZones = %+v, want the one of entry 2", got)
	}
}
