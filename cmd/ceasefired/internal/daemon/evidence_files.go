package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// versionStore is what LogVersions needs of a store.
type versionStore interface {
	AppendEvidence(ctx context.Context, leaves ...evidence.Leaf) (int64, error)
	KeepFile(ctx context.Context, content []byte) error
}

// LogVersions keeps in db a copy of the config file and of each zone file
// of cfg, and appends their version leaves (see VersionLeaves) to the
// evidence log, so that a bundle exported after a file was edited on disk
// still holds the bytes incidents were judged under. A file whose bytes no
// longer have the digest they were loaded with is logged but not kept, and
// a warning says so.
func LogVersions(ctx context.Context, db versionStore, cfg *configs.Config, log *slog.Logger) error {
	leaves := VersionLeaves(cfg)
	for _, l := range leaves {
		v := l.(evidence.Version)
		b, err := os.ReadFile(v.Name)
		if err == nil && evidence.Sum(b) != v.SHA256 {
			err = fmt.Errorf("changed since it was loaded")
		}
		if err != nil {
			log.Warn("no copy kept of a "+v.FileKind+" file", "file", v.Name, "sha256", v.SHA256.String(), "err", err)
			continue
		}
		if err := db.KeepFile(ctx, b); err != nil {
			return err
		}
	}
	_, err := db.AppendEvidence(ctx, leaves...)
	return err
}
