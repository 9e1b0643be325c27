package evidence

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// ProvenLeaf is one leaf of a bundle: its encoding, its index in the log and
// its inclusion proof in the tree of the bundle's checkpoint.
type ProvenLeaf struct {
	Index int64
	Leaf  []byte
	Proof tlog.RecordProof
	// Record, when not nil, is the leaf rebuilt from the record the
	// bundle shows beside it (the incident's fields and the digest of its
	// raw record, say). VerifyBundle then checks that it is the leaf
	// logged, and names the first field that differs.
	Record Leaf
}

// Bundle is what a third party is given to check: leaves with their
// proofs, all against one signed checkpoint.
type Bundle struct {
	Checkpoint []byte // a signed note
	Leaves     []ProvenLeaf
}

// LeafError says which leaf of a bundle or log failed a check, and why.
type LeafError struct {
	Position int   // in Bundle.Leaves; -1 when found by Audit
	Index    int64 // in the log
	// Leaf is the decoded leaf, nil when its encoding does not decode.
	Leaf Leaf
	Err  error
}

func newLeafError(pos int, index int64, data []byte, err error) *LeafError {
	l, _ := Decode(data)
	return &LeafError{Position: pos, Index: index, Leaf: l, Err: err}
}

// Error names the leaf by its index and, when it decodes, by what it
// records.
func (e *LeafError) Error() string {
	if e.Leaf == nil {
		return fmt.Sprintf("leaf %d (undecodable): %v", e.Index, e.Err)
	}
	return fmt.Sprintf("leaf %d (%v): %v", e.Index, e.Leaf, e.Err)
}

// Unwrap returns the cause.
func (e *LeafError) Unwrap() error { return e.Err }

// BundleError lists every leaf of a bundle that failed its check.
type BundleError struct {
	Leaves []*LeafError
}

// Error lists the failed leaves, one per line.
func (e *BundleError) Error() string {
	msgs := make([]string, len(e.Leaves))
	for i, l := range e.Leaves {
		msgs[i] = l.Error()
	}
	return fmt.Sprintf("%d of the bundle's leaves fail:\n%s", len(e.Leaves), strings.Join(msgs, "\n"))
}

// VerifyBundle checks b's checkpoint signature by v, then every leaf's
// inclusion proof against it, and returns the checkpoint. When leaves
// fail, the error is a *BundleError naming each of them; a leaf that is
// not a valid encoding fails too, even when its proof holds. A bundle
// without leaves only has its checkpoint checked.
func VerifyBundle(b *Bundle, v note.Verifier) (Checkpoint, error) {
	c, err := OpenCheckpoint(b.Checkpoint, v)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("verify bundle: %w", err)
	}
	var failed []*LeafError
	for i, p := range b.Leaves {
		if err := checkLeaf(p, c); err != nil {
			failed = append(failed, newLeafError(i, p.Index, p.Leaf, err))
		}
	}
	if len(failed) > 0 {
		return c, &BundleError{Leaves: failed}
	}
	return c, nil
}

func checkLeaf(p ProvenLeaf, c Checkpoint) error {
	if p.Index < 0 || p.Index >= c.Size {
		return fmt.Errorf("index outside the checkpoint's tree of %d leaves", c.Size)
	}
	if err := tlog.CheckRecord(p.Proof, c.Size, c.Hash, p.Index, tlog.RecordHash(p.Leaf)); err != nil {
		return fmt.Errorf("not in the checkpoint's tree: %w", err)
	}
	logged, err := Decode(p.Leaf)
	if err != nil {
		return err
	}
	if p.Record != nil {
		if name := firstDifference(p.Record, logged); name != "" {
			return fmt.Errorf("the record shown differs from the leaf logged in field %s", name)
		}
	}
	return nil
}

// firstDifference returns the name of the first field whose encodings in
// a and b differ, "kind" when their kinds differ, or "" when a and b
// encode alike.
func firstDifference(a, b Leaf) string {
	if a.Kind() != b.Kind() {
		return "kind"
	}
	fb := b.fields()
	for i, f := range a.fields() {
		va, errA := formatValue(f.ptr)
		vb, errB := formatValue(fb[i].ptr)
		if va != vb || errA != nil || errB != nil {
			return f.name
		}
	}
	return ""
}

// VerifyConsistency checks that the checkpoints older and newer are both
// signed by v and that proof shows newer's tree to extend older's: the
// log was only appended to in between. It returns both checkpoints. A
// checkpoint of the same size must have the same root; a newer one that
// is smaller is an error.
func VerifyConsistency(older, newer []byte, proof tlog.TreeProof, v note.Verifier) (Checkpoint, Checkpoint, error) {
	o, err := OpenCheckpoint(older, v)
	if err != nil {
		return Checkpoint{}, Checkpoint{}, fmt.Errorf("older: %w", err)
	}
	n, err := OpenCheckpoint(newer, v)
	if err != nil {
		return o, Checkpoint{}, fmt.Errorf("newer: %w", err)
	}
	if err := CheckExtension(o.Tree(), n.Tree(), proof); err != nil {
		return o, n, err
	}
	return o, n, nil
}

// CheckExtension checks that proof shows the tree newer to extend older.
// The empty tree (size 0, root SHA-256 of no bytes) is extended by every
// tree, with an empty proof.
func CheckExtension(older, newer tlog.Tree, proof tlog.TreeProof) error {
	switch {
	case newer.N < older.N:
		return fmt.Errorf("tree of size %d cannot extend one of size %d", newer.N, older.N)
	case older.N == 0:
		empty, _ := tlog.TreeHash(0, nil)
		if older.Hash != empty || len(proof) != 0 {
			return errors.New("tree of size 0 with a root other than the empty hash, or a proof")
		}
		return nil
	}
	if err := tlog.CheckTree(proof, newer.N, newer.Hash, older.N, older.Hash); err != nil {
		return fmt.Errorf("tree of size %d does not extend the one of size %d: %w", newer.N, older.N, err)
	}
	return nil
}
