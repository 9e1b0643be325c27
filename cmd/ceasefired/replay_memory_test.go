package main

import (
	"context"
	"math"
	"runtime/debug"
	"testing"

	"github.com/ceasefired/ceasefired/monitor/store"
	"github.com/ceasefired/ceasefired/monitor/store/storetest"
)

// TestBoundReplayMemory checks the collector settings of each kind of
// replay, and that they are undone after it (replays run in tests too).
func TestBoundReplayMemory(t *testing.T) {
	dir := t.TempDir()
	storetest.Seed(t, dir)
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		name        string
		db          *store.DB
		wantPercent int
		wantLimit   int64
	}{
		{"dry run", nil, dryGCPercent, math.MaxInt64},
		{"stored", db, storedGCPercent, storedGoLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := debug.SetGCPercent(100)
			defer debug.SetGCPercent(before)
			restore, err := boundReplayMemory(context.Background(), tt.db)
			if err != nil {
				t.Fatal(err)
			}
			if got := debug.SetGCPercent(tt.wantPercent); got != tt.wantPercent {
				t.Errorf("GOGC during the replay = %d, want %d", got, tt.wantPercent)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.wantLimit {
				t.Errorf("memory limit during the replay = %d, want %d", got, tt.wantLimit)
			}
			restore()
			if got := debug.SetGCPercent(100); got != 100 {
				t.Errorf("GOGC after the replay = %d, want 100", got)
			}
			if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
				t.Errorf("memory limit after the replay = %d, want none", got)
			}
		})
	}
}
