package daemon

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/mod/sumdb/note"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// KeyFileName is the signer key the daemon generates in its storage folder
// at first start when evidence.key_file names none.
const KeyFileName = "evidence.key"

// checkpointState is the state key of the latest signed checkpoint.
const checkpointState = "evidence_checkpoint"

// EvidenceKeyFile returns the signer key file of cfg: evidence.key_file,
// or KeyFileName in the storage folder.
func EvidenceKeyFile(cfg *configs.Config, storagePath string) string {
	if cfg.Evidence.KeyFile != "" {
		return cfg.Evidence.KeyFile
	}
	return filepath.Join(storagePath, KeyFileName)
}

// openSigner reads the signer key of cfg, generating the default one in
// the storage folder when it does not exist yet. The key's name must be
// evidence.origin, the name of the log.
func openSigner(cfg *configs.Config, storagePath string) (note.Signer, note.Verifier, error) {
	path := EvidenceKeyFile(cfg, storagePath)
	if cfg.Evidence.KeyFile == "" {
		_, err := evidence.CreateKeyFile(path, cfg.Evidence.Origin, rand.Reader)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, nil, fmt.Errorf("evidence key: %w", err)
		}
	}
	s, vkey, err := evidence.ReadSigner(path)
	if err != nil {
		return nil, nil, fmt.Errorf("evidence key: %w", err)
	}
	if s.Name() != cfg.Evidence.Origin {
		return nil, nil, fmt.Errorf("evidence key %s is named %q, evidence.origin is %q", path, s.Name(), cfg.Evidence.Origin)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, nil, fmt.Errorf("evidence key %s: %w", path, err)
	}
	return s, v, nil
}

// checkpointer signs a checkpoint of the evidence log whenever it has grown,
// at most every evidence.checkpoint_interval, and keeps the latest for
// /api/v1/evidence/checkpoint.
type checkpointer struct {
	d      *Daemon
	signer note.Signer
	latest atomic.Pointer[[]byte] // the signed note; nil before the first

	mu     sync.Mutex // serialises signing
	signed int64      // size of the latest checkpoint; -1 before the first

	logSize, size prometheus.Gauge
}

func newCheckpointer(ctx context.Context, d *Daemon, signer note.Signer, verifier note.Verifier) *checkpointer {
	c := &checkpointer{d: d, signer: signer, signed: -1,
		logSize: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ceasefire_evidence_log_size",
			Help: "Number of leaves in the evidence log.",
		}),
		size: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ceasefire_evidence_checkpoint_size",
			Help: "Number of leaves the latest signed checkpoint of the evidence log covers.",
		}),
	}
	d.reg.MustRegister(c.logSize, c.size)
	if msg, ok, err := d.store.GetState(ctx, checkpointState); err != nil {
		d.log.Warn("read the latest evidence checkpoint", "err", err)
	} else if ok {
		if cp, err := evidence.OpenCheckpoint(msg, verifier); err == nil {
			c.latest.Store(&msg)
			c.signed = cp.Size
			c.size.Set(float64(cp.Size))
		}
	}
	return c
}

// sign signs a checkpoint of the log as it is now, unless the latest one
// already covers it.
func (c *checkpointer) sign(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	head, err := evidence.Head(c.d.store.Evidence(ctx))
	if err != nil {
		return err
	}
	c.logSize.Set(float64(head.N))
	if head.N == c.signed {
		return nil
	}
	cp := evidence.Checkpoint{Origin: c.signer.Name(), Size: head.N, Hash: head.Hash, Time: c.d.o.Now().UTC()}
	msg, err := evidence.SignCheckpoint(cp, c.signer)
	if err != nil {
		return err
	}
	if err := c.d.store.PutState(ctx, checkpointState, msg); err != nil {
		c.d.log.Warn("store the latest evidence checkpoint", "err", err)
	}
	c.latest.Store(&msg)
	c.signed = head.N
	c.size.Set(float64(head.N))
	return nil
}

// run signs every evidence.checkpoint_interval, read again after each
// tick so that a reload applies, until ctx is done.
func (c *checkpointer) run(ctx context.Context) {
	every := c.interval()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := c.sign(ctx); err != nil && ctx.Err() == nil {
			c.d.log.Error("sign evidence checkpoint", "err", err)
		}
		if e := c.interval(); e != every {
			every = e
			t.Reset(every)
		}
	}
}

func (c *checkpointer) interval() time.Duration {
	return time.Duration(c.d.current.Load().cfg.Evidence.CheckpointInterval)
}

