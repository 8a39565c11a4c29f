package boot

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// boot starts the VM and runs the checks: first boot, then reboot and
// poweroff (after a failed first boot only when SSH still works and
// FailFast is off), or waits with the VM up when Keep is set.
func (s *session) boot(ctx context.Context) (*Report, error) {
	if err := s.start(); err != nil {
		return nil, err
	}
	r := s.report
	up := s.firstBoot(ctx)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("booting %s: %w", r.Image, ctx.Err())
	}
	if s.opt.Keep {
		s.keep(ctx)
		return r, nil
	}
	if up && s.opt.Guest != nil {
		s.guestCommands(ctx)
	}
	login := r.ToLogin > 0
	tryMore := up || (!s.opt.FailFast && s.reachable(ctx))
	if tryMore && s.reboot(ctx, login) {
		s.poweroff(ctx)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("booting %s: %w", r.Image, ctx.Err())
	}
	return r, nil
}

// keep prints the report and how to reach the VM, and waits until the
// user ends boot or the guest powers off.
func (s *session) keep(ctx context.Context) {
	r := s.report
	r.Passed = len(r.Failed()) == 0
	r.Total = time.Since(s.begun)
	r.Write(s.opt.Log)
	fmt.Fprintf(s.opt.Log, "boot: the VM stays up until Ctrl-C or poweroff in the guest; reach it with:\n  %s\n", s.ssh.Command())
	select {
	case <-ctx.Done():
	case <-s.done:
	}
}

// start runs QEMU with the console on its standard output, in its own
// process group (with the nc processes it starts for the metadata), so
// that close ends them all; the kernel kills it if boot itself dies.
func (s *session) start() error {
	bin, err := exec.LookPath(s.vm.Binary())
	if err != nil {
		return fmt.Errorf("finding %s to boot a %s image: install Debian's %s", s.vm.Binary(), s.info.Arch, s.vm.Machine.Package)
	}
	if _, err := exec.LookPath("nc"); err != nil {
		return fmt.Errorf("finding nc, which forwards the guest to the metadata service: install Debian's netcat-openbsd")
	}
	s.qemu = exec.Command(bin, s.vm.Args()...)
	// Pdeathsig fires when the thread that started QEMU ends; Go ends
	// threads only for goroutines that exit while locked to one, which
	// nothing in chrootbuild does.
	s.qemu.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out, err := s.qemu.StdoutPipe()
	if err != nil {
		return err
	}
	s.qemu.Stderr = s.qemu.Stdout
	s.con = newConsole(s.opt.Console)
	logf(s.opt.Log, "starting %s (%s, kernel %s, %s)", s.vm.Binary(), strings.ToUpper(s.vm.Machine.Accel()), s.vm.Kernel.Version, s.vm.CommandLine())
	s.started = time.Now()
	if err := s.qemu.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", bin, err)
	}
	s.done = make(chan struct{})
	go func() {
		s.con.readFrom(out)
		s.exitErr = s.qemu.Wait()
		close(s.done)
	}()
	port, err := forwardedPort(context.Background(), s.vm.QMP, s.done)
	if err != nil {
		return fmt.Errorf("finding the SSH port QEMU forwards: %w", err)
	}
	s.ssh.port = port
	return nil
}

// stop kills QEMU and what it started, and waits for it to end.
func (s *session) stop() {
	if s.done == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	syscall.Kill(-s.qemu.Process.Pid, syscall.SIGKILL)
	<-s.done
}
