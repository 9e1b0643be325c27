package monitor

import (
	"context"
	"time"
)

// DailyCount is the number of incidents of one source and category located
// inside one zone (boundary included) on one UTC calendar day. Every stored
// incident is counted, in a trial window or not, so that the pre-trial
// period and reference years can be compared with a trial.
type DailyCount struct {
	ZoneID   string
	Source   string
	Category Category
	Day      time.Time // UTC midnight
	Count    int64
}

// DayOf returns the UTC midnight that begins the calendar day of t.
func DayOf(t time.Time) time.Time {
	return t.UTC().Truncate(Day)
}

// Attempt is one fetch of a source, or one accepted push to it, and
// whether it succeeded.
type Attempt struct {
	Source string
	At     time.Time
	OK     bool
}

// TierUpdate sets the corroboration tier of the standing violations of one
// incident in one trial (every zone of the trial it violates). Source may
// be another than the batch's (a new incident promotes an older one of
// another source); empty means the batch's.
type TierUpdate struct {
	Trial, Source, IncidentID string
	Tier                      string // "single" or "corroborated"
}

// TierCount counts the standing violations of one trial in one zone from
// one source at one tier. Ambiguous placements are not counted.
type TierCount struct {
	Trial, ZoneID, Source, Tier string
	Count                       int64
}

// Located is a stored, not deleted incident as corroboration needs it:
// where and when, and whether it has a standing violation of the trial
// asked about.
type Located struct {
	Source, ID string
	At         time.Time
	Lon, Lat   float64
	Violation  bool
}

// JudgingStore is what judging reads and writes beside a Store: daily
// counts, fetch attempts and violation tiers. A Store that also is a
// JudgingStore maintains the daily counts of Batch items (Item.Zones) and
// applies Batch.Tiers in the transaction of the batch: a new incident adds
// to its counts, a revision moves them, a deletion takes them back. All
// methods are safe for concurrent use.
type JudgingStore interface {
	// AddCounts adds counts to the stored daily counts (a counts-only
	// replay of an archive, whose incidents are not stored).
	AddCounts(ctx context.Context, counts []DailyCount) error
	// DailyCounts returns the non-zero counts of the UTC days from the day
	// of from up to, not including, the day of to.
	DailyCounts(ctx context.Context, from, to time.Time) ([]DailyCount, error)
	// RecordAttempt stores one fetch or push attempt.
	RecordAttempt(ctx context.Context, a Attempt) error
	// Attempts returns the attempts with At in [from, to], by time.
	Attempts(ctx context.Context, from, to time.Time) ([]Attempt, error)
	// TierCounts returns the standing violations of trial by zone, source
	// and tier.
	TierCounts(ctx context.Context, trial string) ([]TierCount, error)
	// Located returns the stored incidents with event time in [from, to],
	// marking those with a standing violation of trial.
	Located(ctx context.Context, from, to time.Time, trial string) ([]Located, error)
	// ViolationsOf returns the standing violations of trial by the
	// incident (source, id), in zone order.
	ViolationsOf(ctx context.Context, trial, source, id string) ([]Violation, error)
	// PruneAttempts deletes the attempts before since that lie in none of
	// the windows keep (each [from, to], edges kept), and returns how many
	// it deleted.
	PruneAttempts(ctx context.Context, since time.Time, keep [][2]time.Time) (int64, error)
}

// ScheduleInterval returns the time between the next two runs of the
// schedule spec after now (the interval coverage allows twice of), 0 when
// spec does not parse or is empty.
func ScheduleInterval(spec string, now time.Time) time.Duration { return scheduleInterval(spec, now) }
