// Package configs loads and validates the ceasefired configuration file and
// holds the files shipped with the daemon (demo, systemd unit, Prometheus
// rules, Alertmanager route).
package configs

import (
	"time"

	"github.com/prometheus/common/model"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Config is a validated configuration file. Paths in it are absolute
// (resolved against the folder of the config file) and defaults are filled.
type Config struct {
	Zones    []ZoneFile `yaml:"zones"`
	Trials   []Trial    `yaml:"trials"`
	Sources  []Source   `yaml:"sources"`
	Alerting Alerting   `yaml:"alerting"`
	Limits   Limits     `yaml:"limits"`
	// Corroboration and Coverage tune the judging of every trial.
	Corroboration Corroboration `yaml:"corroboration"`
	Coverage      Coverage      `yaml:"coverage"`
	Evidence      Evidence      `yaml:"evidence"`

	// File is the path the config was read from, and SHA256 the digest of
	// its bytes: the config version the evidence log records.
	File   string   `yaml:"-"`
	SHA256 [32]byte `yaml:"-"`
	// Loaded holds, for every zone id, the zone as in force last (its
	// version with the latest effective_from), in the order the ids first
	// appear in the zone files.
	Loaded []geo.Zone `yaml:"-"`
	// Versions holds every version of every zone, in file order: what
	// incidents are judged against, each at its own time.
	Versions []ZoneVersion `yaml:"-"`
}

// ZoneFile names a GeoJSON FeatureCollection of zones, used unchanged.
type ZoneFile struct {
	File         string `yaml:"file"`          // relative to the config file
	IDProperty   string `yaml:"id_property"`   // feature property holding the zone id
	NameProperty string `yaml:"name_property"` // optional
	// EffectiveFrom is the instant from which the file's zones apply,
	// each until the next version of its zone id; zero (unset) means from
	// the beginning of time. A date alone means its midnight UTC.
	EffectiveFrom time.Time `yaml:"effective_from"`
	// SHA256 is the digest of the file's bytes as loaded: the zone
	// version the evidence log and every violation record.
	SHA256 [32]byte `yaml:"-"`
}

// Evidence configures the signing of the evidence log's checkpoints.
type Evidence struct {
	// KeyFile names the signer key file (a note signer key, as
	// `ceasefired evidence pubkey` describes); empty means the key the
	// daemon generates in its state folder at first start.
	KeyFile string `yaml:"key_file"`
	// CheckpointInterval is how often, at most, a checkpoint is signed
	// while leaves arrive; default 1m.
	CheckpointInterval model.Duration `yaml:"checkpoint_interval"`
	// Origin names the log, and the key generated for it; default
	// "ceasefired". A key file brings its own name, which must be it.
	Origin string `yaml:"origin"`
}

// Trial is one freeze-fire agreement in time.
type Trial struct {
	Name         string    `yaml:"name"`
	Zones        []string  `yaml:"zones"` // zone ids, or ["*"] for every zone
	Start        time.Time `yaml:"start"` // RFC 3339
	Days         int       `yaml:"days"`  // default 30
	Prohibited   []string  `yaml:"prohibited"`
	BufferMeters float64   `yaml:"buffer_meters"`
	// PreDays is the length in days of the pre-trial period the rates
	// during the trial are compared with; default 30.
	PreDays int `yaml:"pre_days"`
	// Background, when set, judges the trial zones' satellite detections
	// against their seasonal background.
	Background *Background `yaml:"background"`
}

// Background configures the seasonal background of a trial's thermal
// detections: the same calendar window in reference years, in the trial
// zone and in control zones.
type Background struct {
	// Source names the source whose incidents make the history.
	Source string `yaml:"source"`
	// Category is the category counted; default thermal_anomaly.
	Category string `yaml:"category"`
	// Years are the reference years, at least two; one whose window
	// overlaps the trial's is left out when judging.
	Years []int `yaml:"years"`
	// Controls are the control zone ids, or ["*"] (the default) for
	// every loaded zone outside the trial; see Config.Controls.
	Controls []string `yaml:"controls"`
	// Alpha is the level of the one-sided tests, in (0, 0.5); default
	// 0.05.
	Alpha float64 `yaml:"alpha"`
}

// Corroboration sets how near, in space and event time, an incident of
// another kind of source must be to corroborate a violation.
type Corroboration struct {
	DistanceM float64        `yaml:"distance_m"` // default 5000
	Window    model.Duration `yaml:"window"`     // default 6h
}

// Coverage sets when a trial day counts as observed, and how many must
// be for a zone to be said to have held.
type Coverage struct {
	// MinDaysFraction is the least share of complete trial days that must
	// be observed; in (0, 1], default 0.8.
	MinDaysFraction float64 `yaml:"min_days_fraction"`
	// PushMaxGap is the longest a push source may go without a request
	// and still observe; default 24h. Fetched sources are allowed twice
	// their schedule's interval.
	PushMaxGap model.Duration `yaml:"push_max_gap"`
}

// Source is one incident feed.
type Source struct {
	Name   string `yaml:"name"`
	Format string `yaml:"format"` // a name in the format registry (format.go)
	// Kind is the kind of source, for corroboration and coverage; the
	// default comes from the format's registry entry.
	Kind     judge.Kind `yaml:"kind"`
	URL      string     `yaml:"url"`  // ${NAME} expanded from the environment
	Path     string     `yaml:"path"` // glob, relative to the config file
	Schedule string     `yaml:"schedule"`
	// Category is given to records whose format carries none.
	Category string `yaml:"category"`
	// UncertaintyMeters is the location uncertainty given to records whose
	// format carries none.
	UncertaintyMeters float64        `yaml:"uncertainty_meters"`
	Timeout           model.Duration `yaml:"timeout"`   // http; default 30s
	MaxBytes          int64          `yaml:"max_bytes"` // http body limit; default 256 MiB
	// FormatBlocks are the blocks of particular formats, such as firms.
	FormatBlocks `yaml:",inline"`
}

// UCDPOptions tune a UCDP GED source.
type UCDPOptions struct {
	// KeepNotSpatial keeps events with where_prec 6 and 7 (country only,
	// international waters), which are otherwise rejected from matching.
	KeepNotSpatial bool `yaml:"keep_not_spatial"`
	// Categories maps type_of_violence codes (1, 2, 3) to categories,
	// overriding the defaults (1 and 2 armed_clash, 3 other).
	Categories map[int]string `yaml:"categories"`
	// API, when set, makes url the GED events endpoint of the UCDP API
	// (paged JSON) instead of a CSV download.
	API *UCDPAPIOptions `yaml:"api"`
}

// UCDPAPIOptions configure the paged JSON API of UCDP. The token comes from
// a file or from the environment (${NAME}), never from the config alone.
type UCDPAPIOptions struct {
	Token     string            `yaml:"token"`      // as ${NAME}
	TokenFile string            `yaml:"token_file"` // or a file holding it
	Query     map[string]string `yaml:"query"`      // filters, e.g. Country: 369
	PageSize  int               `yaml:"page_size"`  // 0: the default, 1000
}

// ACLEDAPIOptions configure the ACLED API. The key comes from a file or
// from the environment (${NAME}), never from the config alone.
type ACLEDAPIOptions struct {
	Key      string            `yaml:"key"`       // as ${NAME}
	KeyFile  string            `yaml:"key_file"`  // or a file holding it
	Email    string            `yaml:"email"`     // the account's email
	Query    map[string]string `yaml:"query"`     // filters, e.g. country: Ukraine
	PageSize int               `yaml:"page_size"` // 0: the default, 5000
}

// ACLEDOptions tune an ACLED source.
type ACLEDOptions struct {
	// KeepPrecision3 keeps events placed only at an administrative area
	// (geo_precision 3), which are otherwise rejected from matching.
	KeepPrecision3 bool `yaml:"keep_precision_3"`
	// Categories maps sub_event_type values to categories, overriding the
	// defaults one by one.
	Categories map[string]string `yaml:"categories"`
	// API, when set, makes url the root of the ACLED API (incremental by
	// record timestamp, with deletions) instead of a CSV download.
	API *ACLEDAPIOptions `yaml:"api"`
}

// Limits bound what is admitted from every source.
type Limits struct {
	// MaxFutureSkew is how far past the daemon's clock an event time may
	// lie; later incidents are rejected as "future". Default 10m.
	MaxFutureSkew model.Duration `yaml:"max_future_skew"`
}

// PointOptions are the quality filters of point feeds (geojson, jsonl,
// push).
type PointOptions struct {
	MinConfidence        string  `yaml:"min_confidence"`         // as for firms
	MaxUncertaintyMeters float64 `yaml:"max_uncertainty_meters"` // default 50000 (uncertainty_too_large); 0: no limit
}

// PushOptions configure a push source: field reports POSTed to
// /api/v1/incidents with the source's bearer token.
type PushOptions struct {
	// TokenFile holds the bearer token (surrounding white space ignored);
	// relative to the config file. Required.
	TokenFile    string  `yaml:"token_file"`
	MaxBodyBytes int64   `yaml:"max_body_bytes"` // default 10 MiB
	MaxItems     int     `yaml:"max_items"`      // per request; default 10000
	RateLimit    float64 `yaml:"rate_limit"`     // requests per second; default 20
	Burst        int     `yaml:"burst"`          // default 40
}

// CSVColumns maps the columns of a generic CSV feed by header name.
type CSVColumns struct {
	Lat  string `yaml:"lat"`
	Lon  string `yaml:"lon"`
	Time string `yaml:"time"` // a date or a date-time column
	// TimeFormat is a Go time layout; empty accepts RFC 3339, "2006-01-02
	// 15:04:05" and "2006-01-02".
	TimeFormat string `yaml:"time_format"`
	ID         string `yaml:"id"`       // optional; derived from the row when empty
	Category   string `yaml:"category"` // optional; else the source category
	Confidence string `yaml:"confidence"`
}

// FIRMSOptions are the quality filters of a FIRMS source.
type FIRMSOptions struct {
	// MinConfidence is "low", "nominal", "high" or a number 0-100; MODIS
	// numbers and VIIRS classes are compared on one scale (nominal = 30,
	// high = 80). Default: keep all.
	MinConfidence string `yaml:"min_confidence"`
	// DropTypes lists FIRMS `type` values to reject; default [2] (static
	// land sources such as gas flares and industry).
	DropTypes []int `yaml:"drop_types"`
	// Footprint gives each detection a location uncertainty of half its
	// pixel's diagonal (from scan × track), so that a detection just
	// outside a zone whose pixel reaches in is recorded as ambiguous.
	Footprint bool `yaml:"footprint"`
}

// Alerting configures delivery to Alertmanager.
type Alerting struct {
	Alertmanagers []string          `yaml:"alertmanagers"`
	ResendDelay   model.Duration    `yaml:"resend_delay"` // default 1m
	Hold          model.Duration    `yaml:"hold"`         // default 6h
	Severity      map[string]string `yaml:"severity"`     // category -> severity
}
