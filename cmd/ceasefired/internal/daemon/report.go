package daemon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/report"
	"github.com/ceasefired/ceasefired/monitor/store"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// ErrUnknownTrial is wrapped by the error of TrialReport for a trial the
// config does not name.
var ErrUnknownTrial = errors.New("unknown trial")

// ErrEmptyStore is wrapped by the error of TrialReport when the store holds
// nothing yet: no fetch or push was ever stored.
var ErrEmptyStore = errors.New("the store holds nothing yet")

// ReportStore is what a report reads of the store, its verdicts included;
// *store.DB is one.
type ReportStore interface {
	verdicts.Reader
	TrialViolations(ctx context.Context, trial string) ([]monitor.Violation, error)
	TrialTiers(ctx context.Context, trial string) ([]monitor.TierUpdate, error)
	LastCommit(ctx context.Context) (time.Time, error)
}

// TrialReport builds the report of the trial named name from the setup
// of cfg and the store, as of the store's last commit: the command and the
// daemon both build it here, so the same store and config give the same
// report, byte for byte. The verdicts are computed as of that instant too
// (verdicts.ComputeTrial), and so are the coverage and thermal test they
// rest on (verdicts.TrialDetails). The config and zone files are hashed as
// they are on the disk now.
func TrialReport(ctx context.Context, cfg *configs.Config, ev *monitor.Evaluator, db ReportStore, name string) (*report.Report, error) {
	var trial *monitor.Trial
	var names []string
	for _, t := range ev.Trials() {
		names = append(names, t.Name)
		if t.Name == name {
			trial = &t
		}
	}
	if trial == nil {
		return nil, fmt.Errorf("%w %q: the config names %s", ErrUnknownTrial, name, quoteList(names))
	}
	asOf, err := db.LastCommit(ctx)
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, fmt.Errorf("report of trial %q: %w (no fetch or push was ever stored)", name, ErrEmptyStore)
	}
	files, err := hashFiles(cfg)
	if err != nil {
		return nil, err
	}
	_, spec := judgingOf(cfg, ev, asOf)
	vt, ok := spec.Trial(name)
	if !ok {
		return nil, fmt.Errorf("%w %q: no judging settings", ErrUnknownTrial, name)
	}
	judged, err := verdicts.ComputeTrial(ctx, db, spec, vt, asOf)
	if err != nil {
		return nil, fmt.Errorf("report of trial %q: compute verdicts: %w", name, err)
	}
	return reportAt(ctx, cfg, trial, db, asOf, files, judged, spec)
}

// reportAt builds the report of trial as of asOf, with the verdicts on
// its zones (none: counts only) and, when spec is not nil, the coverage
// and thermal test they rest on.
func reportAt(ctx context.Context, cfg *configs.Config, trial *monitor.Trial, db ReportStore, asOf time.Time,
	files []report.File, judged []judge.Verdict, spec *verdicts.Spec) (*report.Report, error) {
	vs, err := db.TrialViolations(ctx, trial.Name)
	if err != nil {
		return nil, err
	}
	tiers, err := db.TrialTiers(ctx, trial.Name)
	if err != nil {
		return nil, err
	}
	in := report.Input{Trial: *trial, Zones: cfg.Loaded, Violations: vs, Files: files, AsOf: asOf, Verdicts: judged, Tiers: tiers}
	if spec != nil {
		if vt, ok := spec.Trial(trial.Name); ok {
			if in.Details, err = verdicts.TrialDetails(ctx, db, spec, vt, asOf); err != nil {
				return nil, fmt.Errorf("report of trial %q: %w", trial.Name, err)
			}
		}
	}
	for _, s := range cfg.Sources {
		in.Sources = append(in.Sources, report.Source{Name: s.Name, Format: s.Format, Attribution: s.Attribution()})
	}
	return report.Build(in), nil
}

// hashFiles returns the SHA-256 of the config file and of each zone file,
// named relative to the config's folder.
func hashFiles(cfg *configs.Config) ([]report.File, error) {
	dir := filepath.Dir(cfg.File)
	paths := []string{cfg.File}
	roles := []string{"config"}
	for _, z := range cfg.Zones {
		p := z.File
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		paths, roles = append(paths, p), append(roles, "zones")
	}
	out := make([]report.File, len(paths))
	for i, p := range paths {
		sum, err := fileHash(p)
		if err != nil {
			return nil, err
		}
		shown := p
		if rel, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(rel, "..") {
			shown = filepath.ToSlash(rel)
		}
		out[i] = report.File{Role: roles[i], Path: shown, SHA256: sum}
	}
	return out, nil
}

func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func quoteList(s []string) string {
	if len(s) == 0 {
		return "no trial"
	}
	q := make([]string, len(s))
	for i, n := range s {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// OpenReportStore opens the store in dir for a report, beside a daemon that
// may be running (store.OpenReader).
func OpenReportStore(dir string) (*store.DB, error) { return store.OpenReader(dir, store.Options{}) }
