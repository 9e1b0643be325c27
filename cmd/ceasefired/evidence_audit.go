package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ceasefired/ceasefired/cmd/ceasefired/internal/daemon"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// evidenceAudit checks the stored evidence log: every leaf's encoding
// against its stored hash, the root recomputed from the leaves, and the
// latest signed checkpoint against the log. It prints the leaves by kind,
// and with o.list every leaf.
func evidenceAudit(ctx context.Context, o evidenceOptions, stdout io.Writer) error {
	db, err := store.Open(o.storagePath, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	log := db.Evidence(ctx)
	head, err := evidence.Head(log)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	kinds := map[evidence.Kind]int{}
	var line []byte
	err = evidence.AuditEach(log, head, func(index int64, data []byte, h tlog.Hash) error {
		l, err := evidence.Decode(data)
		if err != nil {
			return fmt.Errorf("leaf %d: %w", index, err)
		}
		kinds[l.Kind()]++
		if o.list {
			line = appendLeafLine(line[:0], index, l.Kind(), h, data)
			_, err = w.Write(line)
		}
		return err
	})
	if err != nil {
		return err
	}
	signed, err := auditCheckpoint(ctx, o, db, log, head)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "evidence log of %d leaves verifies (root %s); %s; by kind:", head.N, hex.EncodeToString(head.Hash[:]), signed)
	for _, k := range []evidence.Kind{evidence.KindDocument, evidence.KindIncident, evidence.KindViolation,
		evidence.KindRetraction, evidence.KindVersion} {
		fmt.Fprintf(w, " %s %d", k, kinds[k])
	}
	fmt.Fprintln(w)
	return w.Flush()
}

// trustedVerifier returns the verifier of o.publicKey, or of the key the
// configured daemon signs with.
func trustedVerifier(o evidenceOptions) (note.Verifier, error) {
	if o.publicKey != "" {
		return evidence.ReadVerifier(o.publicKey)
	}
	_, vkey, err := signerOf(o)
	if err != nil {
		return nil, err
	}
	return note.NewVerifier(vkey)
}

// auditCheckpoint checks the latest signed checkpoint in db, with the key
// o trusts, against the log whose head is head, and says what it found.
func auditCheckpoint(ctx context.Context, o evidenceOptions, db *store.DB, log evidence.Storage, head tlog.Tree) (string, error) {
	msg, ok, err := daemon.LatestCheckpoint(ctx, db)
	if err != nil {
		return "", err
	}
	if !ok {
		return "no checkpoint signed yet", nil
	}
	v, err := trustedVerifier(o)
	if err != nil {
		return "", err
	}
	c, err := evidence.OpenCheckpoint(msg, v)
	if err != nil {
		return "", fmt.Errorf("latest checkpoint: %w", err)
	}
	if c.Size > head.N {
		return "", fmt.Errorf("the latest checkpoint covers %d leaves, the stored log holds only %d", c.Size, head.N)
	}
	h, err := tlog.TreeHash(c.Size, log)
	if err != nil {
		return "", err
	}
	if h != c.Hash {
		return "", fmt.Errorf("the latest checkpoint's root of %d leaves is %s, the stored log's %s",
			c.Size, hex.EncodeToString(c.Hash[:]), hex.EncodeToString(h[:]))
	}
	return fmt.Sprintf("the latest checkpoint, of %d leaves signed by %s at %s, matches it", c.Size, v.Name(), c.Time.Format("2006-01-02T15:04:05Z")), nil
}

// appendLeafLine appends to b the line evidence audit --list prints for
// a leaf: "INDEX KIND LEAF_HASH ENCODING", tab-separated, the leaf hash in
// hexadecimal and the encoding quoted as a Go string literal.
func appendLeafLine(b []byte, index int64, kind evidence.Kind, h tlog.Hash, data []byte) []byte {
	b = strconv.AppendInt(b, index, 10)
	b = append(b, '\t')
	b = append(b, kind...)
	b = append(b, '\t')
	b = hex.AppendEncode(b, h[:])
	b = append(b, '\t')
	b = strconv.AppendQuote(b, string(data))
	return append(b, '\n')
}
