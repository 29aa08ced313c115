package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"scalesim/sim"
	"scalesim/theory"
	"scalesim/topology"
)

// minTheoryDiagram is the fewest lines the diagram keeps above the
// theory pane; on a shorter screen the pane takes the whole body.
const minTheoryDiagram = 12

// theoryBody is the body while the Q key's pane is open: the pane alone,
// or on a screen with room for both, the diagram above it, so that the
// stations stay in sight beside their theory.
func (m *Model) theoryBody(w, h int) string {
	lines := m.theoryLines(w)
	if room := h - len(lines); room >= minTheoryDiagram {
		m.diagram.SetSize(w, min(room, max(h*45/100, minTheoryDiagram)))
		m.diagram.SetFrame(m.view, &m.frame.Snap)
		d := m.diagram.View()
		return vjoin(d, block(lines, w, h-lipgloss.Height(d)))
	}
	return block(cutLines(lines, h, &m.ctx.styles), w, h)
}

// theoryLines is the pane: each station of the measured window beside
// what its queueing model predicts from the measured arrival rate and
// mean service time, or why no model applies, in lines of w cells.
func (m *Model) theoryLines(w int) []string {
	st := &m.ctx.styles
	sum := &m.frame.Snap.Summary
	head := st.Title.Render("THEORY") + "  " + st.Muted.Render(fmt.Sprintf("queueing theory beside the %s measured %s", clockOf(sum.DurationS), windowFrom(sum.WarmupS)))
	lines := wrapStyled(head, w)
	lines = append(lines, "")
	qs := sum.Queues
	recent := recentOf(sum)
	for i := 0; i < len(qs); i++ {
		q := qs[i]
		if q.Model != "" {
			var also []string
			if r, ok := recent[q.Name]; ok && r.Model == q.Model {
				also = recentLines(r, sum.RecentS, w, st)
			}
			lines = append(lines, theoryLines(q, also, w, st)...)
			continue
		}
		// stations in a row without a model for the same reason say it
		// once, after the last of them
		j := i
		for j+1 < len(qs) && qs[j+1].Model == "" && qs[j+1].Why == q.Why {
			j++
			lines = append(lines, stationLine(qs[j-1], w, st)...)
		}
		lines = append(lines, theoryLines(qs[j], nil, w, st)...)
		i = j
	}
	if len(sum.Queues) == 0 {
		lines = append(lines, "Nothing measured yet.")
	}
	lines = append(lines, "")
	// the means are the whole window's, a transient at its start
	// included: say so, since theory speaks of a steady state
	note := "predicted from the measured λ and mean service time S; a warm-up (a cold cache, a backlog draining) stays in the measured means until the window outgrows it"
	if len(recent) > 0 {
		// as short, so that the diagram keeps its room above
		note = "predicted from the measured λ and mean S; a warm-up stays in the means until the window outgrows it, not in the last " + clockOf(float64(sim.RecentSecs)) + " (noisier)"
	}
	for _, l := range wrap(note+" · Q or esc closes this", w) {
		lines = append(lines, st.Muted.Render(l))
	}
	return lines
}

// recentOf is the recent window's stations by name, when the measured
// window is at least twice as long (else the two say nearly the same).
func recentOf(sum *sim.Summary) map[string]sim.QueueStat {
	if sum.RecentS == 0 || sum.DurationS < 2*sim.RecentSecs {
		return nil
	}
	out := make(map[string]sim.QueueStat, len(sum.Recent))
	for _, q := range sum.Recent {
		out[q.Name] = q
	}
	return out
}

// recentLines are a station's model and measure over the recent window
// of secs seconds: "last 10s: wait 760µs · measured 741µs".
func recentLines(q sim.QueueStat, secs float64, w int, st *Styles) []string {
	f, err := q.Predict()
	if err != nil || !f.Stable {
		return nil
	}
	out := partLines("  last "+clockOf(math.Floor(secs))+": ", modelParts(q, f), w)
	for i := range out {
		out[i] = st.Muted.Render(out[i])
	}
	return out
}

