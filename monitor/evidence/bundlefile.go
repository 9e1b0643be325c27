package evidence

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

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

// BundleSummary is what VerifyDir read of a bundle's manifest besides its
// entries: its format and trial, how many entries each list held, and its
// unlogged records and attribution.
type BundleSummary struct {
	Format, Trial                                string
	Violations, Incidents, Retractions, Versions int
	Unlogged                                     []map[string]string
	Attribution                                  []string
}

// count returns where s counts the entries of list (an index in
// manifestLists).
func (s *BundleSummary) count(list int) *int {
	return [...]*int{&s.Violations, &s.Incidents, &s.Retractions, &s.Versions}[list]
}

// VerifyDir checks the bundle in dir with v: the checkpoint's signature,
// every entry's inclusion proof, that every record shown matches its leaf
// (and a raw record its digest), that no logged violation lacks its record
// and no stored one its leaf, and that every version file included has the
// digest logged. It reads the manifest an entry at a time. It returns the
// checkpoint and, when anything fails, an error listing every failure,
// each naming its leaf: those of proofs and leaves first, then those of
// records, each by position in the lists taken in their order.
func VerifyDir(dir string, v note.Verifier) (Checkpoint, *BundleSummary, error) {
	f, err := os.Open(filepath.Join(dir, ManifestFile))
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("read bundle: %w", err)
	}
	defer f.Close()
	// The checkpoint is opened first, for the proofs; a manifest that does
	// not read, or is of another format, is reported before it.
	var c Checkpoint
	msg, cerr := os.ReadFile(filepath.Join(dir, CheckpointFile))
	if cerr != nil {
		cerr = fmt.Errorf("read bundle: %w", cerr)
	} else if c, cerr = OpenCheckpoint(msg, v); cerr != nil {
		cerr = fmt.Errorf("verify bundle: %w", cerr)
	}
	s := &BundleSummary{}
	var proofs, records [len(manifestLists)][]*LeafError // by list, positions within it
	err = readManifest(f, s, func(list, i int, e *BundleEntry) {
		if cerr == nil {
			p := make(tlog.RecordProof, len(e.Proof))
			for k, h := range e.Proof {
				copy(p[k][:], h)
			}
			if err := checkLeaf(ProvenLeaf{Index: e.Index, Leaf: e.Leaf, Proof: p}, c); err != nil {
				proofs[list] = append(proofs[list], newLeafError(i, e.Index, e.Leaf, err))
			}
		}
		if err := checkEntry(dir, *e); err != nil {
			records[list] = append(records[list], newLeafError(i, e.Index, e.Leaf, err))
		}
	})
	if err != nil {
		return Checkpoint{}, s, fmt.Errorf("read bundle %s: %w", ManifestFile, err)
	}
	if s.Format != BundleFormat {
		return Checkpoint{}, s, fmt.Errorf("bundle format %q, want %q", s.Format, BundleFormat)
	}
	if cerr != nil {
		return Checkpoint{}, s, cerr
	}
	failed := &BundleError{}
	for _, byList := range [][len(manifestLists)][]*LeafError{proofs, records} {
		offset := 0
		for list, errs := range byList {
			for _, le := range errs {
				le.Position += offset
				failed.Leaves = append(failed.Leaves, le)
			}
			offset += *s.count(list)
		}
	}
	var errs []error
	if len(failed.Leaves) > 0 {
		errs = append(errs, failed)
	}
	for _, u := range s.Unlogged {
		if u["kind"] == "incident" {
			errs = append(errs, fmt.Errorf("stored incident %q/%q is not in the log", u["source"], u["id"]))
			continue
		}
		errs = append(errs, fmt.Errorf("stored violation of zone %q by incident %q/%q is not in the log",
			u["zone_id"], u["source"], u["incident_id"]))
	}
	return c, s, errors.Join(errs...)
}

// readManifest reads a bundle manifest from r as json.Unmarshal would into
// a Manifest (keys matched regardless of case, unknown ones skipped, no
// data after it), filling s and handing each entry of the lists to each,
// with the index of its list in manifestLists and its position in it.
func readManifest(r io.Reader, s *BundleSummary, each func(list, i int, e *BundleEntry)) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		list := slices.IndexFunc(manifestLists[:], func(name string) bool { return strings.EqualFold(name, key) })
		switch {
		case strings.EqualFold(key, "format"):
			err = dec.Decode(&s.Format)
		case strings.EqualFold(key, "trial"):
			err = dec.Decode(&s.Trial)
		case strings.EqualFold(key, "unlogged"):
			err = dec.Decode(&s.Unlogged)
		case strings.EqualFold(key, "attribution"):
			err = dec.Decode(&s.Attribution)
		case list >= 0:
			err = readList(dec, s.count(list), func(i int, e *BundleEntry) { each(list, i, e) })
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the manifest")
	}
	return nil
}

// readList reads a list of entries, or null, handing each to each and
// counting them in n.
func readList(dec *json.Decoder, n *int, each func(i int, e *BundleEntry)) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	*n = 0 // a list given again replaces the one before, as in json.Unmarshal
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("a list of entries is %v", tok)
	}
	for dec.More() {
		var e BundleEntry
		if err := dec.Decode(&e); err != nil {
			return err
		}
		each(*n, &e)
		*n++
	}
	return expectDelim(dec, ']')
}

// expectDelim reads the next token, which must be d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("%v where %v belongs", tok, d)
	}
	return nil
}

// checkEntry checks the record of e against its leaf.
func checkEntry(dir string, e BundleEntry) error {
	if e.Missing != "" {
		return fmt.Errorf("logged, but the store has no record of it: %s", e.Missing)
	}
	l, err := Decode(e.Leaf)
	if err != nil {
		return nil // checkLeaf, the proof step, reports it
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
