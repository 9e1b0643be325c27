package judge_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// august returns the counts of August of year y.
func august(y, zone, controls int) judge.Sample {
	start := time.Date(y, 8, 1, 0, 0, 0, 0, time.UTC)
	return judge.Sample{Start: start, End: start.AddDate(0, 1, 0), Zone: zone, Controls: controls}
}

// TestBackgroundClosedForm checks the test against Student-t figures
// worked without gonum: with 2 degrees of freedom the distribution
// function is 1/2 + t/(2√(2+t²)) and the p-quantile (2p−1)/√(2p(1−p));
// with 1 degree it is 1/2 + atan(t)/π and tan(π(p−1/2)).
func TestBackgroundClosedForm(t *testing.T) {
	cdf2 := func(x float64) float64 { return 0.5 + x/(2*math.Sqrt(2+x*x)) }
	q2 := func(p float64) float64 { return (2*p - 1) / math.Sqrt(2*p*(1-p)) }
	cdf1 := func(x float64) float64 { return 0.5 + math.Atan(x)/math.Pi }
	q1 := func(p float64) float64 { return math.Tan(math.Pi * (p - 0.5)) }
	// Reference ratios log 0.1, 0.2, 0.4: mean log 0.2, s = log 2.
	three := []judge.Sample{august(2019, 9, 99), august(2020, 19, 99), august(2021, 39, 99)}
	// Ratios log 0.1 and 0.4: mean log 0.2, s = √2·log 2; 2022 overlaps.
	two := []judge.Sample{august(2019, 9, 99), august(2021, 39, 99), august(2022, 1000, 0)}
	for _, tc := range []struct {
		name   string
		trial  judge.Sample
		refs   []judge.Sample
		alpha  float64
		sd     float64 // of the reference log ratios
		cdf, q func(float64) float64
		years  int
		class  judge.Class
	}{
		{"three years, trial at 0.8 consistent", august(2022, 79, 99), three, 0.05, math.Ln2, cdf2, q2, 3, judge.Consistent},
		{"three years, trial at 0.8 above at 0.15", august(2022, 79, 99), three, 0.15, math.Ln2, cdf2, q2, 3, judge.Above},
		{"three years, trial at 0.01 below", august(2022, 0, 99), three, 0.1, math.Ln2, cdf2, q2, 3, judge.Below},
		{"three years, controls busier", august(2022, 1999, 4999), three, 0.05, math.Ln2, cdf2, q2, 3, judge.Consistent},
		{"two years after leaving the trial's out", august(2022, 499, 99), two, 0.05, math.Sqrt2 * math.Ln2, cdf1, q1, 2, judge.Consistent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := judge.Background(tc.trial, tc.refs, judge.BackgroundOptions{Alpha: tc.alpha})
			if err != nil {
				t.Fatal(err)
			}
			n := float64(tc.years)
			se := tc.sd * math.Sqrt(1+1/n)
			c := float64(tc.trial.Controls) + 1
			rt := math.Log(float64(tc.trial.Zone)+1) - math.Log(c)
			tstat := (rt - math.Log(0.2)) / se
			q := tc.q(1 - tc.alpha)
			want := judge.BackgroundResult{
				Observed: tc.trial.Zone,
				Expected: c*0.2 - 1,
				Lower:    math.Max(0, c*0.2*math.Exp(-q*se)-1),
				Upper:    c*0.2*math.Exp(q*se) - 1,
				P:        1 - tc.cdf(tstat),
				PBelow:   tc.cdf(tstat),
				Class:    tc.class,
				Years:    tc.years,
				LogRatio: rt,
				Mean:     math.Log(0.2),
				SD:       tc.sd,
			}
			if !sameResult(got, want, 1e-9) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// sameResult compares the numbers of two results within relative
// tolerance tol (absolute below 1e-12).
func sameResult(a, b judge.BackgroundResult, tol float64) bool {
	eq := func(x, y float64) bool { return math.Abs(x-y) <= tol*math.Max(math.Abs(y), 1e-3) }
	return a.Observed == b.Observed && a.Class == b.Class && a.Years == b.Years &&
		eq(a.Expected, b.Expected) && eq(a.Lower, b.Lower) && eq(a.Upper, b.Upper) &&
		eq(a.P, b.P) && eq(a.PBelow, b.PBelow) && eq(a.LogRatio, b.LogRatio) &&
		eq(a.Mean, b.Mean) && eq(a.SD, b.SD)
}

// TestBackgroundIntervalIsTheTest walks the observed count through the
// prediction interval: Above exactly beyond Upper, Below exactly under
// Lower.
func TestBackgroundIntervalIsTheTest(t *testing.T) {
	refs := []judge.Sample{august(2012, 30, 900), august(2013, 55, 1200), august(2016, 20, 700),
		august(2018, 41, 1000), august(2019, 60, 1500), august(2020, 35, 800), august(2021, 28, 1100)}
	for _, alpha := range []float64{0.01, 0.05, 0.2} {
		for obs := 0; obs <= 300; obs++ {
			got, err := judge.Background(august(2022, obs, 1000), refs, judge.BackgroundOptions{Alpha: alpha})
			if err != nil {
				t.Fatal(err)
			}
			want := judge.Consistent
			switch {
			case float64(obs) > got.Upper:
				want = judge.Above
			case float64(obs) < got.Lower:
				want = judge.Below
			}
			if got.Class != want || !(got.Lower < got.Expected && got.Expected < got.Upper) {
				t.Fatalf("alpha %v observed %d: class %s in [%v, %v] around %v, want %s",
					alpha, obs, got.Class, got.Lower, got.Upper, got.Expected, want)
			}
		}
	}
}

func TestBackgroundEdges(t *testing.T) {
	flat := []judge.Sample{august(2019, 9, 99), august(2020, 19, 199), august(2021, 4, 49)} // all log 0.1
	for _, tc := range []struct {
		name      string
		trial     judge.Sample
		refs      []judge.Sample
		opts      judge.BackgroundOptions
		p, pBelow float64
		class     judge.Class
	}{
		{"no spread, trial above", august(2022, 10, 99), flat, judge.BackgroundOptions{Alpha: 0.05}, 0, 1, judge.Above},
		{"no spread, trial below", august(2022, 8, 99), flat, judge.BackgroundOptions{Alpha: 0.05}, 1, 0, judge.Below},
		{"no spread, trial equal", august(2022, 29, 299), flat, judge.BackgroundOptions{Alpha: 0.05}, 0.5, 0.5, judge.Consistent},
		{"no spread, floor makes it consistent", august(2022, 10, 99), flat, judge.BackgroundOptions{Alpha: 0.05, MinSD: 0.5},
			1 - 0.5 - math.Log(11.0/10)/(0.5*math.Sqrt(4.0/3))/(2*math.Sqrt(2+math.Pow(math.Log(1.1)/(0.5*math.Sqrt(4.0/3)), 2))),
			0.5 + math.Log(11.0/10)/(0.5*math.Sqrt(4.0/3))/(2*math.Sqrt(2+math.Pow(math.Log(1.1)/(0.5*math.Sqrt(4.0/3)), 2))),
			judge.Consistent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := judge.Background(tc.trial, tc.refs, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Class != tc.class || math.Abs(got.P-tc.p) > 1e-12 || math.Abs(got.PBelow-tc.pBelow) > 1e-12 {
				t.Errorf("got class %s P %v PBelow %v, want %s %v %v", got.Class, got.P, got.PBelow, tc.class, tc.p, tc.pBelow)
			}
		})
	}
}

func TestBackgroundErrors(t *testing.T) {
	ok := judge.BackgroundOptions{Alpha: 0.05}
	refs := []judge.Sample{august(2019, 1, 10), august(2020, 2, 10)}
	for _, tc := range []struct {
		name   string
		trial  judge.Sample
		refs   []judge.Sample
		opts   judge.BackgroundOptions
		tooFew bool
	}{
		{"no reference years", august(2022, 1, 10), nil, ok, true},
		{"one reference year", august(2022, 1, 10), refs[:1], ok, true},
		{"second year overlaps the trial", august(2020, 1, 10), refs, ok, true},
		{"negative trial count", august(2022, -1, 10), refs, ok, false},
		{"negative control count", august(2022, 1, 10), []judge.Sample{august(2019, 1, -10), august(2020, 2, 10)}, ok, false},
		{"alpha 0", august(2022, 1, 10), refs, judge.BackgroundOptions{}, false},
		{"alpha 0.5", august(2022, 1, 10), refs, judge.BackgroundOptions{Alpha: 0.5}, false},
		{"alpha NaN", august(2022, 1, 10), refs, judge.BackgroundOptions{Alpha: math.NaN()}, false},
		{"negative floor", august(2022, 1, 10), refs, judge.BackgroundOptions{Alpha: 0.05, MinSD: -1}, false},
		{"NaN floor", august(2022, 1, 10), refs, judge.BackgroundOptions{Alpha: 0.05, MinSD: math.NaN()}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := judge.Background(tc.trial, tc.refs, tc.opts)
			if err == nil {
				t.Fatalf("got %+v, want an error", got)
			}
			if errors.Is(err, judge.ErrTooFewYears) != tc.tooFew {
				t.Errorf("error %q: ErrTooFewYears %v, want %v", err, !tc.tooFew, tc.tooFew)
			}
		})
	}
}

// TestBackgroundEmptyWindows shows that samples without windows are all
// used: an empty window overlaps nothing.
func TestBackgroundEmptyWindows(t *testing.T) {
	got, err := judge.Background(judge.Sample{Zone: 3}, []judge.Sample{{Zone: 1}, {Zone: 2}}, judge.BackgroundOptions{Alpha: 0.05})
	if err != nil || got.Years != 2 {
		t.Errorf("got %+v, %v; want 2 years used", got, err)
	}
}

func TestSampleOverlaps(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2022, 8, d, 0, 0, 0, 0, time.UTC) }
	win := func(a, b int) judge.Sample { return judge.Sample{Start: day(a), End: day(b)} }
	for _, tc := range []struct {
		name string
		a, b judge.Sample
		want bool
	}{
		{"same", win(1, 10), win(1, 10), true},
		{"last instant before the end", win(1, 10), judge.Sample{Start: day(10).Add(-time.Nanosecond), End: day(20)}, true},
		{"touching at the end", win(1, 10), win(10, 20), false},
		{"touching at the start", win(10, 20), win(1, 10), false},
		{"inside", win(1, 20), win(5, 6), true},
		{"empty window", win(1, 20), win(5, 5), false},
		{"zero windows", judge.Sample{}, judge.Sample{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.Overlaps(tc.b); got != tc.want {
				t.Errorf("Overlaps = %v, want %v", got, tc.want)
			}
		})
	}
}
