package ui

import (
	"fmt"
	"math"
	"strings"

	"scalesim/sim"
	"scalesim/termsafe"
	"scalesim/topology"
)

// The classes table (key j) replaces the stations table: each request
// class's answers per second and latency over the window since the last
// change, so that short requests stuck behind long ones show; with
// populations, each population's users and its classes together under
// them.

// classCol is one column of the classes table.
type classCol struct {
	head string
	cell func(n uint64, rps float64, l sim.Latency) string
}

// classCols are in the order they are drawn; classKeep is the order in
// which they are kept when the pane is narrow.
var (
	classCols = []classCol{
		{"req/s", func(_ uint64, rps float64, _ sim.Latency) string { return num(round1(rps)) }},
		{"mean", func(n uint64, _ float64, l sim.Latency) string { return latencyCell(n, l.Mean) }},
		{"p50", func(n uint64, _ float64, l sim.Latency) string { return latencyCell(n, l.P50) }},
		{"p95", func(n uint64, _ float64, l sim.Latency) string { return latencyCell(n, l.P95) }},
		{"p99", func(n uint64, _ float64, l sim.Latency) string { return latencyCell(n, l.P99) }},
	}
	classKeep = []int{0, 4, 1, 2, 3}
)

func latencyCell(n uint64, v float64) string {
	if n == 0 {
		return "–"
	}
	return ms(v)
}

// classRow is one row: a class, or a population.
type classRow struct {
	name string
	n    uint64
	rps  float64
	l    sim.Latency
}

// classesWant is the height the classes table would like.
func classesWant(s *sim.Snapshot) int {
	n := len(s.Summary.Classes) + 2
	if p := len(s.Summary.Populations); p > 0 {
		n += p + 1
	}
	return n
}

// classCellW is the widest a cell of the classes table is: ms and num
// write at most five cells ("999ms", "9.9ms", "1.2k").
const classCellW = 5

// classNameW is the width of the widest row name of s's classes table.
func classNameW(s *sim.Snapshot) int {
	n := len("population")
	for _, c := range s.Summary.Classes {
		n = max(n, width(termsafe.Line(c.Name)))
	}
	for _, p := range s.Summary.Populations {
		n = max(n, width(count(uint64(p.Users))+" "+termsafe.Line(p.Name)))
	}
	return n
}

// classesWidth is the width the classes table would like, so that every
// column fits: a layout that can spare it gives it that much. It counts
// every cell at its widest, so that it does not change frame to frame,
// and a cell of margin, so that its last column does not run into the
// pane beside it.
func classesWidth(s *sim.Snapshot) int {
	return classNameW(s) + len(classCols)*(1+classCellW) + 1
}

// classLines draws the classes table of s in w cells and h lines.
func classLines(s *sim.Snapshot, w, h int, st *Styles) []string {
	sum := &s.Summary
	var rows, pops []classRow
	for _, c := range sum.Classes {
		rows = append(rows, classRow{termsafe.Line(c.Name), c.Completed, c.ThroughputRPS, c.LatencyMs})
	}
	for _, p := range sum.Populations {
		pops = append(pops, classRow{count(uint64(p.Users)) + " " + termsafe.Line(p.Name), p.Completed, p.ThroughputRPS, p.LatencyMs})
	}
	nameW := min(classNameW(s), max(w/3, 8))
	widths := make([]int, len(classCols))
	keep := make([]bool, len(classCols))
	used := nameW
	for _, c := range classKeep {
		cw := width(classCols[c].head)
		for _, r := range append(append([]classRow(nil), rows...), pops...) {
			v := "–"
			if sum.DurationS > 0 {
				v = classCols[c].cell(r.n, r.rps, r.l)
			}
			cw = max(cw, width(v))
		}
		if used+1+cw > w {
			break
		}
		widths[c], keep[c] = cw, true
		used += 1 + cw
	}
	head := func(name string) string {
		var b strings.Builder
		b.WriteString(fit(name, nameW))
		for c, col := range classCols {
			if keep[c] {
				b.WriteString(" " + fitRight(col.head, widths[c]))
			}
		}
		return st.Muted.Render(b.String())
	}
	line := func(r classRow) string {
		var b strings.Builder
		b.WriteString(fit(r.name, nameW))
		for c, col := range classCols {
			if !keep[c] {
				continue
			}
			v := "–"
			if sum.DurationS > 0 {
				v = col.cell(r.n, r.rps, r.l)
			}
			b.WriteString(" " + fitRight(v, widths[c]))
		}
		return b.String()
	}
	span := ago(secs(sum.DurationS))
	title := st.Title.Render("CLASSES") + st.Muted.Render("  latency since the last change, "+span)
	if width(title) > w {
		title = st.Title.Render("CLASSES") + st.Muted.Render("  over the last "+span)
	}
	lines := []string{fit(title, w), head("class")}
	for _, r := range rows {
		lines = append(lines, line(r))
	}
	// the populations whole ("200 shoppers" says what the row is when
	// there is no room for their heading), or not at all
	if len(pops) > 0 && len(lines)+len(pops) <= h {
		if len(lines)+1+len(pops) <= h {
			lines = append(lines, head("population"))
		}
		for _, r := range pops {
			lines = append(lines, line(r))
		}
	}
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	return lines
}

// stepPopulations steps every population's users along the ladder of
// round numbers (+/- on a workload of populations): each keeps roughly
// its share of the users, and a population of 0 stays at 0.
func stepPopulations(w *topology.Workload, d dir) (string, error) {
	old := w.Users
	var parts []string
	for i := range w.Populations {
		p := &w.Populations[i]
		if p.Users == 0 {
			continue
		}
		next := int(math.Round(ladder(float64(p.Users), d)))
		if next == p.Users {
			next = p.Users + int(d)
		}
		parts = append(parts, fmt.Sprintf("%s %d → %d", termsafe.Line(p.Name), p.Users, next))
		p.Users = next
	}
	w.SyncPopulations()
	if w.Users == 0 {
		return "", fmt.Errorf("every population is down to its last user; edit the file to remove one")
	}
	return fmt.Sprintf("users %d → %d: %s", old, w.Users, strings.Join(parts, ", ")), nil
}
