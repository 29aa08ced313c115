package ui

import (
	"strings"
	"time"

	"scalesim/sim"
	"scalesim/termsafe"
	"scalesim/topology"
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

// SetFrame draws the newest entries of s's log that fit, oldest first,
// each wrapped under its time rather than cut.
func (p *logPane) SetFrame(s *sim.Snapshot) {
	st := &p.ctx.styles
	room := p.height - 1
	const atW = 7
	textW := p.width - atW - 1
	var body []string // newest entry first, its lines in order
	for i := len(s.Log) - 1; i >= 0 && len(body) < room; i-- {
		e := s.Log[i]
		if e.Source == topology.SourceKey {
			continue // the dashboard's note of the change says it
		}
		text := termsafe.Line(e.Text)
		you := false
		if rest, ok := strings.CutPrefix(text, "you: "); ok {
			text, you = rest, true
		}
		words := wrap(text, max(textW, 8))
		if you {
			words = wrap("you "+text, max(textW, 8))
		}
		if len(body)+len(words) > room && len(body) > 0 {
			break
		}
		entry := make([]string, len(words))
		for k, l := range words {
			at := strings.Repeat(" ", atW)
			if k == 0 {
				at = st.Muted.Render(fitRight(ago(e.At), atW))
			}
			switch {
			case you && k == 0:
				l = st.Accent.Render("you") + strings.TrimPrefix(l, "you")
			case !you:
				l = st.Warn.Render(l)
			}
			entry[k] = fit(at+" "+l, p.width)
		}
		body = append(entry, body...)
	}
	if len(body) > room {
		body = body[len(body)-max(room, 0):]
	}
	lines := append([]string{st.Title.Render("EVENTS")}, body...)
	if len(s.Log) == 0 && room > 0 {
		for _, l := range wrap("nothing yet: changes you make and trouble show here", p.width) {
			lines = append(lines, st.Muted.Render(l))
		}
	}
	p.lines = lines
}

// secs converts seconds to a duration.
func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
