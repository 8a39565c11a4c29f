package boot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/tripwire"
)

// isolation checks boot's own fences from the live guest: the guest
// reaches the metadata and no other service of the host, and the SSH
// client refuses a guest showing another host key than the one placed.
func (s *session) isolation(ctx context.Context) {
	s.report.add(s.hostServices(ctx))
	s.report.add(s.wrongHostKey(ctx))
}

// hostServices listens on the host's loopback and has the guest try it
// through the user network's host address, and the metadata.
func (s *session) hostServices(ctx context.Context) (string, bool, string) {
	const name = "the guest reaches the metadata and no other host service"
	ln, err := tripwire.Listen()
	if err != nil {
		return name, false, fmt.Sprintf("listening on the host's loopback: %v", err)
	}
	defer ln.Close()
	meta := metadataAddr + "/80"
	host := fmt.Sprintf("%s/%d", hostAddr, ln.Port())
	script := fmt.Sprintf(`for t in %s %s; do if timeout 10 bash -c "exec 3<>/dev/tcp/$t" 2>/dev/null; then echo "$t open"; else echo "$t closed"; fi; done`, meta, host)
	out, err := s.run(ctx, time.Minute, script)
	n := ln.Connections(1, 500*time.Millisecond)
	ok := err == nil && strings.Contains(out, meta+" open") && strings.Contains(out, host+" closed") && n == 0
	return name, ok, fmt.Sprintf("from the guest: %s; connections to the host's listener: %d", oneLine(out), n)
}

// wrongHostKey connects with a known_hosts that pins another key.
func (s *session) wrongHostKey(ctx context.Context) (string, bool, string) {
	const name = "SSH refuses the guest under another host key"
	other, err := newHostKey(ctx, s.work, "other_host_key")
	if err != nil {
		return name, false, err.Error()
	}
	c := *s.ssh
	c.knownHosts = other.knownHosts
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := c.Run(ctx, "true")
	ok := err != nil && strings.Contains(out, "Host key verification failed")
	return name, ok, "ssh with another pinned key: " + oneLine(out)
}
