package store

import (
	"context"
	"crypto/sha256"
	"testing"
)

func TestKeepFile(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	ctx := context.Background()
	v1, v2 := []byte(`{"type":"FeatureCollection","features":[]}`), []byte("zones: []\n")
	for _, b := range [][]byte{v1, v2, v1} { // the second keep of v1 writes nothing
		if err := db.KeepFile(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range [][]byte{v1, v2} {
		got, ok, err := db.KeptFile(ctx, sha256.Sum256(want))
		if err != nil || !ok || string(got) != string(want) {
			t.Errorf("KeptFile = %q, %v, %v; want %q", got, ok, err, want)
		}
	}
	if _, ok, err := db.KeptFile(ctx, sha256.Sum256([]byte("never kept"))); ok || err != nil {
		t.Errorf("KeptFile of a file never kept = %v, %v", ok, err)
	}
}
