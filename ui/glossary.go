package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// glossary says in plain words what the dashboard's terms and numbers
// mean, for the ? pane under the keys. Each entry is a term and its
// meaning.
var glossary = [][2]string{
	{"now", "the diagram shows this instant; the charts' numbers the last second"},
	{"mean", "the table and the top line: the time since the last change"},
	{"served", "requests answered a second; x dropped, drops: refused, backlog full"},
	{"failed", "! timed out or got an error (a refused connection, no node up)"},
	{"latency", "arrival to answer; p50, p95, p99: what 50, 95, 99 in 100 beat"},
	{"answered", "goodput: answers a client still waited for (served counts wasted work)"},
	{"retries", "the share of arrivals that were a client's retry of a request"},
	{"wasted", "work finished after its client timed out and left: nobody got it"},
	{"backlog", "requests a node accepted that wait for a free worker, of its limit"},
	{"busy", "the share of the time a station's servers (cores, workers) worked"},
	{"queue", "requests waiting at a station; wait: how long; p99 wait: 99 in 100"},
	{"service", "time being served, the wait not counted; done/s: finished a second"},
	{"in use", "servers working on average, of those there are"},
	{"booting", "a node started that takes no traffic until it has booted"},
	{"leaving", "a node removed: it takes nothing new, finishes what it holds"},
	{"GIL", "Python's lock: one thread or greenlet of a worker runs at a time"},
	{"cpu queue", "requests ready to run Python, waiting for a core or for the GIL"},
	{"autoscale", "the autoscaler, like Kubernetes' HPA: wants nodes × metric / target"},
	{"desired", "nodes the autoscaler (or you) asked for; ◌ booting take no traffic yet"},
	{"only 63x", "in the top line: this machine simulates slower than the speed asked"},
}

// fullHelpView is the pane ? opens in place of the body: every key that
// applies, then the glossary, in at most h lines; when they are more,
// the arrow keys scroll them (m.helpTop is the first line shown).
func (m *Model) fullHelpView(w, h int) string {
	st := &m.ctx.styles
	lines := m.keyColumns(w)
	lines = append(lines, budgetSep([]figure{
		{forms: []string{st.Title.Render("WHAT THE NUMBERS MEAN")}, yield: 9},
		{forms: []string{st.Muted.Render("? or esc closes this"), st.Muted.Render("esc closes")}, yield: 2},
		{forms: []string{st.Muted.Render("i tells the topology's story"), ""}},
	}, w, "  ", " "))
	termW := 0
	for _, g := range glossary {
		termW = max(termW, width(g[0]))
	}
	termW++
	for _, g := range glossary {
		if w-termW < 24 {
			// too narrow for a column of terms: the meaning under its term
			lines = append(lines, st.Bold.Render(g[0]))
			for _, l := range wrap(g[1], w-2) {
				lines = append(lines, "  "+l)
			}
			continue
		}
		for k, l := range wrap(g[1], w-termW) {
			term := ""
			if k == 0 {
				term = g[0]
			}
			lines = append(lines, st.Bold.Render(fit(term, termW))+l)
		}
	}
	if len(lines) <= h || h < 2 {
		m.helpTop = 0
		return block(lines, w, h)
	}
	// more than fit: a window of them, and how to move it
	m.helpTop = max(0, min(m.helpTop, len(lines)-(h-1)))
	shown := lines[m.helpTop : m.helpTop+h-1]
	more := fmt.Sprintf("↑/↓ scroll · lines %d-%d of %d", m.helpTop+1, m.helpTop+h-1, len(lines))
	return block(append(slices.Clone(shown), st.Muted.Render(more)), w, h)
}

// keyColumns is the full help's columns of keys in w cells: four
// groups side by side when they fit, else merged into fewer columns.
func (m *Model) keyColumns(w int) []string {
	g := m.keys.FullHelp()
	layouts := [][][]key.Binding{
		g,
		{g[0], g[1], slices.Concat(g[2], g[3])},
		{slices.Concat(g[0], g[2]), slices.Concat(g[1], g[3])},
		{slices.Concat(g...)},
	}
	hm := m.help
	hm.Width = 0 // measure, do not cut
	var lines []string
	for _, l := range layouts {
		lines = strings.Split(hm.FullHelpView(l), "\n")
		if maxWidth(lines) <= w {
			break
		}
	}
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return lines
}
