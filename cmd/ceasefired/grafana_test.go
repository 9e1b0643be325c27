package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dashboardExprs returns every PromQL expression of the panels of a Grafana
// dashboard, and the datasource of every panel and target.
func dashboardExprs(t *testing.T, path string) (exprs, datasources []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Type, Title string
			Datasource  *struct{ UID string }
			Targets     []struct {
				Expr       string
				Datasource *struct{ UID string }
			}
		}
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	uid := func(ds *struct{ UID string }) string {
		if ds == nil {
			return ""
		}
		return ds.UID
	}
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		datasources = append(datasources, uid(p.Datasource))
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
			datasources = append(datasources, uid(tg.Datasource))
		}
	}
	return exprs, datasources
}

// shippedMetrics returns the metric names the demo exposes, and those of
// alert delivery, which exist only with an Alertmanager configured.
func shippedMetrics(t *testing.T, exposition string) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	for k := range parseSamples(exposition) {
		names[strings.SplitN(k, "{", 2)[0]] = true
	}
	src, err := os.ReadFile("../../alerts/metrics.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`Name:\s+"(ceasefire_[a-z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		names[m[1]] = true
	}
	return names
}

// TestGrafanaDashboard: every PromQL expression of the shipped dashboard
// uses shipped metrics only, names its datasource through the variable,
// and runs without error and with data on a real Prometheus scraping the
// demo. The demo also prints its report URL, which serves the report.
func TestGrafanaDashboard(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	promBin := needBinary(t, "prometheus")
	exprs, datasources := dashboardExprs(t, "../../configs/grafana/ceasefired.json")
	if len(exprs) < 10 {
		t.Fatalf("%d expressions in the dashboard, want the panels' queries", len(exprs))
	}
	for _, ds := range datasources {
		if ds != "${datasource}" {
			t.Errorf("a panel or target names datasource %q, want ${datasource}", ds)
		}
	}

	demo := exec.Command(binary, "demo", "--web.listen-address=127.0.0.1:"+strconv.Itoa(freePort(t)))
	stdout, err := demo.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = demo.Process.Signal(os.Interrupt); _ = demo.Wait() })
	urls := make(chan [2]string, 1)
	go scanLines(stdout, func(line string) bool {
		if i := strings.Index(line, "trial report:"); i >= 0 {
			u := strings.TrimSpace(line[i+len("trial report:"):])
			urls <- [2]string{u, strings.SplitN(u, "/trials/", 2)[0]}
			return true
		}
		return false
	})
	var u [2]string
	select {
	case u = <-urls:
	case <-time.After(30 * time.Second):
		t.Fatal("the demo printed no trial report URL")
	}
	reportURL, base := u[0], u[1]
	waitFor(t, 20*time.Second, "the demo's violations", func() bool {
		return sumSeries(parseSamples(httpGet(t, base+"/metrics")), "ceasefire_violations_total{") >= 10
	})
	if page := httpGet(t, reportURL); !strings.Contains(page, `<svg class="map"`) {
		t.Errorf("the printed report URL %s serves no map", reportURL)
	}
	shipped := shippedMetrics(t, httpGet(t, base+"/metrics"))
	nameRE := regexp.MustCompile(`ceasefire_[a-z_]+`)
	for _, e := range exprs {
		for _, n := range nameRE.FindAllString(e, -1) {
			if !shipped[strings.TrimSuffix(n, "_bucket")] && !shipped[n] {
				t.Errorf("%s uses %s, which ceasefired does not export", e, n)
			}
		}
	}

	dir := t.TempDir()
	port := freePort(t)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(fmt.Sprintf(`global: {scrape_interval: 1s}
scrape_configs:
  - job_name: ceasefired
    static_configs: [{targets: ['%s']}]
`, strings.TrimPrefix(base, "http://"))), 0o644); err != nil {
		t.Fatal(err)
	}
	prom := exec.Command(promBin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "tsdb"), "--web.listen-address=127.0.0.1:"+strconv.Itoa(port), "--log.level=warn")
	prom.Stderr = os.Stderr
	if err := prom.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = prom.Process.Kill(); _ = prom.Wait() })
	promURL := "http://127.0.0.1:" + strconv.Itoa(port)

	vars := strings.NewReplacer("$__rate_interval", "1m", "${trial}", ".+", "$trial", ".+")
	results := map[string]string{}
	waitFor(t, 60*time.Second, "every dashboard query to return data", func() bool {
		done := true
		for _, e := range exprs {
			results[e] = promQuery(promURL, vars.Replace(e))
			done = done && results[e] == ""
		}
		return done
	})
	for _, e := range exprs {
		if results[e] != "" {
			t.Errorf("%s: %s", e, results[e])
		}
	}
}

// promQuery runs an instant query and returns "" when it succeeded with
// data, or what went wrong.
func promQuery(base, q string) string {
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var r struct {
		Status, Error string
		Data          struct{ Result []json.RawMessage }
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return err.Error()
	}
	switch {
	case r.Status != "success":
		return "error: " + r.Error
	case len(r.Data.Result) == 0:
		return "no data"
	}
	return ""
}
