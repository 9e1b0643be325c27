package evidence

import (
	"crypto/sha256"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Storage holds a log's leaves and its tlog stored hashes: for every leaf
// its RFC 6962 leaf hash and the hash of every subtree it completes, in
// the order of tlog.StoredHashIndex. Keeping those hashes makes a tree
// hash or a proof a handful of reads (at most about 2·log₂ n), whatever
// the log's size.
//
// A Storage is used by one goroutine at a time: the caller serialises
// Append calls, typically by running each inside its own write
// transaction, and a Storage that is a view of a transaction lives no
// longer than it. In SQL it is two tables:
//
//	CREATE TABLE evidence_leaves (idx INTEGER PRIMARY KEY, kind TEXT NOT NULL, data BLOB NOT NULL);
//	CREATE TABLE evidence_hashes (idx INTEGER PRIMARY KEY, hash BLOB NOT NULL);
//
// with Size as SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves (the
// rows are dense from 0, and max reads one end of the index where count
// would read the table), ReadHashes as a SELECT of the indexes asked for,
// and Write as the inserts of a Batch, in the transaction that stores the
// incidents the leaves describe, so that both are kept or lost together:
// after a crash the log holds a leaf exactly when the store holds what it
// records.
type Storage interface {
	// ReadHashes returns the stored hashes at the given stored hash
	// indexes, as tlog.HashReader; an index not stored is an error.
	tlog.HashReader
	// Size returns the number of leaves stored.
	Size() (int64, error)
	// ReadLeaves returns the encodings of the n leaves from index start;
	// a leaf not stored is an error.
	ReadLeaves(start, n int64) ([][]byte, error)
	// Write stores a batch: all of it or, when it returns an error,
	// nothing. It must refuse a batch whose Start is not the current size,
	// or whose HashStart is not the current number of stored hashes, so
	// that two appenders racing from the same size cannot both succeed.
	Write(b *Batch) error
}

// Batch is what one Append adds to a Storage.
type Batch struct {
	Start     int64       // index of the first leaf: the log's size before
	Leaves    []Entry     // stored at Start, Start+1, ...
	HashStart int64       // stored hash index of Hashes[0]: tlog.StoredHashCount(Start)
	Hashes    []tlog.Hash // stored at HashStart, HashStart+1, ...
}

// Entry is one encoded leaf with its kind, which is also the second word
// of Data; it is kept apart so that storage can index it.
type Entry struct {
	Kind Kind
	Data []byte
}

// Append encodes leaves, computes their stored hashes and writes them to s
// in one Batch. It returns the index of the first leaf; the others follow
// in order. Nothing is written when an error is returned, either by
// Append (a leaf that cannot be encoded) or by s.Write, nor when leaves
// is empty (start is then the log's size).
func Append(s Storage, leaves ...Leaf) (start int64, err error) {
	start, err = s.Size()
	if err != nil {
		return 0, fmt.Errorf("append to evidence log: %w", err)
	}
	p, err := prepare(leaves, start)
	if err != nil {
		return 0, fmt.Errorf("append to evidence log: %w", err)
	}
	return AppendPrepared(s, p...)
}

// Prepared is a leaf encoded and hashed, ready to be appended.
type Prepared struct {
	Entry
	Hash tlog.Hash // tlog.RecordHash(Data)
}

// Prepare encodes and hashes leaves, the work of Append that needs no
// Storage, so that a caller may do it ahead or alongside other work. An
// error names the leaf by its position in leaves.
func Prepare(leaves ...Leaf) ([]Prepared, error) {
	return prepare(leaves, 0)
}

// prepare is Prepare with leaves numbered from first in errors.
func prepare(leaves []Leaf, first int64) ([]Prepared, error) {
	out := make([]Prepared, len(leaves))
	// Each leaf is encoded into one scratch buffer, hashed by one hasher,
	// and copied to the end of a block shared with the leaves before it:
	// an allocation per block, not per leaf, and none of the copying and
	// zeroing a single buffer costs when it grows.
	var block []byte
	scratch := make([]byte, 0, 512)
	h := sha256.New()
	var leafPrefix [1]byte // RFC 6962 hashes a zero byte before a leaf
	var err error
	for i, l := range leaves {
		if scratch, err = AppendEncoding(scratch[:0], l); err != nil {
			return nil, fmt.Errorf("leaf %d: %w", first+int64(i), err)
		}
		h.Reset()
		h.Write(leafPrefix[:])
		h.Write(scratch)
		h.Sum(out[i].Hash[:0])
		if cap(block)-len(block) < len(scratch) {
			// Room for the leaves left at this one's size, up to a block.
			block = make([]byte, 0, max(min(leafBlock, len(scratch)*(len(leaves)-i)), len(scratch)))
		}
		from := len(block)
		block = append(block, scratch...)
		out[i].Entry = Entry{Kind: l.Kind(), Data: block[from:len(block):len(block)]}
	}
	return out, nil
}

// leafBlock is the largest block Prepare keeps encodings in: about a
// hundred and fifty leaves of the usual sizes.
const leafBlock = 64 << 10

// AppendPrepared appends leaves prepared by Prepare, as Append does.
func AppendPrepared(s Storage, leaves ...Prepared) (start int64, err error) {
	start, err = s.Size()
	if err != nil {
		return 0, fmt.Errorf("append to evidence log: %w", err)
	}
	if len(leaves) == 0 {
		return start, nil
	}
	b := &Batch{Start: start, HashStart: tlog.StoredHashCount(start), Leaves: make([]Entry, len(leaves))}
	r := &pendingReader{stored: s, base: b.HashStart, pending: make([]tlog.Hash, 0, 2*len(leaves)+64)}
	for i := range leaves {
		hashes, err := tlog.StoredHashesForRecordHash(start+int64(i), leaves[i].Hash, r)
		if err != nil {
			return 0, fmt.Errorf("append to evidence log: leaf %d: %w", start+int64(i), err)
		}
		r.pending = append(r.pending, hashes...)
		b.Leaves[i] = leaves[i].Entry
	}
	b.Hashes = r.pending
	if err := s.Write(b); err != nil {
		return 0, fmt.Errorf("append to evidence log: write leaves %d..%d: %w", start, start+int64(len(leaves)), err)
	}
	return start, nil
}

// pendingReader reads hashes below base from stored and the others from
// pending: the hashes of a batch not yet written.
type pendingReader struct {
	stored  tlog.HashReader
	base    int64
	pending []tlog.Hash
}

// ReadHashes implements tlog.HashReader.
func (r *pendingReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var old []int64
	for i, x := range indexes {
		switch {
		case x < r.base:
			old = append(old, x)
		case x-r.base < int64(len(r.pending)):
			out[i] = r.pending[x-r.base]
		default:
			return nil, fmt.Errorf("read stored hash %d: not yet computed", x)
		}
	}
	if len(old) == 0 {
		return out, nil
	}
	hashes, err := r.stored.ReadHashes(old)
	if err != nil {
		return nil, err
	}
	if len(hashes) != len(old) {
		return nil, fmt.Errorf("read %d stored hashes: got %d", len(old), len(hashes))
	}
	j := 0
	for i, x := range indexes {
		if x < r.base {
			out[i] = hashes[j]
			j++
		}
	}
	return out, nil
}
