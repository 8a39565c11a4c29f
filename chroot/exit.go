package chroot

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
)

// ExitError is a command in the root that exited non-zero or was killed.
type ExitError struct {
	Args   []string
	Code   int            // exit status, when it exited
	Signal syscall.Signal // the signal that killed it, or 0
	Stderr []byte         // the end of its standard error, when captured (Output)
}

// Error names the command and how it ended.
func (e *ExitError) Error() string {
	how := "exit status " + strconv.Itoa(e.Code)
	if e.Signal != 0 {
		how = "killed by signal " + e.Signal.String()
	}
	msg := fmt.Sprintf("running %s: %s", quoteArgs(e.Args), how)
	if len(e.Stderr) > 0 {
		msg += ": " + string(e.Stderr)
	}
	return msg
}

// ExitCode returns the exit status, or 128+signal when killed (as a shell
// reports it).
func (e *ExitError) ExitCode() int {
	if e.Signal != 0 {
		return 128 + int(e.Signal)
	}
	return e.Code
}

// quoteArgs renders an argv for messages, quoting only where needed.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\$`|&;<>()*?[]#~") {
			a = strconv.Quote(a)
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}
