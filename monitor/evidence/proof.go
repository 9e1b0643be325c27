package evidence

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Head returns the size and root hash of the log in s. The root of the
// empty log is the SHA-256 of no bytes, as RFC 6962 defines it.
func Head(s Storage) (tlog.Tree, error) {
	n, err := s.Size()
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("evidence log head: %w", err)
	}
	h, err := tlog.TreeHash(n, s)
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("evidence log head at size %d: %w", n, err)
	}
	return tlog.Tree{N: n, Hash: h}, nil
}

// ProveLeaf returns the inclusion proof of the leaf at index in the tree
// of the first size leaves; index must be below size and size at most the
// log's size.
func ProveLeaf(r tlog.HashReader, size, index int64) (tlog.RecordProof, error) {
	p, err := tlog.ProveRecord(size, index, r)
	if err != nil {
		return nil, fmt.Errorf("prove leaf %d in tree of size %d: %w", index, size, err)
	}
	return p, nil
}

// ProveExtension returns the consistency proof that the tree of newSize
// leaves extends the tree of its first oldSize leaves. For oldSize 0 the
// proof is empty: the empty tree is a prefix of every tree.
func ProveExtension(r tlog.HashReader, newSize, oldSize int64) (tlog.TreeProof, error) {
	if oldSize == 0 && newSize >= 0 {
		return tlog.TreeProof{}, nil
	}
	p, err := tlog.ProveTree(newSize, oldSize, r)
	if err != nil {
		return nil, fmt.Errorf("prove tree of size %d extends size %d: %w", newSize, oldSize, err)
	}
	return p, nil
}

// Audit checks the first tree.N leaves of s against tree, typically the
// tree of a signed checkpoint: every leaf's hash must be the leaf hash
// stored for it, and the root recomputed from the leaves alone must be
// tree.Hash. It returns a *LeafError naming the first leaf whose stored
// encoding no longer matches its stored hash (an edited leaf); a leaf
// deleted or added, or hashes rewritten to match, show as a root that
// differs from tree.Hash.
func Audit(s Storage, tree tlog.Tree) error { return AuditEach(s, tree, nil) }

// AuditEach is Audit, also calling visit, when not nil, with each leaf's
// index, encoding and hash once the hash is checked, in order, so that a
// caller that reads every leaf anyway need not read the log twice. An
// error from visit stops the audit and is returned.
func AuditEach(s Storage, tree tlog.Tree, visit func(index int64, data []byte, hash tlog.Hash) error) error {
	const chunk = 4096
	var hashes memoryHashes
	for start := int64(0); start < tree.N; start += chunk {
		n := min(chunk, tree.N-start)
		leaves, err := s.ReadLeaves(start, n)
		if err != nil {
			return fmt.Errorf("audit evidence log: %w", err)
		}
		indexes := make([]int64, n)
		for i := range indexes {
			indexes[i] = tlog.StoredHashIndex(0, start+int64(i))
		}
		stored, err := s.ReadHashes(indexes)
		if err != nil {
			return fmt.Errorf("audit evidence log: %w", err)
		}
		for i, data := range leaves {
			index := start + int64(i)
			h := tlog.RecordHash(data)
			if h != stored[i] {
				return newLeafError(-1, index, data, fmt.Errorf("encoding does not match the leaf hash stored"))
			}
			if visit != nil {
				if err := visit(index, data, h); err != nil {
					return err
				}
			}
			more, err := tlog.StoredHashesForRecordHash(index, h, hashes)
			if err != nil {
				return fmt.Errorf("audit evidence log: %w", err)
			}
			hashes = append(hashes, more...)
		}
	}
	root, err := tlog.TreeHash(tree.N, hashes)
	if err != nil {
		return fmt.Errorf("audit evidence log: %w", err)
	}
	if root != tree.Hash {
		return fmt.Errorf("audit evidence log: root of %d leaves is %v, want %v", tree.N, root, tree.Hash)
	}
	return nil
}

// TreeOf returns the size and root hash of the tree of leaves, the
// encodings of a whole log in order, computed from them alone.
func TreeOf(leaves [][]byte) (tlog.Tree, error) {
	var hashes memoryHashes
	for i, data := range leaves {
		more, err := tlog.StoredHashes(int64(i), data, hashes)
		if err != nil {
			return tlog.Tree{}, fmt.Errorf("tree of %d leaves: %w", len(leaves), err)
		}
		hashes = append(hashes, more...)
	}
	root, err := tlog.TreeHash(int64(len(leaves)), hashes)
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("tree of %d leaves: %w", len(leaves), err)
	}
	return tlog.Tree{N: int64(len(leaves)), Hash: root}, nil
}

// VerifyLog checks that leaves are the whole log that c describes: c.Size
// encodings whose tree has c's root. Given the whole log, a verifier can
// see what a bundle leaves out; a leaf deleted, added, changed or moved
// anywhere fails the check.
func VerifyLog(leaves [][]byte, c Checkpoint) error {
	if int64(len(leaves)) != c.Size {
		return fmt.Errorf("verify log: %d leaves, checkpoint has %d", len(leaves), c.Size)
	}
	t, err := TreeOf(leaves)
	if err != nil {
		return fmt.Errorf("verify log: %w", err)
	}
	if t.Hash != c.Hash {
		return fmt.Errorf("verify log: root of the %d leaves is %v, checkpoint has %v", t.N, t.Hash, c.Hash)
	}
	return nil
}

// memoryHashes is a tlog.HashReader over stored hashes held in a slice.
type memoryHashes []tlog.Hash

// ReadHashes implements tlog.HashReader.
func (m memoryHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m)) {
			return nil, fmt.Errorf("read stored hash %d: %d computed", x, len(m))
		}
		out[i] = m[x]
	}
	return out, nil
}
