package evidence

import (
	"fmt"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// MemoryStorage is a Storage in memory, for tests and tools that build a
// log of their own. Its zero value is an empty log. It is safe for
// concurrent use.
type MemoryStorage struct {
	mu     sync.Mutex
	leaves []Entry
	hashes []tlog.Hash
}

// Size implements Storage.
func (m *MemoryStorage) Size() (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(len(m.leaves)), nil
}

// ReadHashes implements Storage.
func (m *MemoryStorage) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("read stored hash %d: %d stored", x, len(m.hashes))
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// ReadLeaves implements Storage. The slices returned are copies.
func (m *MemoryStorage) ReadLeaves(start, n int64) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if start < 0 || n < 0 || start+n > int64(len(m.leaves)) {
		return nil, fmt.Errorf("read leaves %d..%d: %d stored", start, start+n, len(m.leaves))
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = append([]byte(nil), m.leaves[start+int64(i)].Data...)
	}
	return out, nil
}

// Write implements Storage: it checks the whole batch, then stores it.
func (m *MemoryStorage) Write(b *Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b.Start != int64(len(m.leaves)) {
		return fmt.Errorf("batch starts at leaf %d, log has %d", b.Start, len(m.leaves))
	}
	if b.HashStart != int64(len(m.hashes)) {
		return fmt.Errorf("batch starts at stored hash %d, log has %d", b.HashStart, len(m.hashes))
	}
	if want := tlog.StoredHashCount(b.Start + int64(len(b.Leaves))); b.HashStart+int64(len(b.Hashes)) != want {
		return fmt.Errorf("batch of %d leaves brings %d stored hashes, want %d",
			len(b.Leaves), b.HashStart+int64(len(b.Hashes)), want)
	}
	for _, e := range b.Leaves {
		m.leaves = append(m.leaves, Entry{Kind: e.Kind, Data: append([]byte(nil), e.Data...)})
	}
	m.hashes = append(m.hashes, b.Hashes...)
	return nil
}
