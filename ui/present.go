package ui

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// The presentation layout (v) is for a talk: the key numbers of the
// measured window (since the last change, or the story step's start)
// drawn in large glyphs a room can read from the back (served, p99,
// errors, and oversold when the topology sells stock), in place of the
// line of key numbers. The diagram and the charts keep what is left,
// and shrink or go as the usual layout has them do. At 80x24 the glyphs
// are 3 rows high; from 40 rows, 5.

// bigFigure is one of the large numbers: its label (longest form
// first), its value in the font's characters, and how it is drawn.
type bigFigure struct {
	labels []string
	value  string
	style  lipgloss.Style
}

// bigFigures are the numbers of the measured window the panel shows.
func (m *Model) bigFigures() []bigFigure {
	st := &m.ctx.styles
	sum := &m.frame.Snap.Summary
	w := sum.Window
	level := func(bad bool) lipgloss.Style {
		if bad {
			return st.Bad.UnsetReverse() // reversed glyphs read as a blot
		}
		return st.OK
	}
	span := "last " + ago(secs(sum.DurationS))
	served := bigFigure{labels: []string{"SERVED req/s · " + span, "SERVED req/s", "SERVED"}, value: bigNum(round1(sum.ThroughputRPS)), style: st.Accent.Bold(true)}
	p99v, unit := bigLatency(sum.LatencyMs.P99)
	p99 := bigFigure{labels: []string{"P99 LATENCY " + unit, "P99 " + unit}, value: p99v, style: st.Bold}
	fails := w.Dropped + w.Failed
	errs := bigFigure{labels: []string{"ERRORS dropped+failed", "ERRORS"}, value: share(fails, w.Arrived), style: level(fails > 0)}
	switch {
	case sum.DurationS == 0:
		served.labels = []string{"SERVED req/s · measuring", "SERVED req/s", "SERVED"}
		served.value, p99.value, errs.value = "-", "-", "-"
	case w.Completed == 0:
		p99.value = "-"
	}
	figs := []bigFigure{served, p99, errs}
	if m.view.Stock != nil {
		var over uint64
		if sk := sum.Stock; sk != nil {
			over = sk.Oversold
		}
		figs = append(figs, bigFigure{labels: []string{"OVERSOLD units", "OVERSOLD"}, value: bigNum(float64(over)), style: level(over > 0)})
	}
	return figs
}

// bigNum is a count or rate as the glyphs show it: whole below 10,000
// (one decimal below 10), then 12k, 1.5M.
func bigNum(v float64) string {
	switch a := math.Abs(v); {
	case a < 10 && v != math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a < 10_000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return num(v)
}

// bigLatency splits a latency in milliseconds into the glyphs' digits
// and the label's unit: 946 µs, 4.5 ms, 27 ms, 1.9 s.
func bigLatency(v float64) (string, string) {
	switch {
	case v <= 0 || math.IsNaN(v):
		return "0", "ms"
	case v < 1:
		return strconv.FormatFloat(math.Max(1, math.Round(v*1000)), 'f', 0, 64), "µs"
	case v < 10:
		return strconv.FormatFloat(v, 'f', 1, 64), "ms"
	case v < 1000:
		return strconv.FormatFloat(v, 'f', 0, 64), "ms"
	case v < 10000:
		return strconv.FormatFloat(v/1000, 'f', 1, 64), "s"
	}
	return strconv.FormatFloat(v/1000, 'f', 0, 64), "s"
}

// bigScale is the glyphs' scale for the terminal: 2 (5 rows) from 40
// rows when every number fits its panel so, else 1 (3 rows).
func (m *Model) bigScale(figs []bigFigure) int {
	w, h := m.ctx.width, m.ctx.height
	if h < 40 {
		return 1
	}
	pw := panelWidth(w, len(figs))
	for _, f := range figs {
		if bigWidth(f.value, 2) > pw {
			return 1
		}
	}
	return 2
}

// panelWidth is the width of each of n panels side by side in w cells,
// two spaces apart.
func panelWidth(w, n int) int { return (w - 2*(n-1)) / n }

// bigPanel is the presentation layout's numbers: a row of labels, the
// numbers in large glyphs under them, each centred in its panel (a
// number too wide for its panel is written plainly, in bold), and on a
// tall terminal a line saying what time they cover.
func (m *Model) bigPanel() string {
	st := &m.ctx.styles
	w := m.ctx.width
	figs := m.bigFigures()
	scale := m.bigScale(figs)
	pw := panelWidth(w, len(figs))
	rows := bigHeight(scale)
	cols := make([][]string, len(figs))
	for i, f := range figs {
		label := f.labels[len(f.labels)-1]
		for _, l := range f.labels {
			if width(l) <= pw {
				label = l
				break
			}
		}
		col := []string{center(st.Title.Render(label), pw)}
		glyphs := big(f.value, scale)
		if bigWidth(f.value, scale) > pw {
			glyphs = make([]string, rows)
			glyphs[rows/2] = f.style.Bold(true).Render(f.value)
		}
		for _, g := range glyphs {
			col = append(col, center(f.style.Render(g), pw))
		}
		cols[i] = col
	}
	lines := make([]string, rows+1)
	for y := range lines {
		parts := make([]string, len(cols))
		for i := range cols {
			parts[i] = cols[i][y]
		}
		lines[y] = fit(strings.Join(parts, "  "), w)
	}
	if m.ctx.height >= 30 && m.frame.Snap.Summary.DurationS > 0 {
		lines = append(lines, center(st.Muted.Render("over the "+ago(secs(m.frame.Snap.Summary.DurationS))+" since the last change"), w))
	}
	return strings.Join(lines, "\n")
}

// center puts s (which may hold styles) in the middle of w cells.
func center(s string, w int) string {
	sw := width(s)
	if sw >= w {
		return fit(s, w)
	}
	left := (w - sw) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", w-sw-left)
}