// modelParts are the model's figures f beside those q measured.
func modelParts(q sim.QueueStat, f theory.Figures) []string {
	var parts []string
	pair := func(what, theory, measured string) {
		parts = append(parts, what+" "+theory+" · measured "+measured)
	}
	if f.Wait {
		pair("wait", ms(f.Wq.Seconds()*1e3), ms(q.WaitMs))
		pair("queue", qty(f.Lq), qty(q.QueueMean))
	} else {
		pair("response", ms(f.W.Seconds()*1e3), ms(q.ResponseMs))
		pair("inside", qty(f.L), qty(q.InsideMean))
	}
	if q.Model == theory.NameMMcK {
		pair("refused", pct1(f.Refused), pct1(q.Refused))
	}
	return parts
}

// partLines sets parts after lead, as many to a line of w cells as fit,
// the lines after the first indented under the first part.
func partLines(lead string, parts []string, w int) []string {
	var out []string
	line := lead + parts[0]
	for _, p := range parts[1:] {
		if width(line)+3+width(p) > w {
			out = append(out, line)
			line = strings.Repeat(" ", width(lead)) + p
			continue
		}
		line += "   " + p
	}
	return append(out, line)
}

// windowFrom says where the measured window began: at the start of the
// run, or at the last change (or the end of a warm-up) s seconds in.
func windowFrom(s float64) string {
	if s <= 0 {
		return "since the start"
	}
	return "since the change at " + clockOf(s)
}

// clockOf writes a window of s seconds to the second: 50s, 2m30s.
func clockOf(s float64) string {
	return topology.FormatDuration(time.Duration(math.Round(s)) * time.Second)
}

// modelTitle is how a model is named to an audience.
var modelTitle = map[string]string{
	theory.NameMMc:   "Erlang C",
	theory.NameMMcK:  "M/M/c/K",
	theory.NameMG1:   "Pollaczek-Khinchine",
	theory.NameMMcPS: "M/M/c-PS",
	theory.NameMGcPS: "M/G/c-PS ≈",
	theory.NameMGc:   "Allen-Cunneen ≈",
}

// theoryLines is one station: what it is and what was measured, then
// the model's figures beside the measured ones, and the lines also (the
// recent window's), or why there is none.
func theoryLines(q sim.QueueStat, also []string, w int, st *Styles) []string {
	out := stationLine(q, w, st)
	f, err := q.Predict()
	if err != nil {
		for _, l := range wrap(q.Why, w-2) {
			out = append(out, "  "+st.Muted.Render(l))
		}
		return out
	}
	title := modelTitle[q.Model]
	if !f.Stable {
		return append(out, "  "+st.Bad.Render(title+": unstable (λ ≥ cμ): the queue grows without bound"))
	}
	// as many parts per line as fit, the model's name leading the first
	out = append(append(out, partLines("  "+title+": ", modelParts(q, f), w)...), also...)
	if q.Why != "" {
		for _, l := range wrap(q.Why, w-2) {
			out = append(out, "  "+st.Muted.Render(l))
		}
	}
	return out
}

// stationLine is what a station is and what was measured of it, on as
// many lines of w cells as it needs, broken between its figures.
func stationLine(q sim.QueueStat, w int, st *Styles) []string {
	model := q.Model
	if model == "" {
		model = "no model"
	}
	head := st.Bold.Render(q.Name) + "  " + st.Accent.Render(model)
	parts := []string{fmt.Sprintf("%s %d", serversWord(q), q.Servers), "λ " + num(q.ArrivalRPS) + "/s",
		fmt.Sprintf("S %s (cv %.2f)", ms(q.ServiceMs), q.ServiceCV), "util " + pct(q.Utilization)}
	var out []string
	line, sep := head, "  "
	for _, p := range parts {
		if width(line)+width(sep)+width(p) > w {
			out = append(out, line)
			line, sep = "   ", ""
		}
		line += st.Muted.Render(sep + p)
		sep = " · "
	}
	return append(out, line)
}

// serversWord names a station's servers.
func serversWord(q sim.QueueStat) string {
	switch {
	case q.Name == "app":
		return "slots"
	case q.Name == "cache":
		return "thread"
	case strings.HasPrefix(q.Name, "pool:"):
		return "connections"
	}
	return "cores"
}

// qty formats a mean number of requests: two decimals while small.
func qty(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2f", v)
	}
	return num(v)
}

// pct1 formats a fraction as a percentage with one decimal.
func pct1(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }
