// Package evidence is the tamper-evident record of what ceasefired ingested
// and judged: an append-only RFC 6962 Merkle log of canonically encoded
// leaves, checkpoints of it signed as notes with an ed25519 key, and the
// checks a third party runs on an exported bundle.
//
// The package is pure: it keeps its log in a Storage it is handed, so the
// store can hold the leaves and hashes in the same transaction as the
// incidents they describe. Hashing, proofs and signatures are those of
// golang.org/x/mod/sumdb/tlog and golang.org/x/mod/sumdb/note, the
// implementation behind the Go checksum database. docs/evidence.md
// describes every byte so that the checks can be redone with nothing but
// SHA-256 and ed25519.
package evidence
