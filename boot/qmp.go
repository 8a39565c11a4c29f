package boot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// The SSH port is held, never picked and freed: QEMU's user network binds
// host port 0 for the forward to the guest's 22 (the kernel picks a free
// port and QEMU keeps it bound from then on), and boot asks QEMU which
// port that is through its QMP monitor, a Unix socket in boot's private
// work folder.

// forwardedPort asks QEMU, on its QMP socket, which host port forwards to
// the guest's port 22. It waits for the socket while QEMU starts; done is
// closed when QEMU has ended.
func forwardedPort(ctx context.Context, sock string, done <-chan struct{}) (int, error) {
	conn, err := dialMonitor(ctx, sock, done)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	dec, enc := json.NewDecoder(conn), json.NewEncoder(conn)
	var greeting struct{ QMP json.RawMessage }
	if err := dec.Decode(&greeting); err != nil || greeting.QMP == nil {
		return 0, fmt.Errorf("reading QEMU's monitor greeting: %v", err)
	}
	if _, err := qmpCall(dec, enc, "qmp_capabilities", nil); err != nil {
		return 0, err
	}
	ret, err := qmpCall(dec, enc, "human-monitor-command", map[string]string{"command-line": "info usernet"})
	if err != nil {
		return 0, err
	}
	var text string
	if err := json.Unmarshal(ret, &text); err != nil {
		return 0, fmt.Errorf("reading QEMU's info usernet: %w", err)
	}
	return hostForward(text, 22)
}

// dialMonitor connects to the QMP socket once QEMU has made it.
func dialMonitor(ctx context.Context, sock string, done <-chan struct{}) (net.Conn, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("unix", sock)
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("connecting to QEMU's monitor %s: %w", sock, err)
		}
		select {
		case <-done:
			return nil, errors.New("QEMU ended before its monitor answered")
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// qmpCall runs one QMP command and returns its result, skipping events.
func qmpCall(dec *json.Decoder, enc *json.Encoder, cmd string, args any) (json.RawMessage, error) {
	req := map[string]any{"execute": cmd}
	if args != nil {
		req["arguments"] = args
	}
	if err := enc.Encode(req); err != nil {
		return nil, fmt.Errorf("QEMU monitor %s: %w", cmd, err)
	}
	for {
		var m struct {
			Return json.RawMessage
			Error  *struct{ Desc string }
			Event  string
		}
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("QEMU monitor %s: %w", cmd, err)
		}
		switch {
		case m.Event != "":
			continue
		case m.Error != nil:
			return nil, fmt.Errorf("QEMU monitor %s: %s", cmd, m.Error.Desc)
		}
		return m.Return, nil
	}
}

// hostForward finds, in the text of "info usernet", the host port of the
// TCP forward to guestPort:
//
//	TCP[HOST_FORWARD]   3       127.0.0.1 45389       10.0.2.15    22     0     0
func hostForward(text string, guestPort int) (int, error) {
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || f[0] != "TCP[HOST_FORWARD]" || f[5] != strconv.Itoa(guestPort) {
			continue
		}
		if p, err := strconv.Atoi(f[3]); err == nil && p > 0 {
			return p, nil
		}
	}
	return 0, fmt.Errorf("QEMU's user network has no forward to the guest's port %d: %q", guestPort, text)
}
