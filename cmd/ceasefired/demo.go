package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/ceasefired/ceasefired/cmd/ceasefired/internal/daemon"
	"github.com/ceasefired/ceasefired/configs/demo"
)

// demoTrial is the name of the trial of the embedded demo config.
const demoTrial = "demo-freeze"

// runDemo runs the daemon on the embedded demo scenario, with config, feed
// and state in a temporary folder that is removed at exit.
func runDemo(o daemon.Options, stdout io.Writer) int {
	dir, err := os.MkdirTemp("", "ceasefired-demo-")
	if err != nil {
		o.Logger.Error("demo", "err", err)
		return 1
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	cfg, err := demo.Write(dir, start)
	if err != nil {
		o.Logger.Error("demo", "err", err)
		return 1
	}
	o.ConfigFile = cfg
	o.StoragePath = filepath.Join(dir, "data")

	// The feed stops with the daemon.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() {
		if err := demo.Feed(ctx, dir, start); err != nil && ctx.Err() == nil {
			o.Logger.Error("demo feed", "err", err)
		}
	}()
	o.OnReady = func(addrs []net.Addr) {
		fmt.Fprintf(stdout, "ceasefired demo is running; its files are in %s\n", dir)
		for _, a := range addrs {
			base := "http://" + daemon.DisplayAddr(a)
			fmt.Fprintf(stdout, "  status page:  %s/\n  trial report: %s/trials/%s\n  metrics:      %s/metrics\n",
				base, base, demoTrial, base)
		}
		fmt.Fprintln(stdout, "Field reports arrive over the next 10 seconds. Press Ctrl-C to stop.")
	}
	return runDaemon(o)
}
