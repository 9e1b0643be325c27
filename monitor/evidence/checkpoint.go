package evidence

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// timeExtension starts the checkpoint line that carries its time.
const timeExtension = "time "

// Checkpoint is a tree head of the log: its size and root hash, with the
// time it was signed. Its text is the checkpoint form of transparency
// logs:
//
//	<origin>
//	<size, decimal>
//	<root hash, standard base64>
//	time <RFC 3339 UTC>            (optional extension line)
//	...                            (further extension lines)
//
// each line ending in a newline. The origin names the log and is the name
// of the key that signs it.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
	// Time is when the checkpoint was made; zero means it has no time line.
	Time time.Time
	// Extensions are further extension lines, kept in order; Parse keeps
	// those it does not know.
	Extensions []string
}

// Tree returns the size and root hash of c.
func (c Checkpoint) Tree() tlog.Tree { return tlog.Tree{N: c.Size, Hash: c.Hash} }

// Text returns the checkpoint text of c, the body of its signed note.
func (c Checkpoint) Text() (string, error) {
	if c.Origin == "" || strings.ContainsAny(c.Origin, "\n") {
		return "", fmt.Errorf("checkpoint origin %q: want one non-empty line", c.Origin)
	}
	if c.Size < 0 {
		return "", fmt.Errorf("checkpoint size %d: negative", c.Size)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Hash[:]))
	if !c.Time.IsZero() {
		t, err := formatValue(&c.Time)
		if err != nil {
			return "", fmt.Errorf("checkpoint: %w", err)
		}
		b.WriteString(timeExtension + t + "\n")
	}
	for _, e := range c.Extensions {
		if e == "" || strings.Contains(e, "\n") || strings.HasPrefix(e, timeExtension) {
			return "", fmt.Errorf("checkpoint extension %q: want one non-empty line, not a time", e)
		}
		b.WriteString(e + "\n")
	}
	return b.String(), nil
}

// ParseCheckpoint parses a checkpoint text (the text of a note, not yet
// checked to be signed).
func ParseCheckpoint(text string) (Checkpoint, error) {
	var c Checkpoint
	if !strings.HasSuffix(text, "\n") {
		return c, errors.New("parse checkpoint: no final newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return c, fmt.Errorf("parse checkpoint: %d lines, want at least 3", len(lines))
	}
	c.Origin = lines[0]
	if c.Origin == "" {
		return c, errors.New("parse checkpoint: empty origin")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return c, fmt.Errorf("parse checkpoint: size %.30q: want a decimal count", lines[1])
	}
	c.Size = size
	// The decoder skips CR and LF even when strict: comparing with the
	// encoding again keeps one text per checkpoint.
	h, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(h) != len(c.Hash) || base64.StdEncoding.EncodeToString(h) != lines[2] {
		return c, fmt.Errorf("parse checkpoint: root hash %.60q: want %d bytes in base64", lines[2], len(c.Hash))
	}
	copy(c.Hash[:], h)
	for i, e := range lines[3:] {
		switch {
		case e == "":
			return c, fmt.Errorf("parse checkpoint: line %d empty", i+4)
		case strings.HasPrefix(e, timeExtension):
			if i != 0 {
				return c, fmt.Errorf("parse checkpoint: line %d: time not on the first extension line", i+4)
			}
			if err := parseValue(&c.Time, []byte(e[len(timeExtension):])); err != nil {
				return c, fmt.Errorf("parse checkpoint: time: %w", err)
			}
		default:
			c.Extensions = append(c.Extensions, e)
		}
	}
	return c, nil
}

// SignCheckpoint returns c signed by s as a note. c's origin must be the
// key's name.
func SignCheckpoint(c Checkpoint, s note.Signer) ([]byte, error) {
	if c.Origin != s.Name() {
		return nil, fmt.Errorf("sign checkpoint of %q with key %q: origin and key name differ", c.Origin, s.Name())
	}
	text, err := c.Text()
	if err != nil {
		return nil, err
	}
	msg, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		return nil, fmt.Errorf("sign checkpoint: %w", err)
	}
	return msg, nil
}

// OpenCheckpoint checks that msg is a checkpoint note signed by v, whose
// origin is v's name, and returns the checkpoint. Signatures by other keys
// are ignored.
func OpenCheckpoint(msg []byte, v note.Verifier) (Checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("open checkpoint signed by %s: %w", v.Name(), err)
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != v.Name() {
		return Checkpoint{}, fmt.Errorf("open checkpoint: origin %q is not the key name %q", c.Origin, v.Name())
	}
	return c, nil
}
