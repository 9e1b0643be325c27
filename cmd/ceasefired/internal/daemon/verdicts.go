package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// judgingTimeout bounds the rebuild of the corroborators at start and
// reload.
const judgingTimeout = 2 * time.Minute

// judgingOf maps the judging keys of cfg onto the runner's options and the
// verdicts' spec; trials are those of ev. Fetched sources may go twice
// their schedule's interval (as of now) without a success, push sources
// coverage.push_max_gap.
func judgingOf(cfg *configs.Config, ev *monitor.Evaluator, now time.Time) (monitor.Judging, *verdicts.Spec) {
	j := monitor.Judging{Kinds: map[string]judge.Kind{}, DistanceM: cfg.Corroboration.DistanceM,
		Window: time.Duration(cfg.Corroboration.Window)}
	spec := &verdicts.Spec{MinDaysFraction: cfg.Coverage.MinDaysFraction}
	for i := range cfg.Sources {
		s := &cfg.Sources[i]
		j.Kinds[s.Name] = s.Kind
		gap := time.Duration(cfg.Coverage.PushMaxGap)
		if !s.Pushed() {
			gap = judge.MaxGapFor(monitor.ScheduleInterval(s.Schedule, now))
		}
		if gap > 0 {
			spec.Sources = append(spec.Sources, verdicts.Source{Name: s.Name, Kind: s.Kind, MaxGap: gap})
		}
	}
	for i, t := range ev.Trials() {
		c := cfg.Trials[i]
		vt := verdicts.Trial{Trial: t, PreDays: c.PreDays}
		if b := c.Background; b != nil {
			vt.Background = &verdicts.Background{Source: b.Source, Category: monitor.Category(b.Category),
				Years: b.Years, Controls: cfg.Controls(c), Alpha: b.Alpha}
		}
		spec.Trials = append(spec.Trials, vt)
	}
	return j, spec
}

// setJudging hands the runner the judging options of st, logging a
// failure: the tiers then lag until the next reload, nothing else does.
func (d *Daemon) setJudging(st *setup) {
	ctx, cancel := context.WithTimeout(context.Background(), judgingTimeout)
	defer cancel()
	if err := d.runner.SetJudging(ctx, st.judging); err != nil {
		d.log.Error("rebuild corroboration tiers", "err", err)
	}
	if d.alerting.readOnly {
		return
	}
	n, err := d.store.PruneAttempts(ctx, d.o.Now().Add(-attemptRetention), attemptWindows(st.spec))
	if err != nil {
		d.log.Error("prune fetch attempts", "err", err)
	} else if n > 0 {
		d.log.Info("pruned fetch attempts no trial needs", "attempts", n)
	}
}

// attemptRetention is how long fetch attempts are kept whether or not a
// configured trial needs them, so that a trial configured after its start
// still finds its coverage.
const attemptRetention = 30 * 24 * time.Hour

// attemptWindows returns the spans of attempts the trials of spec need for
// coverage: from the longest maximum gap before each start to its end.
func attemptWindows(spec *verdicts.Spec) [][2]time.Time {
	var reach time.Duration
	for _, s := range spec.Sources {
		reach = max(reach, s.MaxGap)
	}
	out := make([][2]time.Time, 0, len(spec.Trials))
	for _, t := range spec.Trials {
		out = append(out, [2]time.Time{t.Start.Add(-reach), t.End()})
	}
	return out
}

// verdicts computes the verdicts of every trial of the running setup
// now: the one function the API, the metrics and the status page call.
func (d *Daemon) verdicts(ctx context.Context) ([]judge.Verdict, error) {
	st := d.current.Load()
	if st == nil {
		return nil, nil // not started yet
	}
	return verdicts.Compute(ctx, d.store, st.spec, d.o.Now())
}

// handleVerdict serves GET /api/v1/trials/{name}/verdict: the verdict on
// every zone of the trial, as a JSON array in the trial's zone order.
func (d *Daemon) handleVerdict(w http.ResponseWriter, r *http.Request) {
	spec := d.current.Load().spec
	t, ok := spec.Trial(r.PathValue("name"))
	if !ok {
		http.Error(w, "unknown trial", http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	vs, err := verdicts.ComputeTrial(ctx, d.store, spec, t, d.o.Now())
	if err != nil {
		d.log.Error("compute verdicts", "trial", t.Name, "err", err)
		http.Error(w, "compute verdicts: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(vs); err != nil {
		d.log.Debug("write verdicts", "err", err)
	}
}

// zoneVerdicts returns the verdicts of every trial by trial and zone id
// joined by a zero byte, for the status page.
func (d *Daemon) zoneVerdicts(ctx context.Context) (map[string]judge.Verdict, error) {
	vs, err := d.verdicts(ctx)
	if err != nil {
		return nil, fmt.Errorf("compute verdicts: %w", err)
	}
	out := make(map[string]judge.Verdict, len(vs))
	for _, v := range vs {
		out[v.Trial+"\x00"+v.ZoneID] = v
	}
	return out, nil
}
