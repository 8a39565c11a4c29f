package boot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

var (
	// agetty's prompt, "HOSTNAME login: "; systemd may write on the same
	// line right after it (at shutdown), so no end-of-line anchor.
	loginRE  = regexp.MustCompile(`[A-Za-z0-9.-]+ login: `)
	kernelRE = regexp.MustCompile(`Linux version \S+`)
	oopsRE   = regexp.MustCompile(`(?m)(Kernel panic|Oops:|BUG: |general protection fault|Call Trace:)`)
	failedRE = regexp.MustCompile(`\[FAILED\]|Failed to start|: Failed with result`)
	ntpRE    = regexp.MustCompile(`(?m)^(Fallback)?NTP=.*`)
)

// firstBoot waits for the login prompt and SSH, then checks the live
// system. It reports whether both came up.
func (s *session) firstBoot(ctx context.Context) bool {
	r := s.report
	loginErr, sshErr := s.waitUp(ctx)
	r.add("a login prompt appears on the serial console", loginErr == nil,
		evidence(loginErr, "login prompt of "+s.getty()+": "+lastMatchLine(loginRE, s.con.Since(0))))
	r.add("SSH with the metadata's key (oc-fetch-ssh-keys) succeeds", sshErr == nil, evidence(sshErr, "ssh root@guest true: ok"))
	console := s.con.Since(0)
	r.add("the kernel boots without oops or panic", !oopsRE.MatchString(console),
		consoleEvidence(console, oopsRE, "no oops, panic or BUG on the console"))
	r.add(s.failedUnits(ctx, sshErr == nil))
	if sshErr == nil {
		s.checkList(ctx)
	}
	return loginErr == nil && sshErr == nil
}

// failedUnits checks that no unit failed: on the console, and in
// systemd's own account once the boot is finished when SSH works.
func (s *session) failedUnits(ctx context.Context, sshUp bool) (string, bool, string) {
	ok, ev := true, ""
	if sshUp {
		state, _ := s.run(ctx, s.scale(5*time.Minute), "systemctl", "is-system-running", "--wait")
		units, _ := s.run(ctx, time.Minute, "systemctl", "--failed", "--plain", "--no-legend")
		ok = strings.TrimSpace(units) == ""
		ev = fmt.Sprintf("system state %q; failed units: %q; ", strings.TrimSpace(state), oneLine(units))
	}
	console, journal := s.con.Since(0), s.journal()
	ok = ok && !failedRE.MatchString(ansiRE.ReplaceAllString(console, "")) && !failedRE.MatchString(journal)
	return "no systemd unit failed", ok, ev + joinEvidence(consoleEvidence(console, failedRE, "no [FAILED] on the console"),
		journalEvidence(journal, failedRE))
}

// checkList checks the image check list on the live system.
func (s *session) checkList(ctx context.Context) {
	r := s.report
	out, err := s.run(ctx, time.Minute, "hostname")
	r.add("the hostname came from the metadata", err == nil && strings.TrimSpace(out) == s.hostname,
		fmt.Sprintf("hostname %q, metadata %q", strings.TrimSpace(out), s.hostname))
	out, err = s.run(ctx, time.Minute, "sysctl", "-n", "vm.min_free_kbytes")
	r.add("sysctl vm.min_free_kbytes is 65536", err == nil && strings.TrimSpace(out) == "65536",
		"sysctl -n vm.min_free_kbytes: "+strings.TrimSpace(out))
	// One string: ssh joins its arguments and the guest's shell splits
	// them again. $LANG is the live one: pam_env reads /etc/default/locale
	// for the SSH session (sshd accepts no LANG from the client).
	out, err = s.run(ctx, time.Minute, `echo "live LANG=$LANG"; locale -a`)
	r.add("the default locale is en_US.UTF-8, generated", err == nil && strings.Contains(out, "live LANG=en_US.UTF-8\n") && strings.Contains(out, "en_US.utf8"),
		"echo $LANG; locale -a: "+oneLine(out))
	out, err = s.run(ctx, time.Minute, "systemd-analyze", "cat-config", "systemd/timesyncd.conf")
	ntp := ntpRE.FindAllString(out, -1)
	r.add("the live timesync config uses "+s.opt.NTP, err == nil && ntpUses(ntp, s.opt.NTP),
		evidence(err, "systemd-analyze cat-config systemd/timesyncd.conf: "+strings.Join(ntp, "; ")))
	said := s.ssh.TryPassword(ctx)
	r.add("sshd refuses passwords", strings.Contains(said, "Permission denied (publickey)"), "a password login attempt: "+said)
	s.isolation(ctx)
}

// ntpUses reports whether the NTP= lines, read as systemd reads a list
// (each line adds, an empty one resets), name server.
func ntpUses(lines []string, server string) bool {
	var servers []string
	for _, l := range lines {
		v, ok := strings.CutPrefix(l, "NTP=")
		switch {
		case !ok:
		case strings.TrimSpace(v) == "":
			servers = nil
		default:
			servers = append(servers, strings.Fields(v)...)
		}
	}
	for _, s := range servers {
		if s == server {
			return true
		}
	}
	return false
}

// reboot reboots from the OS and checks the system comes back: a new
// kernel start, SSH again, and the login prompt when the first boot had
// one.
func (s *session) reboot(ctx context.Context, login bool) bool {
	from := s.con.Len()
	s.run(ctx, 30*time.Second, "systemctl", "reboot")
	_, at, err := s.con.WaitFor(ctx, kernelRE, from, s.scale(3*time.Minute))
	if err == nil && login {
		_, _, err = s.con.WaitFor(ctx, loginRE, at, s.opt.Timeout)
	}
	if err == nil {
		err = s.ssh.Wait(ctx, s.opt.Timeout)
	}
	ok := err == nil && !oopsRE.MatchString(s.con.Since(from))
	ev := "rebooted: a new kernel start, a login prompt and SSH again"
	if err != nil {
		ev = fmt.Sprintf("%v; console ends with %q", err, lastLine(s.con.Since(from)))
	} else if !ok {
		ev = consoleEvidence(s.con.Since(from), oopsRE, "")
	}
	return s.report.add("reboot from the OS comes back (kernel, login prompt, SSH)", ok, ev)
}

// poweroff powers off from the OS and checks QEMU ends in time.
func (s *session) poweroff(ctx context.Context) {
	limit := s.scale(90 * time.Second)
	from, start := s.con.Len(), time.Now()
	s.run(ctx, 30*time.Second, "systemctl", "poweroff")
	name := "poweroff from the OS ends QEMU cleanly in time"
	select {
	case <-s.done:
		s.report.add(name, s.exitErr == nil,
			fmt.Sprintf("QEMU ended after %.1fs (limit %s), status %v", time.Since(start).Seconds(), limit, s.exitErr))
	case <-time.After(limit):
		s.report.add(name, false, fmt.Sprintf("QEMU still running after %s; console ends with %q", limit, lastLine(s.con.Since(from))))
	case <-ctx.Done():
	}
}

// reachable tries SSH once; the attempt is bounded because QEMU accepts
// the forwarded connection before the guest answers.
func (s *session) reachable(ctx context.Context) bool {
	_, err := s.run(ctx, 20*time.Second, "true")
	return err == nil
}

// run runs argv on the guest over SSH, for at most timeout.
func (s *session) run(ctx context.Context, timeout time.Duration, argv ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.scale(timeout))
	defer cancel()
	return s.ssh.Run(ctx, argv...)
}
