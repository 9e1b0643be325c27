package daemon

import (
	"context"
	_ "embed"
	"html/template"
	"io"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/report"
)

//go:embed landing.html
var landingHTML string

var landingTmpl = template.Must(template.New("landing").Funcs(template.FuncMap{
	"ts": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.UTC().Format("2006-01-02 15:04:05Z")
	},
}).Parse(landingHTML))

func (d *Daemon) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(d.reg, promhttp.HandlerOpts{Registry: d.reg}))
	mux.HandleFunc("GET /-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, "ceasefired is healthy.\n")
	})
	mux.HandleFunc("GET /-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !d.ready.Load() {
			http.Error(w, "ceasefired is not ready.", http.StatusServiceUnavailable)
			return
		}
		reply(w, "ceasefired is ready.\n")
	})
	mux.HandleFunc("POST /-/reload", func(w http.ResponseWriter, _ *http.Request) {
		if err := d.Reload(); err != nil {
			d.log.Error("reload", "err", err)
			http.Error(w, "reload failed:\n"+err.Error(), http.StatusInternalServerError)
			return
		}
		reply(w, "configuration reloaded\n")
	})
	mux.HandleFunc("POST /api/v1/incidents", d.handlePush)
	mux.HandleFunc("GET /api/v1/incidents/{source}/{id...}", d.incident)
	mux.HandleFunc("GET /api/v1/trials/{name}/report", d.serveReport("json", "application/json"))
	mux.HandleFunc("GET /trials/{name}", d.serveReport("html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /api/v1/evidence/checkpoint", d.serveCheckpoint)
	mux.HandleFunc("GET /api/v1/trials/{name}/verdict", d.handleVerdict)
	mux.HandleFunc("GET /{$}", d.landing)
	// Browsers ask for an icon on every page; there is none, and a 404
	// would be logged as an error in their consoles.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "max-age=86400")
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// landingMarkers bounds the violations marked on the status page's maps,
// which refresh every 30 seconds; the trial report marks all.
const landingMarkers = 500

// landingMaxViolations bounds the trials whose map and strip the status
// page draws: each refresh reads all of a trial's violations, which for
// hundreds of thousands takes seconds. The trial report draws any trial.
const landingMaxViolations = 50000

// pageTrial is one trial as the landing page shows it.
type pageTrial struct {
	Name, Status string
	Day, Days    int
	Start, End   time.Time
	Prohibited   []monitor.Category
	Zones        []pageZone
	Violations   int64
	// Map and Strip are drawn for active trials only, and not when Large.
	Map, Strip template.HTML
	Large      bool // more than landingMaxViolations
}

type pageZone struct {
	ID, Name  string
	Count     int64
	Last      time.Time
	FreeDays  int
	Highlight bool
	// Verdict and VerdictText are the zone's verdict (verdicts.Compute).
	Verdict, VerdictText string
}

func (d *Daemon) landing(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	ev := d.runner.Evaluator()
	now := d.o.Now()
	data := struct {
		Now      time.Time
		ReadOnly bool
		Trials   []pageTrial
		Sources  []monitor.SourceStatus
		Recent   []monitor.Violation
		Alerts   []alerts.Alert
		Error    string
		Style    template.CSS
		Legend   template.HTML
	}{Now: now, Style: report.Style(), Legend: report.Legend(), ReadOnly: d.alerting.readOnly, Sources: d.runner.Statuses(), Alerts: d.alerting.manager.Active()}
	tally := d.runner.Tally()
	verdict, err := d.zoneVerdicts(ctx)
	if err != nil {
		data.Error = err.Error()
	}
	names := map[string]string{}
	for _, z := range ev.Index().Zones() {
		names[z.ID] = z.Name
	}
	for _, t := range ev.Trials() {
		pt := pageTrial{Name: t.Name, Status: string(t.Status(now)), Day: t.DayNumber(now), Days: t.Days,
			Start: t.Start, End: t.End(), Prohibited: t.Prohibited}
		for _, id := range t.Zones {
			z := tally.Zone(t.Name, id)
			pt.Violations += z.Count
			pt.Zones = append(pt.Zones, pageZone{ID: id, Name: names[id], Count: z.Count, Last: z.Last,
				FreeDays: tally.FreeDays(&t, id, now), Highlight: z.Count > 0,
				Verdict: string(verdict[t.Name+"\x00"+id].Verdict), VerdictText: verdict[t.Name+"\x00"+id].Text})
		}
		pt.Large = pt.Violations > d.landingMax
		if t.Status(now) == monitor.StatusActive && !pt.Large {
			var judged []judge.Verdict
			for _, id := range t.Zones {
				if v, ok := verdict[t.Name+"\x00"+id]; ok {
					judged = append(judged, v)
				}
			}
			st := d.current.Load()
			if rep, err := reportAt(ctx, st.cfg, &t, d.store, now, nil, judged, st.spec); err != nil {
				data.Error = err.Error()
			} else {
				pt.Map, pt.Strip = rep.MapNewest("", landingMarkers), rep.Strip()
			}
		}
		data.Trials = append(data.Trials, pt)
	}
	recent, err := d.store.Recent(ctx, 25)
	if err != nil {
		data.Error = err.Error()
	}
	data.Recent = recent
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := landingTmpl.Execute(w, data); err != nil {
		d.log.Error("render landing page", "err", err)
	}
}

// reply writes a short text answer. Its error is dropped here, once: a
// client that has gone away is not the daemon's error to report.
func reply(w http.ResponseWriter, text string) { _, _ = io.WriteString(w, text) }
