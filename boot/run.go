package boot

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

var (
	loginRE  = regexp.MustCompile(`(?m)login: *$`)
	kernelRE = regexp.MustCompile(`Linux version \S+`)
	oopsRE   = regexp.MustCompile(`(?m)(Kernel panic|Oops:|BUG: |general protection fault|Call Trace:)`)
	failedRE = regexp.MustCompile(`(?m)\[FAILED\].*`)
)

func (s *session) run(ctx context.Context) (*Report, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	r := s.report
	s.firstBoot(ctx)
	if s.opt.Keep {
		fmt.Fprintf(s.opt.Log, "boot: the VM stays up (Ctrl-C ends it); reach it with:\n  %s\n", s.ssh.Command())
		r.Total = time.Since(s.started)
		r.Passed = len(r.Failed()) == 0
		r.Write(s.opt.Log)
		select {
		case <-ctx.Done():
		case <-s.exited:
		}
		return r, nil
	}
	if s.reboot(ctx) {
		s.poweroff(ctx)
	}
	r.Total = time.Since(s.started)
	r.Passed = len(r.Failed()) == 0
	return r, nil
}

// start runs QEMU with the console on its standard output.
func (s *session) start(ctx context.Context) error {
	bin, err := exec.LookPath(s.vm.Binary())
	if err != nil {
		return fmt.Errorf("finding %s: install Debian's qemu-system-x86 or qemu-system-arm", s.vm.Binary())
	}
	if _, err := exec.LookPath("nc"); err != nil {
		return fmt.Errorf("finding nc, which forwards the guest to the metadata service: install Debian's netcat-openbsd")
	}
	s.qemu = exec.Command(bin, s.vm.Args()...)
	out, err := s.qemu.StdoutPipe()
	if err != nil {
		return err
	}
	s.qemu.Stderr = s.qemu.Stdout
	s.con = newConsole(s.opt.Console)
	accel := "TCG"
	if s.vm.KVM {
		accel = "KVM"
	}
	logf(s.opt.Log, "starting %s (%s, kernel %s, %s)", s.vm.Binary(), accel, s.vm.Kernel.Version, s.vm.CommandLine())
	s.started = time.Now()
	if err := s.qemu.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", bin, err)
	}
	s.exited = make(chan error, 1)
	go func() {
		s.con.readFrom(out)
		s.exited <- s.qemu.Wait()
	}()
	return nil
}

// firstBoot waits for the login prompt and SSH, then checks the live
// system.
func (s *session) firstBoot(ctx context.Context) {
	r := s.report
	loginErr, sshErr := s.waitUp(ctx)
	console := s.con.Since(0)
	r.add("a login prompt appears on the serial console", loginErr == nil, evidence(loginErr, "login prompt: "+lastMatchLine(loginRE, console)))
	r.add("SSH with the metadata's key (oc-fetch-ssh-keys) succeeds", sshErr == nil, evidence(sshErr, "ssh root@guest true: ok"))
	if sshErr != nil {
		r.add("the kernel boots without oops or panic", !oopsRE.MatchString(console), firstMatch(oopsRE, console, "no oops, panic or BUG on the console"))
		r.add("no systemd unit failed", !failedRE.MatchString(console), "console: "+firstMatch(failedRE, console, "no [FAILED]"))
		return
	}
	state, _ := s.ssh.Run(ctx, "systemctl", "is-system-running", "--wait")
	failed, _ := s.ssh.Run(ctx, "systemctl", "--failed", "--plain", "--no-legend")
	console = s.con.Since(0)
	r.add("the kernel boots without oops or panic", !oopsRE.MatchString(console), firstMatch(oopsRE, console, "no oops, panic or BUG on the console"))
	r.add("no systemd unit failed", strings.TrimSpace(failed) == "" && !failedRE.MatchString(console),
		fmt.Sprintf("system state %q; failed units: %q; console: %s", strings.TrimSpace(state), strings.TrimSpace(failed), firstMatch(failedRE, console, "no [FAILED]")))
	s.checkList(ctx)
}

