package daemon

import (
	"context"
	_ "embed"
	"html/template"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/monitor"
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
		w.Write([]byte("ceasefired is healthy.\n"))
	})
	mux.HandleFunc("GET /-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !d.ready.Load() {
			http.Error(w, "ceasefired is not ready.", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ceasefired is ready.\n"))
	})
	mux.HandleFunc("POST /-/reload", func(w http.ResponseWriter, _ *http.Request) {
		if err := d.Reload(); err != nil {
			d.log.Error("reload", "err", err)
			http.Error(w, "reload failed:\n"+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write([]byte("configuration reloaded\n"))
	})
	mux.HandleFunc("POST /api/v1/incidents", d.handlePush)
	mux.HandleFunc("GET /api/v1/trials/{name}/verdict", d.handleVerdict)
	mux.HandleFunc("GET /{$}", d.landing)
	return mux
}

// pageTrial is one trial as the landing page shows it.
type pageTrial struct {
	Name, Status string
	Day, Days    int
	Start, End   time.Time
	Prohibited   []monitor.Category
	Zones        []pageZone
	Violations   int64
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
	}{Now: now, ReadOnly: d.alerting.readOnly, Sources: d.runner.Statuses(), Alerts: d.alerting.manager.Active()}
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
