package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadErrors loads one bad config per kind of mistake and compares the
// whole error, one problem per line, with the file and line it names.
func TestLoadErrors(t *testing.T) {
	// The location case needs a variable that is certainly unset.
	t.Setenv("CEASEFIRED_TEST_UNSET_KEY", "")
	os.Unsetenv("CEASEFIRED_TEST_UNSET_KEY")

	const unknownCategory = `(want one of shelling, air_strike, armed_clash, explosion, thermal_anomaly, other)`
	tests := []struct {
		file string
		want []string
	}{
		{"empty.yml", []string{
			`testdata/bad/empty.yml: empty config file`,
		}},
		{"comment_only.yml", []string{
			`testdata/bad/comment_only.yml: empty config file`,
		}},
		{"syntax.yml", []string{
			`testdata/bad/syntax.yml:4: did not find expected node content`,
		}},
		// yaml.v3's messages name the wrong line for these (see syntaxError):
		// line 1 for line 4, 11 and 9 for line 12, none for lines 1 and 7.
		{"syntax_indent.yml", []string{
			`testdata/bad/syntax_indent.yml:4: did not find expected '-' indicator`,
		}},
		{"syntax_top_level.yml", []string{
			`testdata/bad/syntax_top_level.yml:12: did not find expected key`,
		}},
		{"syntax_source.yml", []string{
			`testdata/bad/syntax_source.yml:12: did not find expected '-' indicator`,
		}},
		{"syntax_first_line.yml", []string{
			`testdata/bad/syntax_first_line.yml:1: found character that cannot start any token`,
		}},
		{"syntax_anchor.yml", []string{
			`testdata/bad/syntax_anchor.yml:7: unknown anchor 'trial_start' referenced`,
		}},
		{"two_documents.yml", []string{
			`testdata/bad/two_documents.yml:4: more than one YAML document`,
		}},
		{"unknown_keys.yml", []string{
			`testdata/bad/unknown_keys.yml:4: field zonez not found in type configs.Config`,
			`testdata/bad/unknown_keys.yml:6: field nmae not found in type configs.Trial`,
			`testdata/bad/unknown_keys.yml:11: field resend not found in type configs.Alerting`,
		}},
		{"wrong_types.yml", []string{
			"testdata/bad/wrong_types.yml:6: cannot unmarshal !!str `UA-14` into []string",
			"testdata/bad/wrong_types.yml:8: cannot unmarshal !!str `thirty` into int",
		}},
		{"bad_scalars.yml", []string{
			`testdata/bad/bad_scalars.yml:7: trials[0].start: invalid time "2026-13-01T00:00:00Z", want RFC 3339 such as 2026-12-01T00:00:00Z`,
			"testdata/bad/bad_scalars.yml:8: cannot unmarshal !!str `lots` into int",
			`testdata/bad/bad_scalars.yml:15: sources[0].timeout: unknown unit " minutes" in duration "5 minutes"`,
			`testdata/bad/bad_scalars.yml:16: alerting.resend_delay: unknown unit "x" in duration "1x"`,
			`testdata/bad/bad_scalars.yml:16: field extra not found in type configs.Alerting`,
		}},
		{"no_zones.yml", []string{
			`testdata/bad/no_zones.yml:1: zones: at least one zone file is required`,
		}},
		{"zone_fields.yml", []string{
			`testdata/bad/zone_fields.yml:2: zones[0].id_property: required`,
			`testdata/bad/zone_fields.yml:3: zones[1].file: required`,
		}},
		{"zone_not_found.yml", []string{
			`testdata/bad/zone_not_found.yml:2: zones[0].file: stat testdata/zones/missing.geojson: no such file or directory`,
		}},
		{"zone_invalid.yml", []string{
			`testdata/zones/noid.geojson: feature 1: missing id property "iso_3166_2"`,
		}},
		{"zone_duplicate_id.yml", []string{
			`testdata/zones/dup.geojson: feature 1 (id "UA-09"): duplicate zone id, also in testdata/zones/oblasts.geojson feature 1 (zones[0])`,
		}},
		{"zone_same_date.yml", []string{
			`testdata/bad/zone_same_date.yml:7: zones[2].file: same file and effective_from as zones[1]`,
			`testdata/zones/dup.geojson: feature 1 (id "UA-09"): duplicate zone id effective from 2026-12-15T00:00:00Z, also in testdata/zones/oblasts.geojson feature 1 (zones[1])`,
		}},
		{"zone_bad_date.yml", []string{
			`testdata/bad/zone_bad_date.yml:4: zones[0].effective_from: invalid time "15 December", want RFC 3339 such as 2026-12-01T00:00:00Z`,
		}},
		{"zone_same_file.yml", []string{
			`testdata/bad/zone_same_file.yml:4: zones[1].file: same file and effective_from as zones[0]`,
		}},
		{"trial_names.yml", []string{
			`testdata/bad/trial_names.yml:5: trials[0].name: required`,
			`testdata/bad/trial_names.yml:8: trials[1].name: "donbas freeze" may only contain letters, digits and _ . : -`,
			`testdata/bad/trial_names.yml:16: trials[3].name: duplicate name "t", also used by trials[2]`,
		}},
		{"trial_window.yml", []string{
			`testdata/bad/trial_window.yml:5: trials[0].start: required`,
			`testdata/bad/trial_window.yml:11: trials[1].days: 0 is out of range 1..3660`,
			`testdata/bad/trial_window.yml:16: trials[2].days: 3661 is out of range 1..3660`,
			`testdata/bad/trial_window.yml:17: trials[2].buffer_meters: -1 is out of range 0..100000`,
		}},
		{"trial_prohibited.yml", []string{
			`testdata/bad/trial_prohibited.yml:5: trials[0].prohibited: at least one category is required`,
			`testdata/bad/trial_prohibited.yml:11: trials[1].prohibited[1]: unknown category "artillery" ` + unknownCategory,
			`testdata/bad/trial_prohibited.yml:11: trials[1].prohibited[2]: duplicate category "shelling"`,
		}},
		{"trial_baseline_days.yml", []string{
			`testdata/bad/trial_baseline_days.yml:9: field baseline_days not found in type configs.Trial`,
		}},
		{"trial_background.yml", []string{
			`testdata/bad/trial_background.yml:9: trials[0].pre_days: 0 is out of range 1..3660`,
			`testdata/bad/trial_background.yml:10: trials[0].background.source: required`,
			`testdata/bad/trial_background.yml:11: trials[0].background.years: at least two reference years are required`,
			`testdata/bad/trial_background.yml:12: trials[0].background.alpha: 0.5 is out of range (0, 0.5)`,
			`testdata/bad/trial_background.yml:18: trials[1].background.source: unknown source "firms-archive"`,
			`testdata/bad/trial_background.yml:19: trials[1].background.category: unknown category "fire" ` + unknownCategory,
			`testdata/bad/trial_background.yml:20: trials[1].background.years[1]: 1850 is out of range 1900..2200`,
			`testdata/bad/trial_background.yml:20: trials[1].background.years[2]: duplicate year 2019`,
			`testdata/bad/trial_background.yml:21: trials[1].background.controls[1]: zone "UA-14" is in the trial and cannot be its control`,
			`testdata/bad/trial_background.yml:21: trials[1].background.controls[2]: unknown zone id "UA-99"`,
			`testdata/bad/trial_background.yml:21: trials[1].background.controls[3]: duplicate zone id "UA-09"`,
			`testdata/bad/trial_background.yml:26: trials[2].pre_days: 3661 is out of range 1..3660`,
			`testdata/bad/trial_background.yml:27: trials[2].background.controls: no zone loaded is outside the trial to serve as a control`,
			`testdata/bad/trial_background.yml:37: trials[3].background.controls: "*" must be the only entry`,
		}},
		{"judging.yml", []string{
			`testdata/bad/judging.yml:9: sources[0].kind: unknown kind "satelite" (want one of satellite, event_data, field)`,
			`testdata/bad/judging.yml:14: sources[1].kind: unknown kind "" (want one of satellite, event_data, field)`,
			`testdata/bad/judging.yml:16: corroboration.distance_m: 0 is out of range (0, 100000]`,
			`testdata/bad/judging.yml:17: corroboration.window: must be greater than 0 and at most 30d`,
			`testdata/bad/judging.yml:19: coverage.min_days_fraction: 1.5 is out of range (0, 1]`,
			`testdata/bad/judging.yml:20: coverage.push_max_gap: must be greater than 0`,
		}},
		{"judging_limits.yml", []string{
			`testdata/bad/judging_limits.yml:5: corroboration.distance_m: 100001 is out of range (0, 100000]`,
			`testdata/bad/judging_limits.yml:6: corroboration.window: must be greater than 0 and at most 30d`,
			`testdata/bad/judging_limits.yml:8: coverage.min_days_fraction: 0 is out of range (0, 1]`,
		}},
		{"judging_keys.yml", []string{
			`testdata/bad/judging_keys.yml:12: field window not found in type configs.Background`,
			`testdata/bad/judging_keys.yml:14: corroboration.window: unknown unit " hours" in duration "6 hours"`,
			`testdata/bad/judging_keys.yml:16: field push_gap not found in type configs.Coverage`,
		}},
		{"trial_zones.yml", []string{
			`testdata/bad/trial_zones.yml:6: trials[0].zones: at least one zone id (or "*") is required`,
			`testdata/bad/trial_zones.yml:10: trials[1].zones: "*" must be the only entry`,
			`testdata/bad/trial_zones.yml:16: trials[2].zones[1]: unknown zone id "UA-99"`,
			`testdata/bad/trial_zones.yml:17: trials[2].zones[2]: duplicate zone id "UA-14"`,
		}},
		{"source_names.yml", []string{
			`testdata/bad/source_names.yml:10: sources[0].name: required`,
			`testdata/bad/source_names.yml:13: sources[1].name: "s s" may only contain letters, digits and _ . : -`,
			`testdata/bad/source_names.yml:21: sources[3].name: duplicate name "s", also used by sources[2]`,
		}},
		{"source_formats.yml", []string{
			`testdata/bad/source_formats.yml:14: sources[1].push.token_file: required for format push`,
			`testdata/bad/source_formats.yml:16: sources[1].schedule: a push source has no schedule`,
			`testdata/bad/source_formats.yml:18: sources[2].format: unknown format "kml" (want one of firms, csv, acled, ucdp, geojson, jsonl, push)`,
			`testdata/bad/source_formats.yml:21: sources[3].format: required`,
		}},
		{"source_push.yml", []string{
			`testdata/bad/source_push.yml:10: sources[0]: a push source has no url or path: reports are POSTed to /api/v1/incidents`,
			`testdata/bad/source_push.yml:14: sources[0].push.token_file: open missing.token: no such file or directory`,
			`testdata/bad/source_push.yml:15: sources[0].push.max_items: must be greater than 0`,
			`testdata/bad/source_push.yml:18: sources[1].push.token_file: the token is shorter than 16 characters`,
			`testdata/bad/source_push.yml:20: sources[1].points.min_confidence: "most" is not low, nominal, high or a number 0..100`,
		}},
		{"source_api.yml", []string{
			`testdata/bad/source_api.yml:10: sources[0].url: required with sources[0].acled.api: the API's address`,
			`testdata/bad/source_api.yml:16: sources[0].acled.api.key: write it as ${NAME} from the environment, or use key_file`,
			`testdata/bad/source_api.yml:24: sources[1].ucdp.api.token_file: cannot read missing.token`,
			`testdata/bad/source_api.yml:25: sources[1].ucdp.api.page_size: must not be negative`,
		}},
		{"source_api_keys.yml", []string{
			`testdata/bad/source_api_keys.yml:15: field email not found in type configs.UCDPAPIOptions`,
			`testdata/bad/source_api_keys.yml:21: field token not found in type configs.ACLEDAPIOptions`,
		}},
		{"source_feed_options.yml", []string{
			`testdata/bad/source_feed_options.yml:15: sources[0].ucdp.categories: type_of_violence 4 is not 1, 2 or 3`,
			`testdata/bad/source_feed_options.yml:15: sources[0].ucdp.categories: unknown category "war" ` + unknownCategory,
			`testdata/bad/source_feed_options.yml:20: sources[1].acled: only used by format acled`,
			`testdata/bad/source_feed_options.yml:26: sources[2].acled.categories: unknown category "riot" ` + unknownCategory,
		}},
		{"source_location.yml", []string{
			`testdata/bad/source_location.yml:13: sources[0].path: url and path are mutually exclusive`,
			`testdata/bad/source_location.yml:15: sources[1]: one of url or path is required`,
			`testdata/bad/source_location.yml:20: sources[2].url: scheme "ftp" is not http or https`,
			`testdata/bad/source_location.yml:24: sources[3].url: URL has no host`,
			`testdata/bad/source_location.yml:28: sources[4].url: environment variable CEASEFIRED_TEST_UNSET_KEY is not set`,
			`testdata/bad/source_location.yml:32: sources[5].path: invalid glob: syntax error in pattern`,
		}},
		{"source_schedule.yml", []string{
			`testdata/bad/source_schedule.yml:10: sources[0].schedule: required`,
			`testdata/bad/source_schedule.yml:16: sources[1].schedule: expected exactly 5 fields, found 4: [* * * *]`,
			`testdata/bad/source_schedule.yml:20: sources[2].schedule: expected exactly 5 fields, found 6: [0 */5 * * * *]`,
			`testdata/bad/source_schedule.yml:24: sources[3].schedule: @every interval 0s is shorter than one second`,
		}},
		{"source_csv.yml", []string{
			`testdata/bad/source_csv.yml:10: sources[0].csv: required for format csv (lat, lon and time columns)`,
			`testdata/bad/source_csv.yml:15: sources[1].category: required for format csv when no csv.category column is mapped`,
			`testdata/bad/source_csv.yml:19: sources[1].csv.lat: required`,
			`testdata/bad/source_csv.yml:19: sources[1].csv.lon: required`,
			`testdata/bad/source_csv.yml:19: sources[1].csv.time: required`,
			`testdata/bad/source_csv.yml:24: sources[2].csv: only used by format csv`,
			`testdata/bad/source_csv.yml:25: sources[2].category: unknown category "bombing" ` + unknownCategory,
		}},
		{"source_firms.yml", []string{
			`testdata/bad/source_firms.yml:14: sources[0].firms.min_confidence: "medium" is not low, nominal, high or a number 0..100`,
			`testdata/bad/source_firms.yml:19: sources[1].firms.min_confidence: "101" is not low, nominal, high or a number 0..100`,
			`testdata/bad/source_firms.yml:26: sources[2].firms: only used by format firms`,
		}},
		{"source_limits.yml", []string{
			`testdata/bad/source_limits.yml:14: sources[0].uncertainty_meters: 100001 is out of range 0..100000`,
			`testdata/bad/source_limits.yml:15: sources[0].timeout: must be greater than 0`,
			`testdata/bad/source_limits.yml:16: sources[0].max_bytes: must be greater than 0`,
		}},
		{"alerting.yml", []string{
			`testdata/bad/alerting.yml:12: alerting.alertmanagers[1]: scheme "am.example.invalid" is not http or https`,
			`testdata/bad/alerting.yml:13: alerting.alertmanagers[2]: duplicate of [0]`,
			`testdata/bad/alerting.yml:14: alerting.alertmanagers[3]: invalid URL: invalid character " " in host name`,
			`testdata/bad/alerting.yml:15: alerting.resend_delay: must be greater than 0`,
			`testdata/bad/alerting.yml:16: alerting.hold: must be greater than 0`,
			`testdata/bad/alerting.yml:18: alerting.severity.shelling: empty severity`,
			`testdata/bad/alerting.yml:19: alerting.severity.bombing: unknown category "bombing" ` + unknownCategory,
		}},
		{"evidence.yml", []string{
			`testdata/bad/evidence.yml:10: evidence.key_file: stat testdata/bad/missing.key: no such file or directory`,
			`testdata/bad/evidence.yml:11: evidence.checkpoint_interval: must be greater than 0`,
			`testdata/bad/evidence.yml:12: evidence.origin: "my log": want a non-empty name without spaces or '+'`,
		}},
	}
	files, err := filepath.Glob("testdata/bad/*.yml")
	if err != nil || len(files) != len(tests) {
		t.Errorf("testdata/bad holds %d configs, the table %d: give every file a case", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := Load("testdata/bad/" + tt.file)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if c != nil {
				t.Error("Load returned a config along with its error")
			}
			if want := strings.Join(tt.want, "\n"); err.Error() != want {
				t.Errorf("errors:\n%s\nwant:\n%s", err, want)
			}
		})
	}
}
