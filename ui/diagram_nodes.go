package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/lipgloss"

	"scalesim/sim"
	"scalesim/topology"
)

// labelW is the width of the labels inside a node box ("backlog ").
const labelW = 8

// boxSpec is a box to draw: its title, content and border style.
type boxSpec struct {
	title  string
	lines  []string
	border lipgloss.Style
	// anchors are the content lines that take an arrow when more than
	// the first (the combined box of shared stations).
	anchors []int
}

// nodeTitle names node i with what is notable about it: down, leaving
// (removed, finishing its requests), OOM kills.
//
// The title fits w cells: what the node runs goes first, so that the
// OOM count stays whole.
func nodeTitle(t *topology.Topology, s *sim.Snapshot, i, w int, st *Styles) (string, lipgloss.Style) {
	n := &s.Nodes[i]
	border := st.Border
	figs := []figure{{forms: []string{fmt.Sprintf("node %d", i+1)}, yield: 9}}
	switch {
	case n.State == sim.NodeBooting:
		figs = append(figs, figure{forms: []string{st.Warn.Render("◌ booting")}, yield: 9})
		border = st.Warn
	case n.State == sim.NodeDown:
		figs = append(figs, figure{forms: []string{st.Bad.Render("✗ DOWN")}, yield: 9})
		border = st.Bad
	case n.State == sim.NodeDraining || i >= t.App.Nodes:
		figs = append(figs, figure{forms: []string{st.Muted.Render("leaving")}, yield: 9})
	default:
		figs = append(figs, figure{forms: []string{st.Muted.Render("· " + workersText(t, n)), ""}})
	}
	if n.OOMKills > 0 {
		figs = append(figs, figure{forms: []string{st.Bad.Render(fmt.Sprintf("oom ×%d", n.OOMKills))}, yield: 9})
	}
	return budgetSep(figs, w, " ", " "), border
}

// workersText says what the node runs: "3 workers", "4×8 threads",
// "2×100 greenlets".
func workersText(t *topology.Topology, n *sim.NodeState) string {
	w := n.Active
	switch t.App.Model {
	case topology.Sync:
		if w == 1 {
			return "1 sync worker"
		}
		return fmt.Sprintf("%d sync workers", w)
	default:
		return fmt.Sprintf("%d×%d %s", w, t.App.Concurrency, slotNoun(t.App.Model))
	}
}

// nodeBox draws node i in inner cells of width: its cores, its worker
// slots (cells when they fit in cellLines lines, else a stacked bar and
// counts), its backlog and, when modelled, its memory.
func nodeBox(t *topology.Topology, s *sim.Snapshot, i, inner, cellLines int, st *Styles) boxSpec {
	n := &s.Nodes[i]
	title, border := nodeTitle(t, s, i, inner-1, st)
	label := func(l string) string { return st.Muted.Render(fit(l, labelW)) }
	cw := inner - labelW
	if n.State == sim.NodeBooting {
		var lines []string
		for _, l := range wrap(bootText(n), inner) {
			lines = append(lines, st.Warn.Render(l))
		}
		return boxSpec{title: title, border: border, lines: lines}
	}
	if n.State == sim.NodeDown {
		var lines []string
		for _, l := range wrap("✗ down: "+downText(s), inner) {
			lines = append(lines, st.Bad.Render(l))
		}
		return boxSpec{title: title, border: border, lines: append(lines, st.Muted.Render("x brings it back"))}
	}
	lines := []string{label("cpu") + coresText(n, cw, st)}
	if cells, ok := workerCells(n.Workers, cw, cellLines, st); ok && n.Detailed() {
		for k, c := range cells {
			l := "workers"
			if k > 0 {
				l = ""
			}
			lines = append(lines, label(l)+c)
		}
	} else if n.Detailed() && len(n.Workers) <= cellLines {
		for k, ws := range n.Workers {
			l := "workers"
			if k > 0 {
				l = ""
			}
			lines = append(lines, label(l)+workerBar(ws, cw, st))
		}
	} else {
		lines = append(lines, label("workers")+slotBar(n.Slots, cw, st), label("")+slotSummary(n.Slots, cw, st))
	}
	lines = append(lines, label("backlog")+backlogText(n, cw, true, st))
	if t.App.Memory > 0 {
		lines = append(lines, label("memory")+memoryText(n, t.App.Memory, cw, st))
	}
	return boxSpec{title: title, lines: lines, border: border}
}

