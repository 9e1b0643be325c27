package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// BundleFormat is the format word of a bundle's manifest.
const BundleFormat = "ceasefired-evidence-bundle-v1"

// The files of a bundle directory.
const (
	ManifestFile   = "bundle.json"
	CheckpointFile = "checkpoint"
	PublicKeyFile  = "pubkey"
)

// Manifest is bundle.json: the leaves of one trial's evidence, each with
// its inclusion proof in the tree of the bundle's checkpoint and the
// record the store holds for it.
type Manifest struct {
	Format string `json:"format"`
	Trial  string `json:"trial"`
	// Violations are the trial's standing violations as logged; a
	// violation logged and never retracted whose row the store lacks is
	// here with Missing set.
	Violations  []BundleEntry `json:"violations"`
	Incidents   []BundleEntry `json:"incidents"`   // the incidents of the violations
	Retractions []BundleEntry `json:"retractions"` // the trial's violations withdrawn
	Versions    []BundleEntry `json:"versions"`    // the config and zone files judged under
	// Unlogged lists stored violations of the trial that the log does not
	// hold: a row added behind the log's back.
	Unlogged    []map[string]string `json:"unlogged,omitempty"`
	Attribution []string            `json:"attribution,omitempty"`
}

// BundleEntry is one proven leaf of a bundle manifest with what is shown of its
// record.
type BundleEntry struct {
	Index int64    `json:"index"`
	Leaf  []byte   `json:"leaf"`  // the encoding, in base64
	Proof [][]byte `json:"proof"` // the inclusion proof, hashes in base64
	// Record holds fields of the stored record by the leaf's field names,
	// valued as the leaf encodes them, plus for incidents "raw" (the raw
	// record, when its licence lets it leave) and further fields a
	// verifier need not check. A field the leaf has and Record lacks is not
	// shown.
	Record map[string]string `json:"record,omitempty"`
	// Missing says why a logged leaf has no record: the store lost it.
	Missing string `json:"missing,omitempty"`
	// File is the path in the bundle of a version's file, when included.
	File string `json:"file,omitempty"`
}

// NewEntry returns the entry of the leaf at index of the log in s, with
// its inclusion proof in the tree of size leaves.
func NewEntry(s Storage, size, index int64, leaf []byte) (BundleEntry, error) {
	p, err := ProveLeaf(s, size, index)
	if err != nil {
		return BundleEntry{}, err
	}
	e := BundleEntry{Index: index, Leaf: leaf, Proof: make([][]byte, len(p))}
	for i, h := range p {
		e.Proof[i] = append([]byte(nil), h[:]...)
	}
	return e, nil
}

// RecordOf returns the fields of l as a Record: every field by name,
// valued as the leaf encodes it.
func RecordOf(l Leaf) map[string]string {
	fs := l.fields()
	out := make(map[string]string, len(fs))
	for _, f := range fs {
		v, err := formatValue(f.ptr)
		if err == nil {
			out[f.name] = v
		}
	}
	return out
}

// VerifyDir checks the bundle in dir with v: the checkpoint's signature,
// every entry's inclusion proof, that every record shown matches its leaf
// (and a raw record its digest), that no logged violation lacks its record
// and no stored one its leaf, and that every version file included has the
// digest logged. It returns the checkpoint and, when anything fails, an
// error listing every failure, each naming its leaf.
func VerifyDir(dir string, v note.Verifier) (Checkpoint, *Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("read bundle: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return Checkpoint{}, nil, fmt.Errorf("read bundle %s: %w", ManifestFile, err)
	}
	if m.Format != BundleFormat {
		return Checkpoint{}, &m, fmt.Errorf("bundle format %q, want %q", m.Format, BundleFormat)
	}
	msg, err := os.ReadFile(filepath.Join(dir, CheckpointFile))
	if err != nil {
		return Checkpoint{}, &m, fmt.Errorf("read bundle: %w", err)
	}
	groups := [][]BundleEntry{m.Violations, m.Incidents, m.Retractions, m.Versions}
	bundle := &Bundle{Checkpoint: msg}
	for _, g := range groups {
		for _, e := range g {
			p := make(tlog.RecordProof, len(e.Proof))
			for i, h := range e.Proof {
				copy(p[i][:], h)
			}
			bundle.Leaves = append(bundle.Leaves, ProvenLeaf{Index: e.Index, Leaf: e.Leaf, Proof: p})
		}
	}
	c, err := VerifyBundle(bundle, v)
	var be *BundleError
	if err != nil && !errors.As(err, &be) {
		return c, &m, err
	}
	failed := &BundleError{}
	if be != nil {
		failed.Leaves = be.Leaves
	}
	pos := 0
	for _, g := range groups {
		for _, e := range g {
			if err := checkEntry(dir, e); err != nil {
				failed.Leaves = append(failed.Leaves, newLeafError(pos, e.Index, e.Leaf, err))
			}
			pos++
		}
	}
	var errs []error
	if len(failed.Leaves) > 0 {
		errs = append(errs, failed)
	}
	for _, u := range m.Unlogged {
		if u["kind"] == "incident" {
			errs = append(errs, fmt.Errorf("stored incident %q/%q is not in the log", u["source"], u["id"]))
			continue
		}
		errs = append(errs, fmt.Errorf("stored violation of zone %q by incident %q/%q is not in the log",
			u["zone_id"], u["source"], u["incident_id"]))
	}
	return c, &m, errors.Join(errs...)
}

// checkEntry checks the record of e against its leaf.
func checkEntry(dir string, e BundleEntry) error {
	if e.Missing != "" {
		return fmt.Errorf("logged, but the store has no record of it: %s", e.Missing)
	}
	l, err := Decode(e.Leaf)
	if err != nil {
		return nil // VerifyBundle reports it
	}
	logged := RecordOf(l)
	for _, f := range l.fields() {
		shown, ok := e.Record[f.name]
		if ok && shown != logged[f.name] {
			return fmt.Errorf("the record shown differs from the leaf logged in field %s", f.name)
		}
	}
	if raw, ok := e.Record["raw"]; ok {
		if d := sha256.Sum256([]byte(raw)); hex.EncodeToString(d[:]) != logged["raw_sha256"] {
			return errors.New("the raw record shown is not the one logged: its SHA-256 differs from raw_sha256")
		}
	}
	if e.File != "" {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.File)))
		if err != nil {
			return fmt.Errorf("version file: %w", err)
		}
		if d := sha256.Sum256(data); hex.EncodeToString(d[:]) != logged["sha256"] {
			return fmt.Errorf("version file %s: its SHA-256 differs from the one logged", e.File)
		}
	}
	return nil
}
