package ui

import (
	"strconv"
	"strings"

	"scalesim/termsafe"
)

// headerView is the top line: what runs, the simulated clock, the speed,
// running or paused, the seed, and "only 63x" when the simulation cannot
// keep up with the speed asked for (the speed it reaches). The numbers on the right stay whole;
// on a narrow terminal the topology's title goes first (i shows it),
// then the brand, then the file path is cut at its start.
func (m *Model) headerView() string {
	st := &m.ctx.styles
	f := &m.frame
	w := m.ctx.width

	var right []string
	if b := m.stepBadge(); b != "" {
		right = append(right, b)
	}
	right = append(right, "t "+st.Bold.Render(m.clockText()))
	switch {
	case f.Stopped != "":
		right = append(right, st.Bad.Render("✗ stopped"))
	case m.paused:
		right = append(right, st.Warn.Render("❚❚ paused"))
	default:
		right = append(right, st.OK.Render("▶ "+speedText(speeds[m.speedIdx])))
	}
	if f.Behind && !m.paused {
		right = append(right, st.Bad.Render("⚠ only "+num(f.Achieved)+"x"))
	}
	right = append(right, st.Muted.Render("seed ")+strconv.FormatUint(f.Snap.Seed, 10))
	r := strings.Join(right, "  ")

	if m.story != nil {
		return m.storyHeader(r)
	}
	source := termsafe.Line(m.source)
	name := st.Bold.Render(source)
	if t := termsafe.Line(m.view.Name); t != "" && t != source {
		name += st.Muted.Render(" · ") + t
	}
	brand := st.Brand.Render("scalesim") + "  "
	room := w - width(r) - 1
	for _, left := range []string{brand + name, brand + st.Bold.Render(source), st.Bold.Render(source)} {
		if width(left) <= room {
			return spread(left, r, w)
		}
	}
	return spread(st.Bold.Render(cutLeft(source, room)), r, w)
}

// cutLeft keeps the end of s (a path: its file name) in w cells,
// marking the cut with "…".
func cutLeft(s string, w int) string {
	if width(s) <= w {
		return s
	}
	if w <= 1 {
		return fit(s, w)
	}
	rs := []rune(s)
	for i := range rs {
		if tail := string(rs[i:]); width(tail) <= w-1 {
			return "…" + tail
		}
	}
	return "…"
}

// storyHeader is the header of a story: its title (cut at a character
// when it does not fit) and what it runs, with the numbers r on the
// right.
func (m *Model) storyHeader(r string) string {
	st := &m.ctx.styles
	w := m.ctx.width
	title := st.Bold.Render(termsafe.Line(m.story.st.Title))
	brand := st.Brand.Render("scalesim") + "  "
	room := w - width(r) - 2
	for _, left := range []string{brand + title + st.Muted.Render(" · "+termsafe.Line(m.source)), brand + title, title} {
		if width(left) <= room {
			return spread(left, r, w)
		}
	}
	return spread(fit(title, max(room, 0)), r, w)
}
