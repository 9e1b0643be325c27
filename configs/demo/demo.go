// Package demo holds the embedded demo scenario of `ceasefired demo`: a
// config, three fictional zones and a feed of field reports that arrive over
// the first seconds, with times relative to the moment the demo starts.
package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"text/template"
	"time"
)

//go:embed ceasefired.yml.tmpl zones.geojson scenario.csv
var files embed.FS

// ConfigName is the name of the demo config file inside the demo folder.
const ConfigName = "ceasefired.yml"

// TrialStartOffset is how long before the demo's start its trial began.
const TrialStartOffset = 3 * 24 * time.Hour

// Report is one scenario row.
type Report struct {
	Arrives  time.Duration // after the demo starts
	ID       string
	Ago      time.Duration // event time before the demo starts
	Lat, Lon string        // as written, so that broken values stay broken
	Category string
	Note     string
}

// Scenario returns the embedded reports, in arrival order.
func Scenario() ([]Report, error) {
	data, err := files.ReadFile("scenario.csv")
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("scenario.csv: %w", err)
	}
	var out []Report
	for i, r := range rows[1:] {
		arr, err1 := strconv.ParseFloat(r[0], 64)
		ago, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("scenario.csv:%d: bad number", i+2)
		}
		out = append(out, Report{
			Arrives: time.Duration(arr * float64(time.Second)), ID: r[1],
			Ago: time.Duration(ago * float64(time.Hour)), Lat: r[3], Lon: r[4], Category: r[5], Note: r[6],
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Arrives < out[j].Arrives })
	return out, nil
}

// Write lays the demo config and zones out in dir, with the trial starting
// TrialStartOffset before start, and returns the config path. The feed
// folder is created empty; Feed fills it.
func Write(dir string, start time.Time) (string, error) {
	tmpl, err := template.ParseFS(files, "ceasefired.yml.tmpl")
	if err != nil {
		return "", err
	}
	var cfg bytes.Buffer
	trialStart := start.UTC().Add(-TrialStartOffset).Truncate(time.Hour)
	if err := tmpl.Execute(&cfg, map[string]string{"Start": trialStart.Format(time.RFC3339)}); err != nil {
		return "", err
	}
	zones, err := files.ReadFile("zones.geojson")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(dir, "feed"), 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, ConfigName)
	if err := os.WriteFile(path, cfg.Bytes(), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "zones.geojson"), zones, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// Feed writes the scenario's reports into dir/feed as they arrive: one CSV
// file per arrival time, written whole and then renamed so that the daemon
// never reads half a file. It returns when every report is written or ctx
// ends.
func Feed(ctx context.Context, dir string, start time.Time) error {
	reports, err := Scenario()
	if err != nil {
		return err
	}
	for i := 0; i < len(reports); {
		at := reports[i].Arrives
		j := i
		for j < len(reports) && reports[j].Arrives == at {
			j++
		}
		if wait := time.Until(start.Add(at)); wait > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
		}
		if err := writeBatch(dir, start, at, reports[i:j]); err != nil {
			return err
		}
		i = j
	}
	return nil
}

func writeBatch(dir string, start time.Time, at time.Duration, rs []Report) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	// csv.Writer keeps the first write error for Error, checked after Flush.
	_ = w.Write([]string{"id", "time", "lat", "lon", "category"})
	for _, r := range rs {
		_ = w.Write([]string{r.ID, start.Add(-r.Ago).UTC().Format(time.RFC3339), r.Lat, r.Lon, r.Category})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	name := filepath.Join(dir, "feed", fmt.Sprintf("reports-%03d.csv", int(at/time.Second)))
	tmp := name + ".part"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
