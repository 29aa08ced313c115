package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"scalesim/sim"
)

// slotKind is what a worker slot (a sync worker, a thread, a greenlet)
// is doing. Each has a symbol, so that cells read without colour.
type slotKind int

const (
	slotCPU      slotKind = iota // running Python on a core, holding the GIL
	slotWaitCore                 // holding the GIL, waiting for a core
	slotWaitGIL                  // ready to run, waiting for the GIL
	slotIO                       // waiting on an outside call
	slotDB                       // waiting on the database
	slotCache                    // waiting on the cache
	slotOffload                  // waiting on the offload service
	slotIdle
	numSlotKinds
)

// slotSymbols and slotNames are in slotKind order.
var (
	slotSymbols = [numSlotKinds]string{"C", "W", "G", "i", "d", "c", "o", "·"}
	slotNames   = [numSlotKinds]string{"on CPU", "wait core", "wait GIL", "I/O", "db", "cache", "offload", "idle"}
	// slotShort are the names for a narrow legend (a side of the split)
	slotShort = [numSlotKinds]string{"cpu", "core", "GIL", "io", "db", "cache", "offload", "idle"}
)

// counts returns a worker's slots by kind.
func counts(ws sim.WorkerState) [numSlotKinds]int {
	return [numSlotKinds]int{ws.CPU, ws.WaitCore, ws.WaitGIL, ws.IO, ws.DB, ws.Cache, ws.Offload, ws.Idle}
}

// cellStyle is the style of a slot kind's cell.
func (s *Styles) cellStyle(k slotKind) lipgloss.Style {
	switch k {
	case slotCPU:
		return s.CellCPU
	case slotWaitCore:
		return s.CellWaitCore
	case slotWaitGIL:
		return s.CellWaitGIL
	case slotIdle:
		return s.CellIdle
	}
	return s.CellWait
}

// workerGroup renders one worker's slots as a run of cells, busiest
// first. A retiring worker (after a reload) is drawn muted.
func workerGroup(ws sim.WorkerState, st *Styles) string {
	var b strings.Builder
	for k, n := range counts(ws) {
		if n == 0 {
			continue
		}
		style := st.cellStyle(slotKind(k))
		if ws.Retiring {
			style = st.Muted
		}
		b.WriteString(style.Render(strings.Repeat(slotSymbols[k], n)))
	}
	return b.String()
}

// workerCells lays a node's workers out as cells, one per slot, workers
// separated by a space, wrapped at w cells into at most maxLines lines.
// It reports false when they do not fit.
func workerCells(workers []sim.WorkerState, w, maxLines int, st *Styles) ([]string, bool) {
	var lines []string
	var cur strings.Builder
	curW := 0
	for _, ws := range workers {
		if ws.Slots > w {
			return nil, false
		}
		need := ws.Slots
		if curW > 0 {
			need++
		}
		if curW+need > w {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
			need = ws.Slots
		}
		if curW > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(workerGroup(ws, st))
		curW += need
		if len(lines) >= maxLines {
			return nil, false
		}
	}
	if curW > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines, len(lines) <= maxLines
}

// slotBar draws a node's slots (all its workers' together) as a stacked
// bar w cells wide, each kind taking cells in proportion (largest
// remainder; a kind present gets at least one cell when there is room).
func slotBar(all sim.WorkerState, w int, st *Styles) string {
	tot, slots := counts(all), all.Slots
	if slots == 0 || w <= 0 {
		return ""
	}
	cells := apportion(tot[:], slots, w)
	var b strings.Builder
	for k, n := range cells {
		if n > 0 {
			b.WriteString(st.cellStyle(slotKind(k)).Render(strings.Repeat(slotSymbols[k], n)))
		}
	}
	return b.String()
}

// apportion divides w cells among parts (summing to total) in
// proportion, by largest remainder, giving every non-zero part at least
// one cell while idle (the last part) can give it up.
func apportion(parts []int, total, w int) []int {
	out := make([]int, len(parts))
	rem := make([]float64, len(parts))
	used := 0
	for i, p := range parts {
		x := float64(p) * float64(w) / float64(total)
		out[i] = int(x)
		rem[i] = x - float64(out[i])
		used += out[i]
	}
	for used < w {
		best := -1
		for i := range parts {
			if parts[i] > 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
		used++
	}
	// every busy kind visible: take cells from the largest part
	for i, p := range parts {
		if p > 0 && out[i] == 0 {
			big := 0
			for j := range out {
				if out[j] > out[big] {
					big = j
				}
			}
			if out[big] > 1 {
				out[big]--
				out[i]++
			}
		}
	}
	return out
}

// slotSummary is a node's slots in numbers in at most w cells: "43/400
// busy C3 G5 i35"; when narrow the word goes, then the smallest counts
// by kind (the bar above still shows them), never part of a number.
func slotSummary(all sim.WorkerState, w int, st *Styles) string {
	tot, slots := counts(all), all.Slots
	busy := slots - tot[slotIdle]
	var kinds []slotKind
	for k := slotCPU; k < slotIdle; k++ {
		if tot[k] > 0 {
			kinds = append(kinds, k)
		}
	}
	line := func(word string, keep []slotKind) string {
		parts := []string{fmt.Sprintf("%d/%d", busy, slots) + word}
		for _, k := range kinds {
			if slices.Contains(keep, k) {
				parts = append(parts, st.cellStyle(k).Render(slotSymbols[k]+itoa(tot[k])))
			}
		}
		return strings.Join(parts, " ")
	}
	keep := slices.Clone(kinds)
	for _, word := range []string{" busy", ""} {
		if l := line(word, keep); width(l) <= w {
			return l
		}
	}
	// the largest counts stay
	slices.SortStableFunc(keep, func(a, b slotKind) int { return tot[b] - tot[a] })
	for len(keep) > 0 {
		keep = keep[:len(keep)-1]
		if l := line("", keep); width(l) <= w {
			return l
		}
	}
	return line("", nil)
}

// workerBar draws one worker's slots as a stacked bar with its busy
// count, in w cells: "CGGGiii········· 8/100".
func workerBar(ws sim.WorkerState, w int, st *Styles) string {
	busy := ws.Slots - ws.Idle
	num := fmt.Sprintf(" %d/%d", busy, ws.Slots)
	if ws.Retiring {
		num += " retiring"
	}
	c := counts(ws)
	cells := apportion(c[:], ws.Slots, max(4, w-width(num)))
	var b strings.Builder
	for k, n := range cells {
		if n > 0 {
			style := st.cellStyle(slotKind(k))
			if ws.Retiring {
				style = st.Muted
			}
			b.WriteString(style.Render(strings.Repeat(slotSymbols[k], n)))
		}
	}
	return b.String() + num
}

// legendIn explains the cell symbols that can appear for this topology,
// in w cells (0: any): in full, else with the short names (C cpu  W
// core), else those one cell apart, else cut.
func legendIn(kinds []slotKind, w int, st *Styles) string {
	join := func(names *[numSlotKinds]string, sep string) string {
		parts := make([]string, 0, len(kinds))
		for _, k := range kinds {
			parts = append(parts, st.cellStyle(k).Render(slotSymbols[k])+" "+names[k])
		}
		return strings.Join(parts, sep)
	}
	line := join(&slotNames, "  ")
	if w <= 0 || width(line) <= w {
		return line
	}
	if line = join(&slotShort, "  "); width(line) <= w {
		return line
	}
	return fit(join(&slotShort, " "), w)
}
