package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"scalesim/numfmt"
)

// clock formats simulated time as h:mm:ss.t.
func clock(d time.Duration) string {
	tenths := int64(d / (100 * time.Millisecond))
	h := tenths / 36000
	m := tenths / 600 % 60
	s := tenths / 10 % 60
	return fmt.Sprintf("%d:%02d:%02d.%d", h, m, s, tenths%10)
}

// ago formats a simulated time for the event log: 42.3s, 12m05s, 2h03m.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

// ms formats a latency given in milliseconds: 250µs, 4.5ms, 45ms, 1.2s,
// 12s: whole microseconds below a millisecond, then two significant
// digits (three from 100), the unit changing at 1,000. The band is chosen
// by the value as printed, after rounding, so that a value just under a
// boundary reads as the next band does (9.96 ms is 10ms, not 10.0ms;
// 999.7µs is 1.0ms, not 1000µs): no extra digit, and no wider field,
// appears at a decade.
func ms(v float64) string {
	if v <= 0 || math.IsNaN(v) {
		return "0"
	}
	if us := math.Round(v * 1000); us == 0 {
		return "<1µs" // not nothing, and not a whole microsecond
	} else if us < 1000 {
		return fmt.Sprintf("%.0fµs", us)
	}
	if t := math.Round(v*10) / 10; t < 10 {
		return fmt.Sprintf("%.1fms", t)
	}
	if m := math.Round(v); m < 1000 {
		return fmt.Sprintf("%.0fms", m)
	}
	if t := math.Round(v/100) / 10; t < 10 {
		return fmt.Sprintf("%.1fs", t)
	}
	return fmt.Sprintf("%.0fs", v/1000)
}

// num formats a quantity compactly: 0, 0.4, 7.5, 45, 1.2k, 34k, 1.5M.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a < 10 && v != math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a < 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a < 10_000:
		return strconv.FormatFloat(v/1000, 'f', 1, 64) + "k"
	case a < 1_000_000:
		return strconv.FormatFloat(v/1000, 'f', 0, 64) + "k"
	default:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	}
}

// count formats a whole count with thousands separators: 12,345.
var count = numfmt.Thousands

// pct formats a fraction as a whole percentage.
func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// rate formats requests per second as in a file: 60, 0.5, 1500.
func rate(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// width is the printed width of s, ignoring styles.
func width(s string) int { return lipgloss.Width(s) }

// fit pads or truncates s (which may hold styles) to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if sw := width(s); sw > w {
		// a wide character (CJK) that would straddle the edge goes
		// whole, so the cut may be a cell short: pad it, so that what
		// follows stays in its column
		t := ansi.Truncate(s, w, "…")
		if tw := width(t); tw < w {
			t += strings.Repeat(" ", w-tw)
		}
		return t
	} else if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// fitRight right-aligns s in w cells, truncating when longer.
func fitRight(s string, w int) string {
	if sw := width(s); sw < w {
		return strings.Repeat(" ", w-sw) + s
	}
	return fit(s, w)
}

// spread puts left and right on one line of w cells, truncating left
// when both do not fit.
func spread(left, right string, w int) string {
	rw := width(right)
	if rw >= w {
		return fit(right, w)
	}
	return fit(left, w-rw-1) + " " + right
}

// fitLines makes lines exactly w wide.
func fitLines(lines []string, w int) []string {
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return lines
}

// firstLine returns s up to its first line break.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
