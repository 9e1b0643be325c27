package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// judgingStore is a store that keeps what judging needs.
type judgingStore interface {
	monitor.Store
	monitor.JudgingStore
}

var testJudging = monitor.Judging{
	Kinds:     map[string]judge.Kind{"field": judge.Field, "acled": judge.EventData, "firms": judge.Satellite},
	DistanceM: 5000, Window: 6 * time.Hour,
}

// tierCounts returns the tier counts of trial "freeze" as "zone source tier=n".
func tierCounts(t *testing.T, s monitor.JudgingStore) []string {
	t.Helper()
	cs, err := s.TierCounts(context.Background(), "freeze")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s=%d", c.ZoneID, c.Source, c.Tier, c.Count))
	}
	return out
}

func shellingAt(source, id string, at time.Time, lon float64) monitor.Incident {
	return monitor.Incident{Source: source, ID: id, OccurredAt: at, Lon: lon, Lat: 0.5, Category: monitor.Shelling, Confidence: -1}
}

// TestRunnerCorroborates feeds a field report, then an event-data record
// 1.1 km away that corroborates it, then deletes the latter, and checks
// the stored tiers, the tiers the hook sees and the daily counts, on both
// stores; a runner started afresh over the store finds the same tiers.
func TestRunnerCorroborates(t *testing.T) {
	for _, impl := range []struct {
		name string
		open func(t *testing.T) judgingStore
	}{
		{"memory", func(*testing.T) judgingStore { return store.NewMemory() }},
		{"sqlite", func(t *testing.T) judgingStore { return openDB(t) }},
	} {
		t.Run(impl.name, func(t *testing.T) {
			ctx := context.Background()
			s := impl.open(t)
			at := trialStart.Add(26 * time.Hour)
			var seen, promoted []string
			r := monitor.NewRunner(monitor.RunnerOptions{Store: s, Now: func() time.Time { return at.Add(6 * time.Hour) },
				OnViolations: func(vs []monitor.Violation) {
					for _, v := range vs {
						seen = append(seen, v.Source+":"+v.Tier)
					}
				},
				OnPromotions: func(vs []monitor.Violation) {
					for _, v := range vs {
						promoted = append(promoted, v.ZoneID+"/"+v.Source+"/"+v.IncidentID+":"+v.Tier)
					}
				}})
			r.SetEvaluator(testEvaluator(t))
			if err := r.SetJudging(ctx, testJudging); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Submit(ctx, "field", []monitor.Incident{shellingAt("field", "f1", at, 0.5)}, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Submit(ctx, "acled", []monitor.Incident{shellingAt("acled", "a1", at.Add(5*time.Hour), 0.51)}, nil); err != nil {
				t.Fatal(err)
			}
			if want := []string{"field:single", "acled:corroborated"}; !slices.Equal(seen, want) {
				t.Errorf("hook saw tiers %q, want %q", seen, want)
			}
			if want := []string{"a/field/f1:corroborated"}; !slices.Equal(promoted, want) {
				t.Errorf("promotions %q, want %q", promoted, want)
			}
			if got, want := tierCounts(t, s), []string{"a acled corroborated=1", "a field corroborated=1"}; !slices.Equal(got, want) {
				t.Fatalf("tiers after corroboration = %q, want %q", got, want)
			}
			counts, err := s.DailyCounts(ctx, trialStart, trialStart.Add(3*monitor.Day))
			if err != nil {
				t.Fatal(err)
			}
			if len(counts) != 2 || counts[0].ZoneID != "a" || counts[0].Count != 1 || !counts[0].Day.Equal(trialStart.Add(monitor.Day)) {
				t.Errorf("daily counts = %+v, want one each of acled and field in zone a on day 2", counts)
			}

			// A fresh runner over the stored incidents agrees.
			var retracted []string
			r2 := monitor.NewRunner(monitor.RunnerOptions{Store: s, Now: func() time.Time { return at.Add(6 * time.Hour) },
				OnRetractions: func(vs []monitor.Violation) {
					for _, v := range vs {
						retracted = append(retracted, v.Source+":"+v.Tier)
					}
				}})
			r2.SetEvaluator(testEvaluator(t))
			if err := r2.SetJudging(ctx, testJudging); err != nil {
				t.Fatal(err)
			}
			src := &monitor.Source{Name: "acled", Fetcher: &docsFetcher{docs: []monitor.Document{
				{Key: "deletions", Open: memDoc("", "", "id,time,lat,lon,category\n").Open, Deleted: []string{"a1"}},
			}}, Decoder: memSource("x", "").Decoder}
			if err := r2.Fetch(ctx, src); err != nil {
				t.Fatal(err)
			}
			if got, want := tierCounts(t, s), []string{"a field single=1"}; !slices.Equal(got, want) {
				t.Errorf("tiers after the deletion = %q, want %q", got, want)
			}
			if want := []string{"acled:corroborated"}; !slices.Equal(retracted, want) {
				t.Errorf("retracted %q, want %q (the tier it had)", retracted, want)
			}
		})
	}
}

// failingFetcher fails every fetch.
type failingFetcher struct{}

func (failingFetcher) Fetch(context.Context, map[string]string) ([]monitor.Document, error) {
	return nil, errors.New("503 Service Unavailable")
}

// TestRunnerRecordsAttempts checks that fetches, failed or not, and
// accepted pushes are stored as attempts at the runner's clock.
func TestRunnerRecordsAttempts(t *testing.T) {
	ctx := context.Background()
	s := store.NewMemory()
	clock := newFakeClock(trialStart)
	r, _ := clockRunner(t, s, clock, 10)
	bad := &monitor.Source{Name: "firms", Fetcher: failingFetcher{}, Decoder: memSource("x", "").Decoder}
	if err := r.Fetch(ctx, bad); err == nil {
		t.Fatal("fetch of a failing source succeeded")
	}
	_ = clock.Sleep(ctx, time.Hour)
	if err := r.Fetch(ctx, memSource("acled", "")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Submit(ctx, "field", []monitor.Incident{shellingAt("field", "f1", trialStart, 0.5)}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Attempts(ctx, trialStart, trialStart.Add(monitor.Day))
	if err != nil {
		t.Fatal(err)
	}
	want := []monitor.Attempt{{Source: "firms", At: trialStart}, {Source: "acled", At: trialStart.Add(time.Hour), OK: true},
		{Source: "field", At: trialStart.Add(time.Hour), OK: true}}
	if len(got) != len(want) {
		t.Fatalf("attempts = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Source != want[i].Source || !got[i].At.Equal(want[i].At) || got[i].OK != want[i].OK {
			t.Errorf("attempt %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
