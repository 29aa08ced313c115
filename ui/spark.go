package ui

import (
	"math"
	"strings"
)

// sparkRunes are the eighths of a cell, empty to full.
var sparkRunes = []rune(" ▁▂▃▄▅▆▇█")

// spark draws vals as a sparkline h rows high and w cells wide, the last
// value at the right edge (older values fall off the left; missing ones
// are blank). scale maps a value to 0..1; any value above zero shows at
// least one eighth.
func spark(vals []float64, w, h int, scale func(float64) float64) []string {
	if len(vals) > w {
		vals = vals[len(vals)-w:]
	}
	pad := w - len(vals)
	levels := make([]int, len(vals))
	for i, v := range vals {
		if v <= 0 || math.IsNaN(v) {
			continue
		}
		f := max(0, min(scale(v), 1))
		levels[i] = max(1, int(math.Ceil(f*float64(h*8)-1e-9)))
	}
	rows := make([]string, h)
	for r := range h {
		base := (h - 1 - r) * 8
		var b strings.Builder
		b.WriteString(strings.Repeat(" ", pad))
		for _, l := range levels {
			b.WriteRune(sparkRunes[max(0, min(l-base, 8))])
		}
		rows[r] = b.String()
	}
	return rows
}

// linear is the scale 0..hi.
func linear(hi float64) func(float64) float64 {
	if hi <= 0 {
		hi = 1
	}
	return func(v float64) float64 { return v / hi }
}

// logScale is a logarithmic scale from lo to hi (values at or below lo
// show as the smallest mark).
func logScale(lo, hi float64) func(float64) float64 {
	if lo <= 0 {
		lo = 0.01
	}
	if hi <= lo*1.5 {
		hi = lo * 10
	}
	span := math.Log(hi / lo)
	return func(v float64) float64 {
		if v <= lo {
			return 0
		}
		return math.Log(v/lo) / span
	}
}

// maxOf is the largest of vals (0 for none).
func maxOf(vals ...[]float64) float64 {
	m := 0.0
	for _, vs := range vals {
		for _, v := range vs {
			if v > m {
				m = v
			}
		}
	}
	return m
}

// minPositive is the smallest value above zero (0 for none).
func minPositive(vals ...[]float64) float64 {
	m := 0.0
	for _, vs := range vals {
		for _, v := range vs {
			if v > 0 && (m == 0 || v < m) {
				m = v
			}
		}
	}
	return m
}

// last is the newest value (0 for none).
func last(vals []float64) float64 {
	if len(vals) == 0 {
		return 0
	}
	return vals[len(vals)-1]
}

// tail is the last n values.
func tail(vals []float64, n int) []float64 {
	if len(vals) > n {
		return vals[len(vals)-n:]
	}
	return vals
}
