package boot

import (
	"regexp"
	"strings"
)

// ansiRE matches the terminal escapes systemd colours the console with
// and redraws its status line with (ESC M moves up a line).
var ansiRE = regexp.MustCompile(`\x1b(\[[0-9;?]*[A-Za-z]|[A-Za-z])`)

// consoleLines returns the console's lines that match re, without
// terminal escapes, at most max of them (the last ones).
func consoleLines(text string, re *regexp.Regexp, max int) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = cleanLine(line)
		if line != "" && re.MatchString(line) {
			out = append(out, line)
		}
	}
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return out
}

// cleanLine strips terminal escapes and the status line systemd redraws
// in place (everything up to the last carriage return).
func cleanLine(line string) string {
	line = ansiRE.ReplaceAllString(line, "")
	if i := strings.LastIndexAny(line, "\r"); i >= 0 && i < len(line)-1 {
		line = line[i+1:]
	}
	return strings.TrimSpace(strings.Trim(line, "\r"))
}

// consoleEvidence quotes the console lines that match re, or says none
// did.
func consoleEvidence(text string, re *regexp.Regexp, none string) string {
	lines := consoleLines(text, re, 6)
	if len(lines) == 0 {
		return none
	}
	return "console: " + strings.Join(quoteAll(lines), " | ")
}

// journalEvidence quotes the lines of the guest's journal copy that
// match re, or says nothing.
func journalEvidence(journal string, re *regexp.Regexp) string {
	lines := consoleLines(journal, re, 6)
	if len(lines) == 0 {
		return ""
	}
	return "journal: " + strings.Join(quoteAll(lines), " | ")
}

func joinEvidence(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

func quoteAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) > 200 {
			l = l[:200] + "…"
		}
		out[i] = l
	}
	return out
}

func evidence(err error, ok string) string {
	if err != nil {
		return err.Error()
	}
	return ok
}

// lastLine is the console's last non-empty line, cleaned.
func lastLine(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\r\n "), "\n")
	return cleanLine(lines[len(lines)-1])
}

func lastMatchLine(re *regexp.Regexp, text string) string {
	loc := re.FindAllStringIndex(text, -1)
	if len(loc) == 0 {
		return ""
	}
	start := strings.LastIndex(text[:loc[len(loc)-1][0]], "\n") + 1
	return cleanLine(text[start:loc[len(loc)-1][1]])
}
