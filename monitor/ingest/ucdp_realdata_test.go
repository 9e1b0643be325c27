package ingest

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor"
)

func TestUCDPRealFiles(t *testing.T) {
	data := testenv.SharedData(t, "")
	tests := []struct {
		name string
		rows int
		// notSpatial is the number of events with where_prec 6 or 7.
		notSpatial int
	}{
		{"ucdp_ged_ukraine_2014-01-22_2022-02-23.csv", 3077, 3},
		// Saved by a spreadsheet: cp1252, month-first dates, multi-line fields.
		{"ucdp_ged_ukraine_2014-2023_mixed-date-formats.csv", 3883, 38},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(data, "incidents", tt.name)
			all := decodeFile(t, NewUCDP(UCDPOptions{KeepNotSpatial: true}), path)
			if len(all.incidents) != tt.rows || len(all.rejects) != 0 {
				t.Fatalf("keeping every precision: %d accepted, rejects %v; want all %d", len(all.incidents), all.byReason(), tt.rows)
			}
			for _, inc := range all.incidents {
				var raw map[string]string
				if err := json.Unmarshal([]byte(inc.Raw), &raw); err != nil {
					t.Fatal(err)
				}
				if y, _ := strconv.Atoi(raw["year"]); y != inc.OccurredAt.Year() || raw["id"] != inc.ID {
					t.Fatalf("incident %s at %v, raw %s: year or id disagree", inc.ID, inc.OccurredAt, inc.Raw)
				}
				if strings.ContainsRune(inc.Raw, utf8.RuneError) {
					t.Fatalf("incident %s raw %s: a character was lost in decoding", inc.ID, inc.Raw)
				}
				if inc.UncertaintyM < 1000 || inc.Category == "" {
					t.Fatalf("incident %+v: want an uncertainty and a category", inc)
				}
			}
			dflt := decodeFile(t, NewUCDP(UCDPOptions{}), path)
			rejected := dflt.byReason()
			if len(dflt.incidents)+len(dflt.rejects) != tt.rows || rejected[monitor.ReasonNotSpatial] != tt.notSpatial || len(rejected) != 1 {
				t.Errorf("default: %d accepted, rejects %v; want %d not_spatial and the rest accepted", len(dflt.incidents), rejected, tt.notSpatial)
			}
			if share := float64(len(dflt.incidents)) / float64(tt.rows); share < 0.99 {
				t.Errorf("default: %.2f%% accepted, want at least 99%%", 100*share)
			}
			t.Logf("default options: %d of %d accepted, rejects %v", len(dflt.incidents), tt.rows, rejected)
		})
	}
}
