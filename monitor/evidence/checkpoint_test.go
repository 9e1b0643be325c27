package evidence

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const origin = "ceasefired.example/evidence"

// testKey returns a signer and verifier made from a fixed seed.
func testKey(t testing.TB, seed byte) (note.Signer, note.Verifier) {
	t.Helper()
	skey, vkey, err := GenerateKey(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)), origin)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

func TestCheckpointText(t *testing.T) {
	c := Checkpoint{Origin: origin, Size: 42, Hash: tlog.RecordHash([]byte("x")),
		Time: time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC), Extensions: []string{"note: test"}}
	text, err := c.Text()
	if err != nil {
		t.Fatal(err)
	}
	// The root is the base64 of SHA-256(0x00 "x").
	want := origin + "\n42\n" + "PH6byTDck/AfppmF7yQtn56GHzxTVaokzl70tLinDMs=\n" +
		"time 2026-12-05T03:00:00Z\nnote: test\n"
	if text != want {
		t.Errorf("Text =\n%s\nwant\n%s", text, want)
	}
	back, err := ParseCheckpoint(text)
	if err != nil {
		t.Fatal(err)
	}
	if back.Origin != c.Origin || back.Size != c.Size || back.Hash != c.Hash || !back.Time.Equal(c.Time) ||
		len(back.Extensions) != 1 || back.Extensions[0] != "note: test" {
		t.Errorf("ParseCheckpoint(Text(c)) = %+v, want %+v", back, c)
	}
}

func TestParseCheckpointRejects(t *testing.T) {
	hash := "kYfVF8NwafCgU6gZYQaTNyMvlKj5J5EaHj3EeOIX96c="
	for _, tc := range []struct{ name, text, want string }{
		{"no final newline", origin + "\n1\n" + hash, "no final newline"},
		{"too short", origin + "\n1\n", "2 lines"},
		{"empty origin", "\n1\n" + hash + "\n", "empty origin"},
		{"negative size", origin + "\n-1\n" + hash + "\n", "want a decimal count"},
		{"size with leading zero", origin + "\n01\n" + hash + "\n", "want a decimal count"},
		{"short hash", origin + "\n1\nAAAA\n", "want 32 bytes"},
		{"bad time", origin + "\n1\n" + hash + "\ntime yesterday\n", "time"},
		{"time not first", origin + "\n1\n" + hash + "\nx\ntime 2026-12-05T03:00:00Z\n", "time not on the first"},
		{"empty extension", origin + "\n1\n" + hash + "\n\nx\n", "line 4 empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCheckpoint(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseCheckpoint error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSignAndOpenCheckpoint(t *testing.T) {
	s, v := testKey(t, 1)
	_, other := testKey(t, 2) // same name, another key
	c := Checkpoint{Origin: origin, Size: 3, Hash: tlog.RecordHash([]byte("x")), Time: t0}
	msg, err := SignCheckpoint(c, s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(msg, []byte("\n\n— "+origin+" ")) {
		t.Errorf("signed checkpoint has no signature line of %s:\n%s", origin, msg)
	}
	for _, tc := range []struct {
		name string
		msg  []byte
		v    note.Verifier
		want string
	}{
		{"good", msg, v, ""},
		{"other key of the same name", msg, other, "no verifiable signatures"},
		{"size changed", bytes.Replace(msg, []byte("\n3\n"), []byte("\n4\n"), 1), v, "invalid signature"},
		{"signature removed", msg[:bytes.Index(msg, []byte("\n\n"))+1], v, "malformed note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := OpenCheckpoint(tc.msg, tc.v)
			if tc.want == "" {
				if err != nil || got.Size != 3 || got.Hash != c.Hash || !got.Time.Equal(t0) {
					t.Errorf("OpenCheckpoint = %+v, %v", got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("OpenCheckpoint error = %v, want %q", err, tc.want)
			}
		})
	}
	c.Origin = "another.example/log"
	if _, err := SignCheckpoint(c, s); err == nil {
		t.Error("SignCheckpoint signed a checkpoint whose origin is not the key name")
	}
}

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evidence.key")
	vkey, err := CreateKeyFile(path, origin, bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	if _, err := CreateKeyFile(path, origin, bytes.NewReader(bytes.Repeat([]byte{8}, 32))); err == nil {
		t.Error("CreateKeyFile overwrote a key")
	}
	s, vkey2, err := ReadSigner(path)
	if err != nil {
		t.Fatal(err)
	}
	if vkey2 != vkey {
		t.Errorf("ReadSigner verifier key %q, want %q", vkey2, vkey)
	}
	pub := filepath.Join(dir, "evidence.pub")
	if err := os.WriteFile(pub, []byte(vkey+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := ReadVerifier(pub)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := SignCheckpoint(Checkpoint{Origin: origin, Size: 0, Hash: tlog.Hash{}}, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCheckpoint(msg, v); err != nil {
		t.Errorf("checkpoint signed with the key file does not open with its public key: %v", err)
	}
	if _, err := ReadVerifier(path); err == nil {
		t.Error("ReadVerifier accepted a private key")
	}
}

// FuzzParseCheckpoint checks that what ParseCheckpoint accepts is written
// back by Text as it was read.
func FuzzParseCheckpoint(f *testing.F) {
	f.Add(origin + "\n3\nPH6byTDck/AfppmF7yQtn56GHzxTVaokzl70tLinDMs=\ntime 2026-12-05T03:00:00Z\nx\n")
	f.Add(origin + "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ParseCheckpoint(text)
		if err != nil {
			return
		}
		again, err := c.Text()
		if err != nil {
			t.Fatalf("Text(ParseCheckpoint(%q)): %v", text, err)
		}
		if again != text {
			t.Fatalf("Text(ParseCheckpoint(%q)) = %q", text, again)
		}
	})
}
