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

// auditChunk is how many leaves evidence audit reads at a time.
const auditChunk = 4096

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
	if err := evidence.Audit(log, head); err != nil {
		return err
	}
	signed, err := auditCheckpoint(ctx, o, db, log, head)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	kinds, err := listLeaves(log, head.N, o.list, w)
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

// listLeaves decodes the first n leaves of log and counts them by kind;
// with list it writes each to w as a line "INDEX KIND LEAF_HASH ENCODING",
// tab-separated, the leaf hash in hexadecimal and the encoding quoted as a
// Go string literal.
func listLeaves(log evidence.Storage, n int64, list bool, w io.Writer) (map[evidence.Kind]int, error) {
	kinds := map[evidence.Kind]int{}
	var line []byte
	for start := int64(0); start < n; start += auditChunk {
		leaves, err := log.ReadLeaves(start, min(auditChunk, n-start))
		if err != nil {
			return nil, err
		}
		for i, data := range leaves {
			l, err := evidence.Decode(data)
			if err != nil {
				return nil, fmt.Errorf("leaf %d: %w", start+int64(i), err)
			}
			kinds[l.Kind()]++
			if !list {
				continue
			}
			h := tlog.RecordHash(data)
			line = strconv.AppendInt(line[:0], start+int64(i), 10)
			line = append(line, '\t')
			line = append(line, l.Kind()...)
			line = append(line, '\t')
			line = hex.AppendEncode(line, h[:])
			line = append(line, '\t')
			line = strconv.AppendQuote(line, string(data))
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil {
				return nil, err
			}
		}
	}
	return kinds, nil
}