// serve writes the latest signed checkpoint, a signed note.
func (c *checkpointer) serve(w http.ResponseWriter, _ *http.Request) {
	msg := c.latest.Load()
	if msg == nil {
		http.Error(w, "no evidence checkpoint signed yet", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(*msg)
}

// logVersions appends to the evidence log the config file and zone files
// of st, as loaded at start or on reload, and logs each zone file version
// that prev (the setup replaced; nil at start) did not have.
func (d *Daemon) logVersions(ctx context.Context, prev, st *setup) {
	for _, z := range newZoneVersions(prev, st) {
		d.log.Info("new zone version", "file", z.File, "sha256", evidence.Digest(z.SHA256).String(),
			"effective_from", effectiveFrom(z.EffectiveFrom))
	}
	if err := LogVersions(ctx, d.store, st.cfg, d.log); err != nil {
		d.log.Error("log the config and zone versions in the evidence log", "err", err)
	}
}

// newZoneVersions returns the zone file listings of st whose file digest
// and effective_from prev had for no listing of the same file: every
// listing when prev is nil.
func newZoneVersions(prev, st *setup) []configs.ZoneFile {
	type key struct {
		file   string
		sha256 [32]byte
		from   time.Time
	}
	had := map[key]bool{}
	if prev != nil {
		for _, z := range prev.cfg.Zones {
			had[key{z.File, z.SHA256, z.EffectiveFrom.UTC()}] = true
		}
	}
	var out []configs.ZoneFile
	for _, z := range st.cfg.Zones {
		if !had[key{z.File, z.SHA256, z.EffectiveFrom.UTC()}] {
			out = append(out, z)
		}
	}
	return out
}

// effectiveFrom formats a zone file's effective_from for the log.
func effectiveFrom(t time.Time) string {
	if t.IsZero() {
		return "beginning of time"
	}
	return t.UTC().Format(time.RFC3339)
}

// VersionLeaves returns the evidence leaves of the config file and zone
// files of cfg, logged whenever they are loaded to judge incidents: one per
// zone file and digest, however many times the file is listed.
func VersionLeaves(cfg *configs.Config) []evidence.Leaf {
	leaves := []evidence.Leaf{evidence.Version{FileKind: "config", Name: cfg.File, SHA256: cfg.SHA256}}
	seen := map[evidence.Version]bool{}
	for _, z := range cfg.Zones {
		v := evidence.Version{FileKind: "zone", Name: z.File, SHA256: z.SHA256}
		if !seen[v] {
			seen[v] = true
			leaves = append(leaves, v)
		}
	}
	return leaves
}

// startEvidence opens the signer key and the checkpointer, and signs a
// first checkpoint unless the stored one covers the log. A read-only store
// whose key cannot be made runs without checkpoints.
func (d *Daemon) startEvidence(ctx context.Context, readOnly bool) error {
	s, v, err := openSigner(d.first.cfg, d.o.StoragePath)
	if err != nil {
		if readOnly {
			d.log.Warn("no evidence checkpoints while the store is read-only", "err", err)
			return nil
		}
		return err
	}
	d.evidence = newCheckpointer(ctx, d, s, v)
	return nil
}

// firstCheckpoint signs the checkpoint of the versions logged at start,
// before the daemon serves, so that a ready daemon always has one.
func (d *Daemon) firstCheckpoint(ctx context.Context) {
	if d.evidence == nil {
		return
	}
	if err := d.evidence.sign(ctx); err != nil && ctx.Err() == nil {
		d.log.Error("sign evidence checkpoint", "err", err)
	}
}

// runEvidence signs checkpoints until ctx is done.
func (d *Daemon) runEvidence(ctx context.Context) {
	if d.evidence == nil {
		return
	}
	d.evidence.run(ctx)
}

// finalCheckpoint signs a last checkpoint when stopping, after the last
// fetch, so that it covers every leaf.
func (d *Daemon) finalCheckpoint(ctx context.Context) {
	if d.evidence == nil {
		return
	}
	if err := d.evidence.sign(ctx); err != nil {
		d.log.Warn("sign the last evidence checkpoint", "err", err)
	}
}

// serveCheckpoint serves the latest signed checkpoint.
func (d *Daemon) serveCheckpoint(w http.ResponseWriter, r *http.Request) {
	if d.evidence == nil {
		http.Error(w, "evidence checkpoints are off: the store is read-only and has no key", http.StatusServiceUnavailable)
		return
	}
	d.evidence.serve(w, r)
}
