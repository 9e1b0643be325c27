package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// exporter builds one bundle.
type exporter struct {
	ctx     context.Context
	cfg     *configs.Config
	db      *store.DB
	log     evidence.Storage
	size    int64
	x       *logIndex
	sources map[string]*configs.Source // by name
	out     string
	// mw writes bundle.json as the entries are made; unlogged and
	// attribution end it.
	mw                    *evidence.ManifestWriter
	unlogged              []map[string]string
	attribution           []string
	violations, incidents int // entries written
}

func evidenceExport(ctx context.Context, o evidenceOptions, stdout io.Writer) error {
	signer, vkey, err := signerOf(o)
	if err != nil {
		return err
	}
	cfg, err := configs.Load(o.configFile)
	if err != nil {
		return fmt.Errorf("load config:\n%w", err)
	}
	if _, err := os.Stat(filepath.Join(o.out, evidence.ManifestFile)); err == nil {
		return fmt.Errorf("%s holds a bundle already", o.out)
	}
	db, err := store.Open(o.storagePath, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	// Rows first, then the log: a row committed meanwhile has its leaves
	// in the log read after it.
	rows, err := db.TrialViolations(ctx, o.trial)
	if err != nil {
		return err
	}
	e := &exporter{ctx: ctx, cfg: cfg, db: db, log: db.Evidence(ctx), sources: map[string]*configs.Source{}, out: o.out}
	for i := range cfg.Sources {
		e.sources[cfg.Sources[i].Name] = &cfg.Sources[i]
	}
	head, err := evidence.Head(e.log)
	if err != nil {
		return err
	}
	e.size = head.N
	cp := evidence.Checkpoint{Origin: signer.Name(), Size: head.N, Hash: head.Hash, Time: time.Now().UTC()}
	msg, err := evidence.SignCheckpoint(cp, signer)
	if err != nil {
		return err
	}
	if e.x, err = scanLog(e.log, head.N, o.trial); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(o.out, "files"), 0o755); err != nil {
		return err
	}
	// The manifest is written as it is made, under another name until it
	// is whole: a failed export leaves no bundle.json behind.
	f, err := os.CreateTemp(o.out, ".bundle-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename, nothing
	e.mw = evidence.NewManifestWriter(f, evidence.BundleFormat, o.trial)
	err = e.build(rows)
	if err == nil {
		err = e.mw.Close(e.unlogged, e.attribution)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		evidence.CheckpointFile: msg,
		evidence.PublicKeyFile:  []byte(vkey + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(o.out, name), data, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(o.out, evidence.ManifestFile)); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote the evidence of trial %q to %s: %d violations, %d incidents, proven in a checkpoint of %d leaves\n",
		o.trial, o.out, e.violations, e.incidents, head.N)
	return err
}

// build fills the manifest from the stored rows of the trial's violations
// and the log.
func (e *exporter) build(rows []monitor.Violation) error {
	byKey := make(map[violationKey]*monitor.Violation, len(rows))
	for i := range rows {
		v := &rows[i]
		k := violationKey{v.ZoneID, v.Source, v.IncidentID}
		byKey[k] = v
		if _, ok := e.x.violations[k]; !ok {
			e.unlogged = append(e.unlogged, evidence.RecordOf(store.ViolationLeaf(v)))
		}
	}
	zones := map[incidentKey][]string{}
	versions := map[evidence.Digest]bool{}
	var incidents []incidentKey
	for _, k := range e.x.standing() {
		at := e.x.violations[k]
		entry, err := evidence.NewEntry(e.log, e.size, at, e.x.leaves[at])
		if err != nil {
			return err
		}
		if v, ok := byKey[k]; ok {
			entry.Record = evidence.RecordOf(store.ViolationLeaf(v))
		} else {
			entry.Missing = "no stored violation row"
		}
		if err := e.mw.Add("violations", &entry); err != nil {
			return err
		}
		e.violations++
		l, _ := evidence.Decode(e.x.leaves[at])
		vl := l.(evidence.Violation)
		versions[vl.ZoneVersion], versions[vl.Config] = true, true
		ik := incidentKey{k.source, k.incident}
		if zones[ik] == nil {
			incidents = append(incidents, ik)
		}
		zones[ik] = append(zones[ik], k.zone)
	}
	seen := map[string]bool{}
	for _, ik := range incidents {
		if err := e.incident(ik, zones[ik]); err != nil {
			return err
		}
		if src := e.sources[ik.source]; src != nil && src.Attribution() != "" && !seen[src.Attribution()] {
			seen[src.Attribution()] = true
			e.attribution = append(e.attribution, src.Attribution())
		}
	}
	for _, at := range e.x.retractions {
		entry, err := evidence.NewEntry(e.log, e.size, at, e.x.leaves[at])
		if err != nil {
			return err
		}
		if err := e.mw.Add("retractions", &entry); err != nil {
			return err
		}
	}
	return e.versions(versions)
}

// incident adds the entry of one incident, showing of an ACLED one only
// what ACLED's terms let leave.
func (e *exporter) incident(k incidentKey, zones []string) error {
	at, leaf, logged, err := e.x.incident(e.log, k)
	if err != nil {
		return err
	}
	inc, stored, err := e.db.Incident(e.ctx, k.source, k.id)
	if err != nil {
		return err
	}
	if !logged {
		if stored {
			e.unlogged = append(e.unlogged, map[string]string{"source": k.source, "id": k.id, "kind": "incident"})
		}
		return nil
	}
	entry, err := evidence.NewEntry(e.log, e.size, at, leaf)
	if err != nil {
		return err
	}
	if !stored {
		entry.Missing = "no stored incident row"
		return e.addIncident(&entry)
	}
	rec := evidence.RecordOf(store.IncidentLeaf(k.source, &inc.Incident, evidence.Sum([]byte(inc.Raw))))
	if src := e.sources[k.source]; src != nil && src.Restricted() {
		rec = restrictedRecord(rec, inc.Raw, zones)
	} else {
		rec["raw"] = inc.Raw
	}
	entry.Record = rec
	return e.addIncident(&entry)
}

// addIncident writes the entry of an incident.
func (e *exporter) addIncident(entry *evidence.BundleEntry) error {
	e.incidents++
	return e.mw.Add("incidents", entry)
}

// restrictedRecord keeps of rec the id, date, category, precisions and zones
// (and the digest of the raw record, which discloses nothing of it).
func restrictedRecord(rec map[string]string, raw string, zones []string) map[string]string {
	out := map[string]string{"id": rec["id"], "occurred_at": rec["occurred_at"], "category": rec["category"],
		"uncertainty_m": rec["uncertainty_m"], "raw_sha256": rec["raw_sha256"], "zone_id": strings.Join(zones, ",")}
	var fields map[string]any
	if json.Unmarshal([]byte(raw), &fields) == nil {
		for _, k := range []string{"geo_precision", "time_precision"} {
			if v, ok := fields[k]; ok {
				out[k] = fmt.Sprint(v)
			}
		}
	}
	return out
}

// versions adds the entries of the config and zone files the violations
// were judged under, and copies in those files whose bytes are still those
// logged.
func (e *exporter) versions(used map[evidence.Digest]bool) error {
	files := map[evidence.Digest]string{e.cfg.SHA256: e.cfg.File}
	for _, z := range e.cfg.Zones {
		files[z.SHA256] = z.File
	}
	var digests []evidence.Digest
	for d := range used {
		if _, ok := e.x.versions[d]; ok {
			digests = append(digests, d)
		}
	}
	sort.Slice(digests, func(i, j int) bool { return e.x.versions[digests[i]] < e.x.versions[digests[j]] })
	for _, d := range digests {
		at := e.x.versions[d]
		data, err := e.log.ReadLeaves(at, 1)
		if err != nil {
			return err
		}
		entry, err := evidence.NewEntry(e.log, e.size, at, data[0])
		if err != nil {
			return err
		}
		b, err := e.versionFile(d, files[d])
		if err != nil {
			return err
		}
		if b != nil {
			l, _ := evidence.Decode(data[0])
			entry.File = "files/" + hex.EncodeToString(d[:]) + filepath.Ext(l.(evidence.Version).Name)
			if err := os.WriteFile(filepath.Join(e.out, filepath.FromSlash(entry.File)), b, 0o644); err != nil {
				return err
			}
		}
		if err := e.mw.Add("versions", &entry); err != nil {
			return err
		}
	}
	return nil
}

// versionFile returns the bytes of the config or zone file whose digest is
// d: from path when the file there still has that digest, else from the
// copy the store kept; nil when neither has it.
func (e *exporter) versionFile(d evidence.Digest, path string) ([]byte, error) {
	if path != "" {
		if b, err := os.ReadFile(path); err == nil && evidence.Sum(b) == d {
			return b, nil
		}
	}
	b, ok, err := e.db.KeptFile(e.ctx, d)
	if err != nil || !ok {
		return nil, err
	}
	return b, nil
}
