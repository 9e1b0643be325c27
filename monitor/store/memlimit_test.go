package store

import (
	"context"
	"testing"
)

func TestLimitCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cacheSize := func() int {
		t.Helper()
		var n int
		if err := db.w.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := cacheSize(); got != -65536 {
		t.Fatalf("cache_size before = %d, want -65536", got)
	}
	tests := []struct {
		name    string
		kib     int
		want    int
		wantErr bool
	}{
		{"smaller", 4096, -4096, false},
		{"zero is refused", 0, -4096, true},
		{"negative is refused", -1, -4096, true},
		{"larger again", 8192, -8192, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.LimitCache(ctx, tt.kib)
			if (err != nil) != tt.wantErr {
				t.Fatalf("LimitCache(%d) error = %v, want error %v", tt.kib, err, tt.wantErr)
			}
			if got := cacheSize(); got != tt.want {
				t.Errorf("cache_size = %d, want %d", got, tt.want)
			}
		})
	}
}
