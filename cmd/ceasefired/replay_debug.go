package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/alecthomas/kingpin/v2"
)

// replayDebug holds the hidden flags that profile a replay, for whoever
// tunes the pipeline; users are not meant to need them.
type replayDebug struct {
	cpuProfile string // file for a CPU profile of the whole replay
	memProfile string // file for a heap profile at the replay's largest heap
}

// addReplayDebugFlags registers the hidden profiling flags of replay.
func addReplayDebugFlags(cmd *kingpin.CmdClause, d *replayDebug) {
	cmd.Flag("debug.cpuprofile", "Write a CPU profile of the replay to this file.").Hidden().StringVar(&d.cpuProfile)
	cmd.Flag("debug.memprofile", "Write a heap profile, taken when the heap was largest, to this file.").Hidden().StringVar(&d.memProfile)
}

// replayProfiler writes the profiles replayDebug asks for.
type replayProfiler struct {
	d       replayDebug
	cpu     *os.File
	maxHeap uint64 // largest heap in use seen by sample
	heap    []byte // heap profile taken then
}

// start begins the CPU profile, if asked for.
func (d replayDebug) start() (*replayProfiler, error) {
	p := &replayProfiler{d: d}
	if d.cpuProfile == "" {
		return p, nil
	}
	f, err := os.Create(d.cpuProfile)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	p.cpu = f
	return p, nil
}

// sample takes a heap profile when the heap in use is the largest seen so
// far. It reads the memory statistics, which stops the world briefly: call
// it once a batch, not once a row.
func (p *replayProfiler) sample() {
	if p == nil || p.d.memProfile == "" {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse <= p.maxHeap {
		return
	}
	p.maxHeap = ms.HeapInuse
	var b bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&b, 0); err == nil {
		p.heap = b.Bytes()
	}
}

// stop ends the CPU profile and writes the heap profile.
func (p *replayProfiler) stop() error {
	if p == nil {
		return nil
	}
	if p.cpu != nil {
		pprof.StopCPUProfile()
		if err := p.cpu.Close(); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
	}
	if p.d.memProfile != "" {
		p.sample()
		if err := os.WriteFile(p.d.memProfile, p.heap, 0o644); err != nil {
			return fmt.Errorf("heap profile: %w", err)
		}
	}
	return nil
}
