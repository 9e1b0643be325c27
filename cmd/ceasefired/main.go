// Command ceasefired verifies a freeze-fire ceasefire: it ingests incident
// feeds on a schedule, matches each incident against the zones and windows
// of the configured trials, stores the evidence and exports metrics and
// alerts.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	webflag "github.com/prometheus/exporter-toolkit/web/kingpinflag"

	"github.com/ceasefired/ceasefired/cmd/ceasefired/internal/daemon"
)

const defaultListenAddress = ":9797"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// init names the version of a binary built without release flags (go
// build, go install), which would otherwise report an empty one in
// --version, ceasefire_build_info and the User-Agent: the module version
// that go install records, or "devel".
func init() {
	if version.Version == "" {
		version.Version = moduleVersion(debug.ReadBuildInfo())
	}
}

func moduleVersion(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "devel"
	}
	return strings.TrimPrefix(bi.Main.Version, "v")
}

// run parses args, runs the chosen command and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	app := kingpin.New("ceasefired",
		"Verifies a freeze-fire ceasefire: ingests incident feeds, matches them against zones and trial windows, keeps the evidence and exports metrics and alerts.")
	app.Version(version.Print("ceasefired"))
	app.HelpFlag.Short('h')
	app.UsageWriter(stdout)
	app.ErrorWriter(stderr)
	logCfg := &promslog.Config{Writer: stderr}
	promslogflag.AddFlags(app, logCfg)

	runCmd := app.Command("run", "Run the daemon (the default command).").Default()
	var d daemon.Options
	runCmd.Flag("config.file", "Configuration file.").Default("ceasefired.yml").StringVar(&d.ConfigFile)
	runCmd.Flag("storage.path", "Folder of the state database.").Default("data/").StringVar(&d.StoragePath)
	addWebFlags(runCmd, &d)

	demoCmd := app.Command("demo", "Run the daemon on the embedded demo scenario, with its state in a temporary folder.")
	var demo daemon.Options
	addWebFlags(demoCmd, &demo)

	checkCmd := app.Command("check", "Check resources for validity.")
	checkConfigCmd := checkCmd.Command("config", "Check a configuration file, its zone files, trials and schedules.")
	checkFile := checkConfigCmd.Arg("config-file", "The configuration file to check.").Required().String()

	replayCmd := app.Command("replay", "Run historical files through the ingest pipeline; print violations as JSON lines.")
	var rp replayOptions
	replayCmd.Flag("config.file", "Configuration file (zones, trials, sources).").Default("ceasefired.yml").StringVar(&rp.configFile)
	replayCmd.Flag("storage.path", "Folder of the state database.").Default("data/").StringVar(&rp.storagePath)
	replayCmd.Flag("source", "Configured source whose format and options are used (default: the only, or first, file source).").StringVar(&rp.source)
	replayCmd.Flag("dry-run", "Store nothing.").BoolVar(&rp.dryRun)
	replayCmd.Flag("counts-only", "Store only the daily counts per zone, source and category (background history), not the incidents; print no violations.").BoolVar(&rp.countsOnly)
	addReplayDebugFlags(replayCmd, &rp.debug)
	replayCmd.Arg("files", "Files to replay (gzip detected by content).").Required().ExistingFilesVar(&rp.files)

	reportCmd := app.Command("report", "Write the report of one trial: counts per zone, map, day strip, violations, methods, hashes and attributions.")
	var ro reportOptions
	reportCmd.Flag("config.file", "Configuration file (zones, trials, sources).").Default("ceasefired.yml").StringVar(&ro.configFile)
	reportCmd.Flag("storage.path", "Folder of the state database; opened read-only, so the daemon may run.").Default("data/").StringVar(&ro.storagePath)
	reportCmd.Flag("trial", "Name of the trial.").Required().StringVar(&ro.trial)
	reportCmd.Flag("format", "Output format.").Default("html").EnumVar(&ro.format, "html", "md", "json", "csv")
	reportCmd.Flag("out", "File to write (default: standard output).").StringVar(&ro.out)
	reportCmd.Flag("web.external-url", "URL of the daemon, prefixed to the links to raw records in html and md (default: links relative to the daemon's root).").StringVar(&ro.externalURL)
	ev := addEvidenceCommands(app)

	cmd, err := app.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "ceasefired: %v\n", err)
		return 2
	}
	logger := promslog.New(logCfg)

	switch cmd {
	case runCmd.FullCommand():
		d.Logger = logger
		return runDaemon(d)
	case demoCmd.FullCommand():
		demo.Logger = logger
		return runDemo(demo, stdout)
	case checkConfigCmd.FullCommand():
		return checkConfig(*checkFile, stdout, stderr)
	case replayCmd.FullCommand():
		rp.logger = logger
		return runReplay(rp, stdout, stderr)
	case reportCmd.FullCommand():
		return runReport(ro, stdout, stderr)
	}
	if code, ok := ev.run(cmd, stdout, stderr); ok {
		return code
	}
	return 2
}

func addWebFlags(cmd *kingpin.CmdClause, o *daemon.Options) {
	o.Web = webflag.AddFlags(cmd, defaultListenAddress)
	cmd.Flag("web.external-url", "URL under which ceasefired is reached by people (alert links). Default: derived from the listen address.").StringVar(&o.ExternalURL)
}

// runDaemon runs the service until SIGINT or SIGTERM, reloading on SIGHUP,
// and returns the exit code: 0 after a clean stop, 1 when the daemon could
// not start, failed while serving, or could not persist its state at stop.
func runDaemon(o daemon.Options) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	d, err := daemon.New(o)
	if err == nil {
		err = d.Start(ctx)
	}
	if err != nil {
		o.Logger.Error("ceasefired could not start", "err", err)
		return 1
	}
	var failed error
	for running := true; running; {
		select {
		case <-ctx.Done():
			running = false
		case <-hup:
			if err := d.Reload(); err != nil {
				o.Logger.Error("reload", "err", err)
			}
		case failed = <-d.Failed():
			running = false
		}
	}
	if err := errors.Join(failed, d.Stop()); err != nil {
		o.Logger.Error("ceasefired stopped", "err", err)
		return 1
	}
	return 0
}
