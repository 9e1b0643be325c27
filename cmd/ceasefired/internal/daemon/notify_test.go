package daemon

import (
	"bytes"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExtendWhileOpening: while a slow open runs, systemd is asked for more
// start time every interval and the log says once why; a quick open sends
// nothing; nothing is sent after the open returns.
func TestExtendWhileOpening(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)
	var logs bytes.Buffer
	n := notifier{slog.New(slog.NewTextHandler(&logs, nil))}
	const interval = 40 * time.Millisecond

	read := func() []string {
		var msgs []string
		buf := make([]byte, 256)
		for {
			if err := conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			k, err := conn.Read(buf)
			if err != nil {
				return msgs
			}
			msgs = append(msgs, string(buf[:k]))
		}
	}

	n.extendWhile(interval, func() {})
	if msgs := read(); len(msgs) != 0 {
		t.Errorf("a quick open sent %q", msgs)
	}

	n.extendWhile(interval, func() { time.Sleep(5*interval + interval/2) })
	msgs := read()
	// Five ticks fit; a busy host may drop some, never add one.
	if len(msgs) < 1 || len(msgs) > 5 {
		t.Errorf("a slow open of 5.5 intervals sent %d messages, want 1-5: %q", len(msgs), msgs)
	}
	for _, m := range msgs {
		if want := "EXTEND_TIMEOUT_USEC=120000"; m != want {
			t.Errorf("sent %q, want %q", m, want)
		}
	}
	if k := strings.Count(logs.String(), "the store is still opening"); k != 1 {
		t.Errorf("logged the slow open %d times, want once:\n%s", k, logs.String())
	}
}
