package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// replayBatch returns batch k of size incidents shaped like those of the
// stored FIRMS yearly replay with every row a violation: ids of date,
// latitude and longitude, the raw record a JSON object of the three CSV
// columns, counted in one zone with a Cyrillic name, and a violation there.
func replayBatch(k, size int) *monitor.Batch {
	zones := [...]string{"Донецька область", "Луганська область", "Харківська область"}
	b := &monitor.Batch{Source: "firms-yearly", CursorKey: fmt.Sprintf("ukr_fire_data_%04d.csv.gz", 2000+k),
		CursorValue: "etag", Items: make([]monitor.Item, size)}
	start := time.Date(2003, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range size {
		n := k*size + i
		at := start.Add(time.Duration(n/300) * 24 * time.Hour) // 300 a day
		lat, lon := 48+float64(n*7919%10000)/10000, 37+float64(n*104729%10000)/10000
		day, la, lo := at.Format("2006-01-02"), fmt.Sprintf("%.4f", lat), fmt.Sprintf("%.4f", lon)
		inc := monitor.Incident{Source: b.Source, ID: day + "/" + la + "/" + lo, OccurredAt: at, Lon: lon, Lat: lat,
			Category: monitor.ThermalAnomaly, Confidence: -1,
			Raw: `{"LATITUDE":"` + la + `","LONGITUDE":"` + lo + `","ACQ_DATE":"` + day + `"}`}
		zone := zones[n%len(zones)]
		v := violation(inc, "years-2000", zone)
		v.Day = int(at.Sub(start) / (24 * time.Hour))
		v.ZoneVersion, v.Config = [32]byte{1, 2, 3}, [32]byte{4, 5, 6}
		b.Items[i] = monitor.Item{Incident: inc, Zones: []string{zone}, Violations: []monitor.Violation{v}}
	}
	return b
}

// tableBytes returns the bytes of each table and index of db, from the
// dbstat virtual table.
func tableBytes(t testing.TB, db *DB) map[string]int64 {
	t.Helper()
	rows, err := db.r.Query("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
	if err != nil {
		t.Fatalf("read dbstat: %v", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// BenchmarkBytesPerIncident commits 50,000 incidents shaped like the
// stored FIRMS replay, every one a violation, in batches of 10,000, and
// reports the database's bytes per incident, in all and per table with its
// indexes (dbstat page sizes, so free space inside pages counts). Its
// figures do not depend on b.N; -benchtime 1x suffices.
func BenchmarkBytesPerIncident(b *testing.B) {
	const batches, size = 5, 10000
	var by map[string]int64
	for b.Loop() {
		b.StopTimer()
		db, err := Open(b.TempDir(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		for k := range batches {
			if _, err := db.Commit(context.Background(), replayBatch(k, size)); err != nil {
				b.Fatal(err)
			}
		}
		by = tableBytes(b, db)
		db.Close()
		b.StartTimer()
	}
	var total int64
	names := make([]string, 0, len(by))
	for name, n := range by {
		total += n
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return by[names[i]] > by[names[j]] })
	var sb strings.Builder
	for _, name := range names {
		if by[name] > 8192 {
			fmt.Fprintf(&sb, "\n%-32s %7.1f B/incident", name, float64(by[name])/(batches*size))
		}
	}
	b.Logf("bytes per incident by table or index:%s", sb.String())
	b.ReportMetric(float64(total)/(batches*size), "B/incident")
}
