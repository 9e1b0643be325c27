package monitor

import (
	"context"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Judging configures how the runner judges incidents: the kind of each
// source and how near another kind's incident must be to corroborate a
// violation. Sources without a kind take part in no corroboration.
type Judging struct {
	Kinds     map[string]judge.Kind // by source name
	DistanceM float64
	Window    time.Duration
}

// corroboration holds one judge.Corroborator per trial of the current
// evaluator. The runner's commitMu guards it: corroborators are fed in the
// order batches commit.
type corroboration struct {
	cfg    Judging
	ev     *Evaluator // whose trials
	trials []trialCorroborator
	// stale is set when a batch was fed but not stored: the corroborators
	// are rebuilt from the store before the next batch.
	stale bool
}

type trialCorroborator struct {
	name string
	c    *judge.Corroborator
}

// newCorroboration builds empty corroborators for the trials of ev.
func newCorroboration(cfg Judging, ev *Evaluator) (*corroboration, error) {
	c := &corroboration{cfg: cfg, ev: ev}
	for _, t := range ev.Trials() {
		jc, err := judge.NewCorroborator(judge.CorroborationOptions{DistanceM: cfg.DistanceM, Window: cfg.Window,
			Start: t.Start, End: t.End()})
		if err != nil {
			return nil, fmt.Errorf("trial %q: %w", t.Name, err)
		}
		c.trials = append(c.trials, trialCorroborator{name: t.Name, c: jc})
	}
	return c, nil
}

// load feeds the corroborators the stored incidents within their reach and
// returns the tier of every standing violation, to be written back.
func (c *corroboration) load(ctx context.Context, js JudgingStore, ev *Evaluator) ([]TierUpdate, error) {
	var out []TierUpdate
	for i, t := range ev.Trials() {
		tc := c.trials[i]
		locs, err := js.Located(ctx, t.Start.Add(-c.cfg.Window), t.End().Add(c.cfg.Window), t.Name)
		if err != nil {
			return nil, err
		}
		for _, l := range locs {
			kind, ok := c.cfg.Kinds[l.Source]
			if !ok {
				continue
			}
			// Errors are incidents that cannot be judged (a violation
			// of a trial since moved); they stay single.
			_, _ = tc.c.Add(judge.Report{Source: l.Source, ID: l.ID, Kind: kind, At: l.At, Lon: l.Lon, Lat: l.Lat,
				Violation: l.Violation})
		}
		for _, l := range locs {
			if tier, ok := tc.c.Tier(l.Source, l.ID); ok && l.Violation {
				out = append(out, TierUpdate{Trial: tc.name, Source: l.Source, IncidentID: l.ID, Tier: string(tier)})
			}
		}
	}
	return out, nil
}

// feed adds the items and deletions of b to every trial's corroborator and
// returns the tier updates to store with b: each change, and the current
// tier of every violation of b (a revision may store it anew); and, of
// those, the violations stored before that b promotes from single to
// corroborated.
func (c *corroboration) feed(b *Batch) (out, promoted []TierUpdate) {
	kind, ok := c.cfg.Kinds[b.Source]
	if !ok {
		return nil, nil
	}
	for _, tc := range c.trials {
		for i := range b.Items {
			it := &b.Items[i]
			violation := violates(it, tc.name)
			changes, err := tc.c.Add(judge.Report{Source: b.Source, ID: it.Incident.ID, Kind: kind,
				At: it.Incident.OccurredAt, Lon: it.Incident.Lon, Lat: it.Incident.Lat, Violation: violation})
			if err != nil {
				continue // not judged: its violations stay single
			}
			out = appendChanges(out, tc.name, changes)
			promoted = appendPromotions(promoted, tc.name, changes)
			if tier, ok := tc.c.Tier(b.Source, it.Incident.ID); ok && violation {
				out = append(out, TierUpdate{Trial: tc.name, Source: b.Source, IncidentID: it.Incident.ID, Tier: string(tier)})
			}
		}
		for _, id := range b.Deleted {
			out = appendChanges(out, tc.name, tc.c.Remove(b.Source, id))
		}
	}
	return out, promoted
}

// appendPromotions appends the changes from single to corroborated.
func appendPromotions(out []TierUpdate, trial string, changes []judge.TierChange) []TierUpdate {
	for _, ch := range changes {
		if ch.From == judge.Single && ch.To == judge.Corroborated {
			out = append(out, TierUpdate{Trial: trial, Source: ch.Source, IncidentID: ch.ID, Tier: string(ch.To)})
		}
	}
	return out
}

// tier returns the tier of the violation of trial by incident (source, id),
// "" when not judged.
func (c *corroboration) tier(trial, source, id string) string {
	for _, tc := range c.trials {
		if tc.name == trial {
			if t, ok := tc.c.Tier(source, id); ok {
				return string(t)
			}
		}
	}
	return ""
}

func appendChanges(out []TierUpdate, trial string, changes []judge.TierChange) []TierUpdate {
	for _, ch := range changes {
		if ch.To != "" {
			out = append(out, TierUpdate{Trial: trial, Source: ch.Source, IncidentID: ch.ID, Tier: string(ch.To)})
		}
	}
	return out
}

// violates reports whether it has a violation of trial.
func violates(it *Item, trial string) bool {
	for i := range it.Violations {
		if it.Violations[i].Trial == trial {
			return true
		}
	}
	return false
}

// zoneIDs returns the ids appendZoneIDs appends, nil for none.
func (e *Evaluator) zoneIDs(inc *Incident, s *scratch) []string {
	return e.appendZoneIDs(nil, inc, s)
}

// appendZoneIDs appends to dst the ids of every zone inc lies in, boundary
// included, as the zones were at the incident's time: the zones whose
// daily counts it adds to.
func (e *Evaluator) appendZoneIDs(dst []string, inc *Incident, s *scratch) []string {
	ix := e.IndexAt(inc.OccurredAt)
	if ix == nil {
		return dst
	}
	s.inside = ix.Locate(inc.Lon, inc.Lat, s.inside[:0])
	for _, z := range s.inside {
		dst = append(dst, ix.Zones()[z].ID)
	}
	return dst
}

// SetJudging makes the runner judge with j from now on: it builds one
// corroborator per trial of the current evaluator, feeds it the stored
// incidents within the trial's reach and stores the tiers they give (a
// store that missed tier changes, or a changed configuration, is thus set
// right). Call it after SetEvaluator, at start and on each reload. It
// does nothing when the store is not a JudgingStore or no evaluator is
// set. Commits wait while it runs.
func (r *Runner) SetJudging(ctx context.Context, j Judging) error {
	js, ok := r.o.Store.(JudgingStore)
	ev := r.evaluator.Load()
	if !ok || ev == nil {
		return nil
	}
	c, err := newCorroboration(j, ev)
	if err != nil {
		return fmt.Errorf("build corroboration: %w", err)
	}
	r.commitMu.Lock()
	defer r.commitMu.Unlock()
	updates, err := c.load(ctx, js, ev)
	if err != nil {
		return fmt.Errorf("load incidents for corroboration: %w", err)
	}
	r.judging = c
	bySource := map[string][]TierUpdate{}
	for _, u := range updates {
		bySource[u.Source] = append(bySource[u.Source], u)
	}
	for source, us := range bySource {
		if _, err := r.o.Store.Commit(ctx, &Batch{Source: source, Tiers: us}); err != nil {
			return fmt.Errorf("store tiers: %w", err)
		}
	}
	return nil
}

// judged is what judging a batch tells the hooks after it is stored.
type judged struct {
	// promoted are violations stored before that the batch promoted to
	// corroborated.
	promoted []TierUpdate
	// before holds the tiers, before the batch, of the violations of its
	// incidents and deletions (by trial, source, id): the tiers of the
	// violations it may retract.
	before map[[3]string]string
}

// judgeBatch feeds b to the corroborators, rebuilding them first when a
// batch fed before was not stored, and sets b.Tiers. The caller holds
// commitMu.
func (r *Runner) judgeBatch(ctx context.Context, b *Batch) (judged, error) {
	c := r.judging
	if c == nil {
		return judged{}, nil
	}
	if c.stale {
		fresh, err := newCorroboration(c.cfg, c.ev)
		if err != nil {
			return judged{}, err
		}
		if _, err := fresh.load(ctx, r.o.Store.(JudgingStore), c.ev); err != nil {
			return judged{}, fmt.Errorf("reload incidents for corroboration: %w", err)
		}
		r.judging, c = fresh, fresh
	}
	j := judged{before: map[[3]string]string{}}
	note := func(id string) {
		for _, tc := range c.trials {
			if t, ok := tc.c.Tier(b.Source, id); ok {
				j.before[[3]string{tc.name, b.Source, id}] = string(t)
			}
		}
	}
	for i := range b.Items {
		note(b.Items[i].Incident.ID)
	}
	for _, id := range b.Deleted {
		note(id)
	}
	b.Tiers, j.promoted = c.feed(b)
	return j, nil
}

// promotedViolations returns the stored violations of promoted that res
// did not store, with their tier set: those an earlier batch stored.
func (r *Runner) promotedViolations(ctx context.Context, promoted []TierUpdate, res *CommitResult) ([]Violation, error) {
	js, ok := r.o.Store.(JudgingStore)
	if !ok {
		return nil, nil
	}
	var out []Violation
	for _, p := range promoted {
		fresh := false
		for i := range res.Violations {
			v := &res.Violations[i]
			fresh = fresh || (v.Trial == p.Trial && v.Source == p.Source && v.IncidentID == p.IncidentID)
		}
		if fresh {
			continue
		}
		vs, err := js.ViolationsOf(ctx, p.Trial, p.Source, p.IncidentID)
		if err != nil {
			return nil, err
		}
		for i := range vs {
			vs[i].Tier = p.Tier
		}
		out = append(out, vs...)
	}
	return out, nil
}

// attemptTimeout bounds the write of one attempt.
const attemptTimeout = 5 * time.Second

// recordAttempt stores a fetch or an accepted push of source, now, when the
// store keeps attempts. A failure to store it is logged: it costs coverage,
// not the fetch.
func (r *Runner) recordAttempt(ctx context.Context, source string, ok bool) {
	js, isJS := r.o.Store.(JudgingStore)
	if !isJS {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), attemptTimeout)
	defer cancel()
	if err := js.RecordAttempt(ctx, Attempt{Source: source, At: r.o.Now(), OK: ok}); err != nil {
		r.log.Warn("record fetch attempt", "feed", source, "err", err)
	}
}