// bootText says that a node boots, and when it takes traffic.
func bootText(n *sim.NodeState) string {
	return "◌ booting: takes traffic in " + topology.FormatDuration(n.ReadyIn.Round(100*time.Millisecond))
}

// downText says what happens to the requests while a node is down: the
// balancer sends them to the nodes still up, or, with none up, answers
// 502 itself (they fail).
func downText(s *sim.Snapshot) string {
	for _, n := range s.Nodes {
		if n.State == sim.NodeUp {
			return "the balancer routes around it"
		}
	}
	return "no node up, the balancer answers 502"
}

// coresText is the node's cores, one cell each (or a bar when many),
// with the count busy and how many wait for one.
func coresText(n *sim.NodeState, w int, st *Styles) string {
	frac := 0.0
	if n.Cores > 0 {
		frac = float64(n.BusyCores) / float64(n.Cores)
	}
	num := fmt.Sprintf(" %d/%d busy", n.BusyCores, n.Cores) + coresLeaving(n)
	if n.CoreQueue > 0 {
		num += fmt.Sprintf(" +%d wait", n.CoreQueue)
	}
	cells := n.Cores
	if cells > w-width(num) || cells > 16 {
		cells = min(16, max(4, w-width(num)))
		return st.level(frac).Render(bar(frac, cells)) + num
	}
	return st.level(frac).Render(coreCells(n)) + num
}

// coreCells draws one cell per core: busy, then idle, then the cores a
// live edit removed whose running slices have yet to finish (a node may
// briefly have more busy cores than cores).
func coreCells(n *sim.NodeState) string {
	busy := min(n.BusyCores, n.Cores)
	return repeat("█", busy) + repeat("░", n.Cores-busy) + repeat("▒", n.BusyCores-n.Cores)
}

// coresLeaving says how many removed cores still finish a slice, if any.
func coresLeaving(n *sim.NodeState) string {
	if n.BusyCores <= n.Cores {
		return ""
	}
	return fmt.Sprintf(" (%d leaving)", n.BusyCores-n.Cores)
}

// backlogText is the backlog as a bar against its limit, with numbers,
// marked as the count at this instant when now is set.
func backlogText(n *sim.NodeState, w int, now bool, st *Styles) string {
	switch n.BacklogLimit {
	case topology.Unlimited:
		style := st.OK
		if n.Backlog > 0 {
			style = st.Warn
		}
		// in a box, the longest form that fits (at 80 columns it cut
		// "(no limi…"); a node's line has its own budget
		note := " waiting now (no limit)"
		for _, short := range []string{" waiting (no limit)", " (no limit)"} {
			if !now || width(count(uint64(n.Backlog))+note) <= w {
				break
			}
			note = short
		}
		return style.Render(count(uint64(n.Backlog))) + st.Muted.Render(note)
	case 0:
		return st.Muted.Render("none: busy means refused")
	}
	frac := float64(n.Backlog) / float64(n.BacklogLimit)
	num := fmt.Sprintf(" %d/%d", n.Backlog, n.BacklogLimit)
	if now {
		num += st.Muted.Render(" now")
	}
	bw := max(4, min(w-width(num)-2, 24))
	if w == 0 {
		bw = 1 // the narrowest: a cell, the numbers whole
	}
	return st.level(frac).Render("▕"+bar(frac, bw)+"▏") + num
}

// memoryText is the node's memory in use against its size.
func memoryText(n *sim.NodeState, total int64, w int, st *Styles) string {
	frac := float64(n.MemoryUsed) / float64(total)
	num := " " + topology.FormatSize(roundSize(n.MemoryUsed)) + "/" + topology.FormatSize(total)
	bw := max(4, min(w-width(num)-2, 24))
	return st.level(frac).Render("▕"+bar(frac, bw)+"▏") + num
}

// roundSize rounds a byte count to what FormatSize prints briefly (whole
// MiB).
func roundSize(n int64) int64 { return n >> 20 << 20 }

