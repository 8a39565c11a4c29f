package boot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// grace is how long the login prompt may lag SSH, or SSH the prompt, once
// the other is up and nothing says it will never come.
const grace = 90 * time.Second

// panicRE is the kernel giving up.
var panicRE = regexp.MustCompile(`Kernel panic - [^\r\n]*`)

// sshFailedRE is systemd saying sshd will not run: SSH can only fail then.
var sshFailedRE = regexp.MustCompile(`Failed to start .*(ssh|sshd)\.service|ssh\.service: Failed with result`)

// waitUp waits for the login prompt and for SSH together. Once one is up,
// the other gets a grace period, shortened when the guest already shows
// it will not come: sshd failed on the console, or systemd finished
// booting without the serial getty running.
func (s *session) waitUp(ctx context.Context) (loginErr, sshErr error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	loginCh := make(chan error, 1)
	go func() {
		_, _, err := s.con.WaitFor(wctx, loginRE, 0, s.opt.Timeout)
		loginCh <- err
	}()
	deadline := time.Now().Add(s.opt.Timeout)
	login, sshUp, loginDone := false, false, false
	var why string // why waiting ended early
	for !(login && sshUp) {
		select {
		case err := <-loginCh:
			loginDone, login = true, err == nil
			if login {
				s.report.ToLogin = time.Since(s.started)
				deadline = minTime(deadline, time.Now().Add(s.scale(grace)))
			}
		default:
		}
		if !sshUp && s.reachable(ctx) {
			sshUp = true
			s.report.ToSSH = time.Since(s.started)
			deadline = minTime(deadline, time.Now().Add(s.scale(grace)))
		}
		if why = s.hopeless(ctx, login, sshUp); why != "" {
			break
		}
		if (loginDone && !login && !sshUp) || time.Now().After(deadline) || ctx.Err() != nil || s.con.Closed() {
			break
		}
		sleep(ctx, 2*time.Second)
	}
	return s.upErrors(ctx, login, sshUp, why)
}

// hopeless says why the missing one of login prompt and SSH will not
// come, or "" while it still may.
func (s *session) hopeless(ctx context.Context, login, sshUp bool) string {
	if m := panicRE.FindString(s.con.Since(0)); m != "" {
		return "the kernel panicked: " + m // and panic=-1 reboots it, again and again
	}
	switch {
	case login && !sshUp:
		// systemd may restart sshd: give the restart a chance.
		if s.sshFailedAt.IsZero() && len(consoleLines(s.con.Since(0)+"\n"+s.journal(), sshFailedRE, 1)) > 0 {
			s.sshFailedAt = time.Now()
		}
		if !s.sshFailedAt.IsZero() && time.Since(s.sshFailedAt) > 20*time.Second {
			return "sshd failed to start and SSH still does not answer"
		}
	case sshUp && !login:
		state, _ := s.run(ctx, 20*time.Second, "systemctl", "is-system-running")
		state = strings.TrimSpace(state)
		if state == "starting" || state == "initializing" || state == "" {
			return ""
		}
		active, _ := s.run(ctx, 20*time.Second, "systemctl", "is-active", s.getty())
		if strings.TrimSpace(active) != "active" {
			return fmt.Sprintf("the system is up (%s) and %s is %s", state, s.getty(), strings.TrimSpace(active))
		}
	}
	return ""
}

// upErrors explains a missing login prompt or SSH with the evidence at
// hand: the guest's own account when SSH works, the console otherwise.
func (s *session) upErrors(ctx context.Context, login, sshUp bool, why string) (loginErr, sshErr error) {
	elapsed := time.Since(s.started).Round(time.Second)
	console := s.con.Since(0)
	if why != "" {
		why = " (" + why + ")"
	}
	if !login {
		ev := consoleEvidence(console, gettyRE, "console ends with "+fmt.Sprintf("%q", lastLine(console)))
		if sshUp {
			st, _ := s.run(ctx, 30*time.Second, "systemctl", "status", "--no-pager", "--lines=0", s.getty())
			ev = "systemctl status " + s.getty() + ": " + oneLine(st) + "; " + ev
		}
		ev = joinEvidence(ev, journalEvidence(s.journal(), gettyRE))
		loginErr = fmt.Errorf("no login prompt on %s after %s%s; %s", s.console, elapsed, why, ev)
	}
	if !sshUp {
		_, err := s.run(ctx, 30*time.Second, "true")
		sshErr = fmt.Errorf("no SSH after %s%s: %v; %s", elapsed, why, err, joinEvidence(
			consoleEvidence(console, sshConsoleRE, "nothing about sshd on the console"),
			journalEvidence(s.journal(), sshJournalRE)))
	}
	return loginErr, sshErr
}

var (
	gettyRE      = regexp.MustCompile(`(?i)getty|ttyS0|ttyAMA0`)
	sshConsoleRE = regexp.MustCompile(`ssh\.service|sshd\[|sshd:|oc-fetch-ssh-keys`)
	// sshd's own complaint and systemd's verdict, not its restart chatter.
	sshJournalRE = regexp.MustCompile(`sshd\[\d+\]:|Failed to start .*ssh|ssh\.service: Failed with result|oc-fetch-ssh-keys\[`)
)

// scale stretches a time limit by the machine's TimeScale (3 for a
// foreign instruction set under TCG).
func (s *session) scale(d time.Duration) time.Duration {
	return d * time.Duration(s.vm.Machine.TimeScale())
}

// getty is the image's serial getty unit on the machine's console.
func (s *session) getty() string {
	return "serial-getty@" + s.console + ".service"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
