package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// column is one column of the diagram: lines of equal width, and the
// rows where arrows come in and go out.
type column struct {
	lines   []string
	w       int
	anchors []int
}

// add appends a block of lines (all w wide) whose arrow row is anchor
// (relative to the block), leaving gap blank lines before it.
func (c *column) add(lines []string, anchor, gap int) {
	for range gap {
		if len(c.lines) > 0 {
			c.lines = append(c.lines, "")
		}
	}
	c.anchors = append(c.anchors, len(c.lines)+anchor)
	c.lines = append(c.lines, lines...)
	for _, l := range lines {
		c.w = max(c.w, width(l))
	}
}

// box draws lines in a rounded box w cells wide with title in its top
// border: "╭─ title ───╮". border styles the frame.
func box(title string, lines []string, w int, border lipgloss.Style) []string {
	inner := w - 4
	out := make([]string, 0, len(lines)+2)
	top := "╭─"
	rest := w - 3
	if title != "" {
		title = " " + title + " "
		tw := width(title)
		if tw > rest {
			title = fit(title, rest)
			tw = rest
		}
		out = append(out, border.Render(top)+title+border.Render(strings.Repeat("─", rest-tw)+"╮"))
	} else {
		out = append(out, border.Render(top+strings.Repeat("─", rest)+"╮"))
	}
	side := border.Render("│")
	for _, l := range lines {
		out = append(out, side+" "+fit(l, inner)+" "+side)
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", w-2)+"╯"))
	return out
}

// busWidth is the width of the connector between two columns.
const busWidth = 4

// bus draws the connector between two columns, h rows high: a line from
// each row in ins on the left joins a vertical bar, which feeds an arrow
// into each row in outs on the right.
//
//	─┬─▶
//	 ├─▶
//	 └─▶
func bus(h int, ins, outs []int, st lipgloss.Style) []string {
	in := map[int]bool{}
	out := map[int]bool{}
	top, bottom := h, -1
	for _, r := range ins {
		in[r] = true
		top, bottom = min(top, r), max(bottom, r)
	}
	for _, r := range outs {
		out[r] = true
		top, bottom = min(top, r), max(bottom, r)
	}
	lines := make([]string, h)
	for r := range h {
		var b strings.Builder
		if in[r] {
			b.WriteString("─")
		} else {
			b.WriteString(" ")
		}
		up, down := r > top && r <= bottom, r >= top && r < bottom
		b.WriteString(junction(up, down, in[r], out[r]))
		if out[r] {
			b.WriteString("─▶")
		} else {
			b.WriteString("  ")
		}
		lines[r] = st.Render(b.String())
	}
	return lines
}

// junction is the box-drawing character joining lines going up, down,
// left and right.
func junction(up, down, left, right bool) string {
	switch {
	case up && down && left && right:
		return "┼"
	case up && down && right:
		return "├"
	case up && down && left:
		return "┤"
	case up && down:
		return "│"
	case down && left && right:
		return "┬"
	case up && left && right:
		return "┴"
	case down && right:
		return "┌"
	case down && left:
		return "┐"
	case up && right:
		return "└"
	case up && left:
		return "┘"
	case left || right:
		return "─"
	case up || down:
		return "│"
	}
	return " "
}

// joinColumns lays columns side by side, with a bus between consecutive
// ones that carry arrows (a nil bus means no connector, only a gap).
func joinColumns(cols []column, st lipgloss.Style) []string {
	h := 0
	for _, c := range cols {
		h = max(h, len(c.lines))
	}
	rows := make([]strings.Builder, h)
	for i, c := range cols {
		if i > 0 {
			prev := cols[i-1]
			var conn []string
			if len(prev.anchors) > 0 && len(c.anchors) > 0 {
				conn = bus(h, prev.anchors, c.anchors, st)
			}
			for r := range h {
				if conn != nil {
					rows[r].WriteString(conn[r])
				} else {
					rows[r].WriteString(strings.Repeat(" ", busWidth))
				}
			}
		}
		for r := range h {
			l := ""
			if r < len(c.lines) {
				l = c.lines[r]
			}
			rows[r].WriteString(fit(l, c.w))
		}
	}
	out := make([]string, h)
	for r := range rows {
		out[r] = rows[r].String()
	}
	return out
}

// bar draws frac (0..1) as w cells: filled █, empty ░. Any non-zero
// fraction shows at least one filled cell.
func bar(frac float64, w int) string {
	if w <= 0 {
		return ""
	}
	frac = max(0, min(frac, 1))
	n := int(frac*float64(w) + 0.5)
	if frac > 0 && n == 0 {
		n = 1
	}
	return strings.Repeat("█", n) + strings.Repeat("░", w-n)
}
