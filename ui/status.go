package ui

import (
	"errors"
	"fmt"
	"strings"

	"scalesim/termsafe"
	"scalesim/topology"
)

// statusKind says how a status message reads.
type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusErr
	statusHint // what to try, on the first screen
)

// status is the line above the help: what the last key did, or why it
// was refused. The symbol makes the kind readable without colour.
type status struct {
	kind statusKind
	text string
}

func (m *Model) setStatus(k statusKind, format string, args ...any) {
	// the arguments may echo a file (a name, an error): escaped, so that
	// they cannot drive the terminal
	m.status = status{kind: k, text: termsafe.Line(fmt.Sprintf(format, args...))}
}

// statusView renders the status line, or the open prompt.
func (m *Model) statusView() string {
	w := m.ctx.width
	st := &m.ctx.styles
	switch m.prompt.kind {
	case promptSave:
		hint := st.Muted.Render("  enter save · esc cancel")
		switch {
		case m.prompt.err != "":
			hint = st.Bad.Render("  ✗ "+termsafe.Line(m.prompt.err)) + st.Muted.Render(" · esc cancel")
		case m.prompt.confirm != "":
			hint = st.Warn.Render("  exists: enter overwrites · esc cancel")
		}
		// the field takes what the hint leaves, and at least the name
		in := m.prompt.input
		if e := m.prompt.err; e != "" && width("save as ")+width(in.Value())+1+width(hint) > w {
			// a reason too long to share the line goes below, whole
			in.Width = max(width(in.Value())+1, w-len("save as ")-2)
			lines := statusLines("✗ "+termsafe.Line(e)+" · esc cancel", w)
			for i, l := range lines {
				lines[i] = st.Bad.Render(fit(l, w))
			}
			return fit(st.Key.Render("save as ")+in.View(), w) + "\n" + strings.Join(lines, "\n")
		}
		// the text input draws Width cells and the cursor's one more
		in.Width = max(width(in.Value())+1, w-len("save as ")-width(hint)-2)
		return fit(st.Key.Render("save as ")+in.View()+hint, w)
	case promptNode:
		p := &m.prompt
		choice := p.input.Value()
		if choice == "" {
			choice = itoa(p.def)
		}
		return fit(st.Key.Render(fmt.Sprintf("node to take down or up (1-%d): ", p.nodes))+p.input.View()+
			st.Muted.Render("  enter node "+choice+" · esc cancel"), w)
	}
	s := m.status
	if v := m.verdictLine(); v != "" {
		return m.withVerdict(v)
	}
	if m.help.ShowAll && s.kind == statusHint {
		return "" // the full help lists every key: a hint would only crowd it
	}
	var lines []string
	style := st.Muted
	switch s.kind {
	case statusOK:
		lines, style = statusLines("✓ "+s.text, w), st.OK
	case statusErr:
		lines, style = statusLines("✗ "+s.text, w), st.Bad
	case statusHint:
		lines, style = firstHint(s.text, w), st.Accent
	default:
		lines = statusLines(s.text, w)
	}
	for i, l := range lines {
		lines[i] = style.Render(fit(l, w))
	}
	return strings.Join(lines, "\n")
}

// statusLines is a status message in one line of w cells, or wrapped
// into two when it is longer (cut only beyond two).
func statusLines(text string, w int) []string {
	if width(text) <= w {
		return []string{text}
	}
	lines := wrap(text, w)
	if len(lines) > 2 {
		lines = []string{lines[0], strings.Join(lines[1:], " ")}
	}
	return lines
}

// errText is an error for the status line: the first problem of a
// topology.Errors, with a count of the others.
func errText(err error) string {
	var es topology.Errors
	if errors.As(err, &es) && len(es) > 0 {
		if len(es) == 1 {
			return es[0].Error()
		}
		return fmt.Sprintf("%s (and %d more)", es[0].Error(), len(es)-1)
	}
	return firstLine(err.Error())
}
