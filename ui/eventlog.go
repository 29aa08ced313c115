package ui

import (
	"strings"
	"time"

	"scalesim/sim"
)

// logPane shows the newest entries of the simulation's event log: what
// the user changed, drops starting, OOM kills, timeouts.
type logPane struct {
	ctx           *programContext
	width, height int
	lines         []string
}

func (p *logPane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *logPane) View() string { return block(p.lines, p.width, p.height) }

// SetFrame draws the newest entries of s's log that fit, oldest first.
func (p *logPane) SetFrame(s *sim.Snapshot) {
	st := &p.ctx.styles
	lines := []string{st.Title.Render("EVENTS")}
	room := p.height - 1
	entries := s.Log
	if len(entries) > room {
		entries = entries[len(entries)-max(room, 0):]
	}
	for _, e := range entries {
		at := st.Muted.Render(fitRight(ago(e.At), 7)) + " "
		text := e.Text
		if rest, ok := strings.CutPrefix(text, "you: "); ok {
			text = st.Accent.Render("you") + " " + rest
		} else {
			text = st.Warn.Render(text)
		}
		lines = append(lines, fit(at+text, p.width))
	}
	if len(s.Log) == 0 && room > 0 {
		lines = append(lines, st.Muted.Render("nothing yet: changes you make and trouble show here"))
	}
	p.lines = lines
}

// secs converts seconds to a duration.
func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