// nodeLine draws node i on one line of w cells, for the compact
// diagram: cores, slots (cells, or a stacked bar and counts), backlog.
// coresW aligns the columns of the lines; the slots take at most
// maxSlotsW cells. At lvl 0 the parts stand two cells apart; each level
// up gives up something for a narrow line: the gaps narrow to one cell
// (1), the slots go (2), the backlog's bar shrinks to a cell (3).
func nodeLine(t *topology.Topology, s *sim.Snapshot, i, w, coresW, lvl int, st *Styles) string {
	line, _ := nodeLineFit(t, s, i, w, coresW, lvl, st)
	return line
}

// nodeLevels is the last of nodeLine's levels.
const nodeLevels = 3

// nodeLevel is the first of nodeLine's levels at which the first n
// nodes' lines are whole in w cells, and whether they are; else the
// last.
func nodeLevel(t *topology.Topology, s *sim.Snapshot, n, w, coresW int, st *Styles) (int, bool) {
	for lvl := 0; lvl <= nodeLevels; lvl++ {
		whole := true
		for i := 0; i < n && whole; i++ {
			_, whole = nodeLineFit(t, s, i, w, coresW, lvl, st)
		}
		if whole {
			return lvl, true
		}
	}
	return nodeLevels, false
}

// nodeLineFit is nodeLine and whether it is whole, not cut at w.
func nodeLineFit(t *topology.Topology, s *sim.Snapshot, i, w, coresW, lvl int, st *Styles) (string, bool) {
	const maxSlotsW = 48
	n := &s.Nodes[i]
	gap := "  "
	if lvl >= 1 {
		gap = " "
	}
	digits := len(itoa(len(s.Nodes)))
	name := fmt.Sprintf("node %-*d", digits, i+1) + gap
	whole := func(l string) (string, bool) { return fit(l, w), width(l) <= w }
	switch {
	case n.State == sim.NodeBooting:
		return whole(name + st.Warn.Render(bootText(n)))
	case n.State == sim.NodeDown:
		return whole(name + st.Bad.Render("✗ DOWN: "+downText(s)))
	case n.State == sim.NodeDraining || i >= t.App.Nodes:
		name = fmt.Sprintf("node %-*d ", digits, i+1) + st.Muted.Render("leaving ")
	}
	cores := fit(coresShort(n, st), coresW)
	var bl string
	switch {
	case lvl >= 3:
		bl = backlogText(n, 0, false, st)
	case w < 50 || lvl >= 1:
		bl = backlogText(n, 12, false, st) // a shorter bar, the numbers whole
	default:
		bl = backlogText(n, 18, false, st)
	}
	if lvl >= 2 {
		return whole(name + cores + gap + bl)
	}
	cw := min(maxSlotsW, w-width(name)-width(cores)-width(bl)-2*width(gap))
	var slots string
	if cells, ok := workerCells(n.Workers, cw, 1, st); ok && n.Detailed() {
		slots = cells[0]
	} else {
		busy, all := busySlots(n.Slots)
		num := fmt.Sprintf("%d/%d", busy, all)
		switch {
		case cw >= width(num)+5:
			slots = slotBar(n.Slots, cw-width(num)-1, st) + " " + num
		default:
			// no room for cells: the count alone, whole
			slots = num
			cw = max(cw, width(num))
		}
	}
	return whole(name + cores + gap + fit(slots, max(cw, 0)) + gap + bl)
}

// coresShort is the node's cores for one line: "███░ 3/4 +5".
func coresShort(n *sim.NodeState, st *Styles) string {
	frac := 0.0
	if n.Cores > 0 {
		frac = float64(n.BusyCores) / float64(n.Cores)
	}
	cells := st.level(frac).Render(bar(frac, min(n.Cores, 8)))
	if n.Cores <= 8 {
		cells = st.level(frac).Render(coreCells(n))
	}
	out := cells + fmt.Sprintf(" %d/%d", n.BusyCores, n.Cores)
	if n.BusyCores > n.Cores {
		out += st.Warn.Render(fmt.Sprintf(" %d leaving", n.BusyCores-n.Cores))
	}
	if n.CoreQueue > 0 {
		out += st.Warn.Render(fmt.Sprintf(" +%d", n.CoreQueue))
	}
	return out
}

// busySlots returns a node's busy and total slots.
func busySlots(all sim.WorkerState) (int, int) {
	return all.Slots - all.Idle, all.Slots
}
