// Package alerts turns ceasefire violations into Alertmanager alerts with
// the semantics of the Prometheus notifier.
//
// A Manager keeps one alert per (trial, zone_id, category). It fires while
// the newest violation is younger than the hold, is re-sent on every Tick
// with an endsAt lease of four resend delays, and once the hold lapses is
// sent resolved for ResolvedRetention before it is forgotten.
//
// A Sender delivers those alerts to every configured Alertmanager through
// POST <base>/api/v2/alerts. Each Alertmanager has its own bounded queue and
// goroutine, so a dead or slow one never delays the others; when a queue is
// full the oldest alerts are dropped and counted. Nothing is retried: the
// next Tick re-sends every alert that still matters.
//
// The package imports nothing else of the project.
package alerts
