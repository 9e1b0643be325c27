package judge_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// TestCalibration is the calibration of docs/judging.md: each reference
// year in turn is judged against the other six, every oblast against the
// rest in each of twelve 30-day windows, and the share flagged Above
// must stay within 7.5% at α = 0.05 and 2% at α = 0.01. Then 2022 is
// judged against all seven (see trialYear2022). Run with -v for the
// tables of the docs. The archive is read once for both.
func TestCalibration(t *testing.T) {
	ac := loadArchive(t, append([]int{calTrialYear}, calRefYears...))
	total := len(ac.zones) * calWindows
	rows := []string{"| held-out year | zone-windows | above at 0.05 | above at 0.01 |", "|---|---|---|---|"}
	for _, h := range calRefYears {
		t.Run(fmt.Sprint("held out ", h), func(t *testing.T) {
			refs := without(calRefYears, h)
			f05 := len(ac.flag(t, h, refs, judge.BackgroundOptions{Alpha: 0.05}))
			f01 := len(ac.flag(t, h, refs, judge.BackgroundOptions{Alpha: 0.01}))
			share05, share01 := float64(f05)/float64(total), float64(f01)/float64(total)
			rows = append(rows, fmt.Sprintf("| %d | %d | %d (%.1f%%) | %d (%.1f%%) |", h, total, f05, 100*share05, f01, 100*share01))
			if share05 > 0.075 {
				t.Errorf("%d of %d zone-windows above at 0.05 (%.1f%%), want at most 7.5%%", f05, total, 100*share05)
			}
			if share01 > 0.02 {
				t.Errorf("%d of %d zone-windows above at 0.01 (%.1f%%), want at most 2%%", f01, total, 100*share01)
			}
		})
	}
	t.Log("\n" + strings.Join(rows, "\n"))
	t.Run(fmt.Sprint("trial year ", calTrialYear), func(t *testing.T) { trialYear2022(t, ac) })
}

// trialYear2022 judges 2022 against all seven reference years and lists
// the oblasts and windows above background. The full-scale war must
// show: more zone-windows above at α = 0.01 than in any held-out
// reference year, whose worst is 4.
func trialYear2022(t *testing.T, ac archiveCounts) {
	rows := []string{"| window | oblast | observed | expected | upper (α = 0.05) | p |", "|---|---|---|---|---|---|"}
	flags := ac.flag(t, calTrialYear, calRefYears, judge.BackgroundOptions{Alpha: 0.05})
	slices.SortFunc(flags, func(a, b flagged) int {
		return cmp.Or(cmp.Compare(a.window, b.window), cmp.Compare(ac.zones[a.zone].ID, ac.zones[b.zone].ID))
	})
	strong := 0
	for _, f := range flags {
		s := ac.sample(calTrialYear, f.zone, f.window)
		z := ac.zones[f.zone]
		rows = append(rows, fmt.Sprintf("| %s – %s | %s %s | %d | %.0f | %.0f | %.2g |",
			s.Start.Format("2 Jan"), s.End.AddDate(0, 0, -1).Format("2 Jan"), z.ID, z.Name,
			f.res.Observed, f.res.Expected, f.res.Upper, f.res.P))
		if f.res.P < 0.01 {
			strong++
		}
	}
	t.Logf("%d of %d zone-windows above at 0.05, %d at 0.01\n%s", len(flags), len(ac.zones)*calWindows, strong, strings.Join(rows, "\n"))
	if strong <= 4 {
		t.Errorf("%d zone-windows of 2022 above at 0.01, want more than the reference years' worst, 4", strong)
	}
}