// waitUp waits for the login prompt and for SSH together: once one is up
// the other gets a grace period, so a missing prompt does not cost the
// whole timeout.
func (s *session) waitUp(ctx context.Context) (loginErr, sshErr error) {
	const grace = 90 * time.Second
	deadline := time.Now().Add(s.opt.Timeout)
	login, sshUp := false, false
	for !(login && sshUp) {
		if !login {
			if _, _, err := s.con.WaitFor(ctx, loginRE, 0, 5*time.Second); err == nil {
				login = true
				s.report.ToLogin = time.Since(s.started)
				deadline = minTime(deadline, time.Now().Add(grace))
			}
		}
		if !sshUp && s.reachable(ctx) {
			sshUp = true
			s.report.ToSSH = time.Since(s.started)
			deadline = minTime(deadline, time.Now().Add(grace))
		}
		if time.Now().After(deadline) || ctx.Err() != nil || s.con.Closed() {
			break
		}
	}
	if !login {
		loginErr = fmt.Errorf("no login prompt on the console after %s; last line: %q", time.Since(s.started).Round(time.Second), lastLine(s.con.Since(0)))
	}
	if !sshUp {
		_, err := s.ssh.Run(ctx, "true")
		sshErr = fmt.Errorf("no SSH after %s: %v", time.Since(s.started).Round(time.Second), err)
	}
	return loginErr, sshErr
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func lastMatchLine(re *regexp.Regexp, text string) string {
	loc := re.FindAllStringIndex(text, -1)
	if len(loc) == 0 {
		return ""
	}
	start := strings.LastIndex(text[:loc[len(loc)-1][0]], "\n") + 1
	return strings.TrimSpace(text[start:loc[len(loc)-1][1]])
}

// checkList checks the image check list on the live system.
func (s *session) checkList(ctx context.Context) {
	r := s.report
	out, err := s.ssh.Run(ctx, "hostname")
	r.add("the hostname came from the metadata", err == nil && strings.TrimSpace(out) == s.hostname,
		fmt.Sprintf("hostname %q, metadata %q", strings.TrimSpace(out), s.hostname))
	out, err = s.ssh.Run(ctx, "sysctl", "-n", "vm.min_free_kbytes")
	r.add("sysctl vm.min_free_kbytes is 65536", err == nil && strings.TrimSpace(out) == "65536", "sysctl -n vm.min_free_kbytes: "+strings.TrimSpace(out))
	out, err = s.ssh.Run(ctx, "sh", "-c", "cat /etc/default/locale; locale -a")
	r.add("the default locale is en_US.UTF-8, generated", err == nil && strings.Contains(out, "LANG=en_US.UTF-8") && strings.Contains(out, "en_US.utf8"),
		strings.Join(strings.Fields(out), " "))
	out, err = s.ssh.Run(ctx, "systemd-analyze", "cat-config", "systemd/timesyncd.conf")
	ntp := regexp.MustCompile(`(?m)^NTP=.*`).FindAllString(out, -1)
	r.add("the live timesync config uses "+s.opt.NTP, err == nil && strings.Contains(strings.Join(ntp, " "), s.opt.NTP),
		evidence(err, strings.Join(ntp, "; ")))
	said := s.ssh.TryPassword(ctx)
	r.add("sshd refuses passwords", strings.Contains(said, "Permission denied (publickey)"), "a password login attempt: "+said)
}

// reboot reboots from the OS and checks the system comes back.
func (s *session) reboot(ctx context.Context) bool {
	if len(s.report.Failed()) > 0 && !s.reachable(ctx) {
		return false
	}
	from := s.con.Len()
	s.ssh.Run(ctx, "systemctl", "reboot")
	_, at, err := s.con.WaitFor(ctx, kernelRE, from, 2*time.Minute)
	if err == nil {
		_, _, err = s.con.WaitFor(ctx, loginRE, at, s.opt.Timeout)
	}
	if err == nil {
		err = s.ssh.Wait(ctx, 2*time.Minute)
	}
	return s.report.add("reboot from the OS comes back (kernel, login prompt, SSH)", err == nil, evidence(err, "rebooted: a new kernel start, a login prompt and SSH again"))
}

// poweroff powers off from the OS and checks QEMU ends in time.
func (s *session) poweroff(ctx context.Context) {
	start := time.Now()
	s.ssh.Run(ctx, "systemctl", "poweroff")
	const limit = 90 * time.Second
	select {
	case err := <-s.exited:
		s.exited <- err
		ok := err == nil
		s.report.add("poweroff from the OS ends QEMU cleanly in time", ok,
			fmt.Sprintf("QEMU ended after %.1fs (limit %s), status %v", time.Since(start).Seconds(), limit, err))
	case <-time.After(limit):
		s.report.add("poweroff from the OS ends QEMU cleanly in time", false, "QEMU still running after "+limit.String()+"; console: "+lastLine(s.con.Since(0)))
	}
}

// reachable tries SSH once; the attempt is bounded because QEMU accepts
// the forwarded connection before the guest answers.
func (s *session) reachable(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err := s.ssh.Run(ctx, "true")
	return err == nil
}

func evidence(err error, ok string) string {
	if err != nil {
		return err.Error()
	}
	return ok
}

func firstMatch(re *regexp.Regexp, text, none string) string {
	if m := re.FindString(text); m != "" {
		return m
	}
	return none
}

func lastLine(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\r\n "), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
