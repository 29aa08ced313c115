package ui

import "strings"

// glossary says in plain words what the dashboard's terms and numbers
// mean, for the ? pane under the keys. Each entry is a term and its
// meaning.
var glossary = [][2]string{
	{"now", "the diagram shows this instant; the charts' numbers the last second"},
	{"mean", "the table and the top line: the time since the last change"},
	{"served", "requests answered a second; x dropped, drops: refused, backlog full"},
	{"failed", "! timed out or got an error (a refused connection, no node up)"},
	{"latency", "arrival to answer; p50, p95, p99: what 50, 95, 99 in 100 beat"},
	{"backlog", "requests a node accepted that wait for a free worker, of its limit"},
	{"busy", "the share of the time a station's servers (cores, workers) worked"},
	{"queue", "requests waiting at a station; wait: how long; p99 wait: 99 in 100"},
	{"service", "time being served, the wait not counted; done/s: finished a second"},
	{"in use", "servers working on average, of those there are"},
	{"GIL", "Python's lock: one thread or greenlet of a worker runs at a time"},
	{"cpu queue", "requests ready to run Python, waiting for a core or for the GIL"},
}

// fullHelpView is the pane ? opens in place of the body: every key that
// applies, then the glossary, in at most h lines.
func (m *Model) fullHelpView(w, h int) string {
	st := &m.ctx.styles
	keys := m.help.FullHelpView(m.keys.FullHelp())
	lines := strings.Split(keys, "\n")
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
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
		body := wrap(g[1], w-termW)
		if w-termW < 24 {
			// too narrow for a column of terms: the meaning under its term
			lines = append(lines, st.Bold.Render(g[0]))
			lines = append(lines, wrap(g[1], w-2)...)
			continue
		}
		for k, l := range body {
			term := ""
			if k == 0 {
				term = g[0]
			}
			lines = append(lines, st.Bold.Render(fit(term, termW))+l)
		}
	}
	return block(cutLines(lines, h, st), w, h)
}
