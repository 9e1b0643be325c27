package judge_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// TestCorroborationMatchesBruteForce adds, revises and removes random
// incidents in a small area (so that latitude bands and their borders
// matter) and checks after every call that each violation's tier, and
// the sum of the reported changes, equal what comparing every pair gives.
// The seed is fixed. Under the race detector it takes the first 1,000 of
// the 3,000 steps; CI runs them all without it.
func TestCorroborationMatchesBruteForce(t *testing.T) {
	const distanceM, window = 3000.0, 3 * time.Hour
	steps := 3000
	if testenv.Race {
		steps = 1000
	}
	rng := rand.New(rand.NewPCG(3, 4))
	c := newCorroborator(t, distanceM, window)
	kinds := judge.Kinds()
	standing := map[string]judge.Report{}
	tracked := map[string]judge.Tier{} // tiers as the changes tell them
	for step := range steps {
		id := fmt.Sprint(rng.IntN(150))
		var changes []judge.TierChange
		if rng.IntN(5) == 0 {
			changes = c.Remove("s", id)
			delete(standing, id)
		} else {
			r := judge.Report{Source: "s", ID: id, Kind: kinds[rng.IntN(3)],
				At:  trialStart.Add(time.Duration(rng.Int64N(int64(48 * time.Hour)))),
				Lon: 37.5 + rng.Float64()*0.15, Lat: 48 + rng.Float64()*0.15, Violation: rng.IntN(2) == 0}
			changes = add(t, c, r)
			standing[id] = r
		}
		for _, ch := range changes {
			if tracked[ch.ID] != ch.From {
				t.Fatalf("step %d: change %+v, but the tier was %q", step, ch, tracked[ch.ID])
			}
			tracked[ch.ID] = ch.To
		}
		for id, r := range standing {
			want := judge.Tier("")
			if r.Violation {
				want = judge.Single
				for oid, o := range standing {
					dt := r.At.Sub(o.At).Abs()
					if oid != id && o.Kind != r.Kind && dt <= window &&
						geo.DistanceMeters(r.Lon, r.Lat, o.Lon, o.Lat) <= distanceM {
						want = judge.Corroborated
						break
					}
				}
			}
			got, _ := c.Tier("s", id)
			if got != want || tracked[id] != want {
				t.Fatalf("step %d: %s tier %q, changes say %q, want %q", step, id, got, tracked[id], want)
			}
		}
	}
}
