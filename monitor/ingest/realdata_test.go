package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor"
)

// firmsFiles lists the FIRMS files of the shared data set with their row
// counts and how many rows have type 2 (static land source).
var firmsFiles = []struct {
	name         string
	rows, static int
}{
	{"firms_modis_ukraine_2022-02-24_2022-05-31_sp.csv", 8470, 509},
	{"firms_modis_ukraine_week_2022-03-18_2022-03-24_sp.csv", 3782, 210},
	{"firms_modis_ukraine_2021_sp.csv", 10796, 1169},
	{"firms_modis_ukraine_2022-06-01_2022-11-07_nrt.csv", 7113, 0},
	{"firms_viirs_noaa20_ukraine_2022-09-01_2022-11-07_nrt.csv", 4248, 0},
}

// yearlyRows is the row count of each reduced yearly benchmark file.
var yearlyRows = map[int]int{
	2000: 79, 2001: 27952, 2002: 29761, 2003: 13622, 2004: 21652, 2005: 43288, 2006: 27877,
	2007: 35905, 2008: 53072, 2009: 38831, 2010: 19783, 2011: 27219, 2012: 92268, 2013: 78183,
	2016: 124371, 2018: 91932, 2019: 127967, 2020: 120028, 2021: 57595, 2022: 133979, 2023: 98287,
}

func yearlyPath(data string, year int) string {
	return filepath.Join(data, "incidents", "firms_ukr_latlon_yearly", fmt.Sprintf("ukr_fire_data_%d.csv.gz", year))
}

func TestFIRMSRealFiles(t *testing.T) {
	data := testenv.SharedData(t, "")
	for _, f := range firmsFiles {
		t.Run(f.name, func(t *testing.T) {
			path := filepath.Join(data, "incidents", f.name)
			keepAll := decodeFile(t, NewFIRMS(FIRMSOptions{Footprint: true}), path)
			if len(keepAll.incidents) != f.rows || len(keepAll.rejects) != 0 {
				t.Errorf("without filters: %d accepted, rejects %v; want all %d", len(keepAll.incidents), keepAll.byReason(), f.rows)
			}
			for _, inc := range keepAll.incidents {
				if inc.Category != monitor.ThermalAnomaly || inc.Confidence < 0 || inc.UncertaintyM < 150 {
					t.Fatalf("incident %+v: want thermal_anomaly, a confidence and a footprint >= 150 m (a VIIRS pixel is about 375 m wide)", inc)
				}
			}
			dflt := decodeFile(t, NewFIRMS(FIRMSOptions{DropTypes: []int{2}}), path)
			static := dflt.byReason()[monitor.ReasonStaticSource]
			if static != f.static || len(dflt.rejects) != static || len(dflt.incidents)+static != f.rows {
				t.Errorf("with DropTypes [2]: %d accepted + rejects %v, want %d + %d static = %d",
					len(dflt.incidents), dflt.byReason(), f.rows-f.static, f.static, f.rows)
			}
		})
	}
}

func TestCSVYearlyFiles(t *testing.T) {
	data := testenv.SharedData(t, "")
	years := []int{2022}
	if !testing.Short() && !testenv.Race {
		years = years[:0]
		for y := range yearlyRows {
			years = append(years, y)
		}
		slices.Sort(years)
	}
	d, err := NewCSV(CSVOptions{Lat: "LATITUDE", Lon: "LONGITUDE", Time: "ACQ_DATE", DefaultCategory: monitor.ThermalAnomaly})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, y := range years {
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			var c counter
			decodeCounting(t, d, yearlyPath(data, y), &c)
			if c.accepted != yearlyRows[y] || c.total() != yearlyRows[y] {
				t.Errorf("%d accepted, rejects %v; want all %d rows", c.accepted, c.rejected, yearlyRows[y])
			}
			total += c.accepted
		})
	}
	if len(years) == len(yearlyRows) && total != 1263651 {
		t.Errorf("%d rows accepted over all years, want 1263651", total)
	}
}

func TestFIRMSReducedYearly(t *testing.T) {
	data := testenv.SharedData(t, "")
	rec := decodeFile(t, NewFIRMS(FIRMSOptions{DropTypes: []int{2}}), yearlyPath(data, 2022))
	if len(rec.incidents) != yearlyRows[2022] || len(rec.rejects) != 0 {
		t.Errorf("%d accepted, rejects %v; want %d", len(rec.incidents), rec.byReason(), yearlyRows[2022])
	}
}

// decodeCounting decodes the file at path into c.
func decodeCounting(t testing.TB, d monitor.Decoder, path string, c *counter) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("data file: %v", err)
	}
	defer f.Close()
	r, err := monitor.Decompress(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Decode(r, path, c); err != nil {
		t.Fatal(err)
	}
}
