package ui

import (
	"fmt"
	"strings"
	"time"

	"scalesim/sim"
	"scalesim/termsafe"
)

// This file draws the changes of a run: a line with the timeline's
// caption and what comes next, and a mark on the charts at each second a
// change was applied (by a key, the timeline, the autoscaler, a
// failure). Marks are glyphs, readable without colour: ┆ down the charts
// where they are empty, ▲ on the time axis.

const (
	guideRune = '┆'
	markRune  = '▲'
)

// timelineView is the line under the key numbers: the last caption and
// the next change to come ("next 1:00 the sale opens, in 12s"). It is
// empty, and takes no line, when the topology has no timeline and no
// caption was shown.
func (m *Model) timelineView() string {
	snap := &m.frame.Snap
	if snap.Caption.Text == "" && len(snap.Next) == 0 && (snap.Topology == nil || len(snap.Topology.Events) == 0) {
		return ""
	}
	st := &m.ctx.styles
	w := m.ctx.width
	var right string
	forms := []string{""}
	if len(snap.Next) > 0 {
		n := snap.Next[0]
		in := n.At - snap.Now
		what := termsafe.Line(n.Text)
		forms = []string{
			fmt.Sprintf("next %s %s, in %s", shortClock(n.At), what, shortDur(in)),
			fmt.Sprintf("next %s %s", shortClock(n.At), what),
			fmt.Sprintf("next %s, in %s", shortClock(n.At), shortDur(in)),
		}
	} else if snap.Caption.Text == "" {
		forms = []string{"timeline done", ""}
	}
	left := ""
	if c := snap.Caption.Text; c != "" {
		left = "» " + termsafe.Line(c)
	}
	for _, f := range forms {
		right = f
		if width(left)+width(f)+2 <= w || f == forms[len(forms)-1] {
			break
		}
	}
	if left == "" {
		return st.Muted.Render(fit(right, w))
	}
	room := w - width(right) - 2
	if right == "" {
		room = w
	}
	if width(left) > room {
		left = fit(left, max(room, 0))
	}
	return spread(st.Bold.Render(left), st.Muted.Render(right), w)
}

// shortClock formats a simulated time as the timeline writes it: 1:00,
// 12:30, 1:02:03.
func shortClock(d time.Duration) string {
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// shortDur formats a wait: 12s, 3m05s, 2h03m.
func shortDur(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second) // never "in 0s" before it happens
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s/60%60)
}

// markColumns says which of the w chart columns (one per second of ts,
// right-aligned) hold the time of a mark: the second [T-1, T) it was
// applied in. Marks in the second still running show once it closes.
func markColumns(marks []sim.Mark, ts []float64, w int) []bool {
	if len(ts) > w {
		ts = ts[len(ts)-w:]
	}
	cols := make([]bool, w)
	pad := w - len(ts)
	found := false
	for _, mk := range marks {
		at := mk.At.Seconds()
		for i, t := range ts {
			if at >= t-1 && at < t {
				cols[pad+i] = true
				found = true
				break
			}
		}
	}
	if !found {
		return nil
	}
	return cols
}

// withGuides renders a chart row in style, with a guide in the empty
// cells of the marked columns.
func withGuides(row string, cols []bool, style, guide func(...string) string) string {
	if cols == nil {
		return style(row)
	}
	rs := []rune(row)
	var b strings.Builder
	start := 0
	for i, r := range rs {
		if i < len(cols) && cols[i] && r == ' ' {
			if start < i {
				b.WriteString(style(string(rs[start:i])))
			}
			b.WriteString(guide(string(guideRune)))
			start = i + 1
		}
	}
	if start < len(rs) {
		b.WriteString(style(string(rs[start:])))
	}
	return b.String()
}

// markRow is a row of ▼ over the marked columns.
func markRow(cols []bool) string {
	rs := []rune(strings.Repeat(" ", len(cols)))
	for i, c := range cols {
		if c {
			rs[i] = '▼'
		}
	}
	return string(rs)
}

// guideLegend is the charts' legend for the marks, when some show.
func guideLegend(cols []bool) []string {
	if cols == nil {
		return []string{""}
	}
	return []string{"┆▲ a change (log: what)", "┆▲ change", ""}
}

// markAxis puts ▲ on the time axis under each marked column; a label
// (-30s, now) that a mark falls on gives way whole.
func markAxis(axisRow string, cols []bool) string {
	if cols == nil {
		return axisRow
	}
	rs := []rune(axisRow)
	for i := range rs {
		if i >= len(cols) || !cols[i] || rs[i] == ' ' || rs[i] == markRune {
			continue
		}
		lo, hi := i, i
		for lo > 0 && rs[lo-1] != ' ' && rs[lo-1] != markRune {
			lo--
		}
		for hi < len(rs)-1 && rs[hi+1] != ' ' && rs[hi+1] != markRune {
			hi++
		}
		for k := lo; k <= hi; k++ {
			rs[k] = ' '
		}
	}
	for i := range rs {
		if i < len(cols) && cols[i] {
			rs[i] = markRune
		}
	}
	return string(rs)
}
