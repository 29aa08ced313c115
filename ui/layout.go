package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"scalesim/sim"
)

// Layout thresholds.
const (
	// wideWidth is where charts and the stations table sit side by side
	// instead of one above the other (narrower, the charts take the full
	// width to show a minute or more).
	wideWidth = 150
	// sideWidth is the width of the right column (table and log) on a
	// wide terminal.
	sideWidth = 64
)

// render lays out the body for the current size and draws every pane:
// the diagram gets what it needs (up to about half the height), the
// charts and the stations table and event log share the rest. On a
// small terminal the panes go by priority: the charts shrink to their
// main rows, then the event log, then the charts altogether; the
// header, the key numbers, the diagram, the status and the help stay.
// The presentation layout (present.go) gives up the tables before the
// charts.
func (m *Model) render() {
	w, h := m.ctx.width, m.ctx.height
	if w < minWidth || h < minHeight {
		m.body = ""
		return
	}
	fixed := heightOf(m.statusView()) + lipgloss.Height(m.helpView())
	for _, b := range m.topBlocks() {
		fixed += lipgloss.Height(b)
	}
	avail := h - fixed
	switch {
	case m.picker != nil:
		m.body = m.picker.view(w, avail)
		return
	case m.about:
		m.body = m.aboutView(w, avail)
		return
	case m.theory:
		m.body = m.theoryBody(w, avail)
		return
	case m.help.ShowAll:
		m.body = m.fullHelpView(w, avail)
		return
	case m.notesShown():
		m.body = m.notesView(w, avail)
		return
	}
	snap := &m.frame.Snap

	m.diagram.SetSize(w, max(avail*45/100, 6))
	m.diagram.SetFrame(m.view, snap)
	diagram := m.diagram.View()
	rest := avail - lipgloss.Height(diagram)

	stockH := m.stock.want(m.view, snap)
	var lower string
	switch {
	case w >= wideWidth:
		left := w - sideWidth - 1
		tableH := min(rest/2, m.table.want(snap))
		stockH = min(stockH, rest-tableH)
		m.charts.SetSize(left, rest)
		m.table.SetSize(sideWidth, tableH)
		m.stock.SetSize(sideWidth, stockH)
		m.events.SetSize(sideWidth, rest-tableH-stockH)
		m.drawPanes(snap)
		lower = beside(m.charts.View(), vjoin(m.table.View(), m.stock.View(), m.events.View()))
	case w >= sideBySide:
		// the charts keep at least minCharts lines; the table and the
		// stock (or the event log) share the rest
		bottom := max(min(7, rest), min(max(m.table.want(snap), stockH), rest/3), min(stockH, rest-6))
		chartsH := rest - bottom
		switch {
		case chartsH < minCharts && m.present && rest >= minCharts:
			// the presentation layout keeps the charts, the room's
			// picture, before the tables
			chartsH, bottom = rest, 0
		case chartsH < minCharts:
			// too short for charts worth reading: the panes take it all
			chartsH, bottom = 0, rest
		}
		// the table takes half, or what its columns need while the
		// other side keeps minSide
		half := (w - 1) / 2
		if want := m.table.wantWidth(snap); want > half {
			half = max(half, min(want, w-1-minSide))
		}
		stockH = min(stockH, bottom)
		m.charts.SetSize(w, chartsH)
		m.table.SetSize(half, bottom)
		m.stock.SetSize(w-half-1, stockH)
		m.events.SetSize(w-half-1, bottom-stockH)
		m.drawPanes(snap)
		lower = vjoin(m.charts.View(), beside(m.table.View(), vjoin(m.stock.View(), m.events.View())))
	default:
		// one column: the stock (its lesson) or the table under the
		// charts, the event log only when there is room for it
		pane := m.table.want(snap)
		if stockH > 0 {
			pane = stockH
		}
		pane = min(pane, max(rest-minCharts, min(rest, 5)))
		chartsH := rest - pane
		switch {
		case chartsH < minCharts && m.present && rest >= minCharts:
			chartsH, pane = rest, 0
		case chartsH < minCharts:
			chartsH, pane = 0, rest
		}
		m.charts.SetSize(w, chartsH)
		m.table.SetSize(w, 0)
		m.stock.SetSize(w, 0)
		if stockH > 0 {
			m.stock.SetSize(w, pane)
		} else {
			m.table.SetSize(w, pane)
		}
		m.events.SetSize(w, 0)
		m.drawPanes(snap)
		lower = vjoin(m.charts.View(), m.table.View(), m.stock.View())
	}
	m.body = vjoin(diagram, lower)
}

// Widths and heights of the layout below the diagram.
const (
	// sideBySide is the narrowest width at which the stations table and
	// the stock pane or event log sit side by side under the charts.
	sideBySide = 80
	// minCharts is the fewest lines of charts worth drawing.
	minCharts = 4
	// minSide is the narrowest the stock pane or event log beside the
	// table is made for a table that would like more.
	minSide = 36
)

// drawPanes draws the panes below the diagram at their sizes.
func (m *Model) drawPanes(snap *sim.Snapshot) {
	m.charts.SetFrame(m.view, snap)
	m.table.SetFrame(m.view, snap)
	m.stock.SetFrame(m.view, snap)
	m.events.SetFrame(snap)
}

// vjoin stacks blocks, skipping empty ones.
func vjoin(blocks ...string) string {
	var parts []string
	for _, b := range blocks {
		if b != "" {
			parts = append(parts, b)
		}
	}
	return strings.Join(parts, "\n")
}

// beside puts block b right of block a, one space between; a's lines
// are all as wide (a block), so b's line up.
func beside(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	aw := width(al[0])
	n := max(len(al), len(bl))
	out := make([]string, n)
	for i := range n {
		l := strings.Repeat(" ", aw)
		if i < len(al) {
			l = al[i]
		}
		if i < len(bl) {
			l += " " + bl[i]
		}
		out[i] = l
	}
	return strings.Join(out, "\n")
}

// heightOf is how many lines s takes on the screen: none when empty.
func heightOf(s string) int {
	if s == "" {
		return 0
	}
	return lipgloss.Height(s)
}

// block makes lines exactly w×h: padded, truncated, filled with blank
// lines.
func block(lines []string, w, h int) string {
	if h <= 0 {
		return ""
	}
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return strings.Join(out, "\n")
}
