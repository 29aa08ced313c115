package ui

import (
	"strconv"
	"strings"
)

// headerView is the top line: what runs, the simulated clock, the speed,
// running or paused, the seed, and "behind" when the simulation cannot
// keep up with the speed asked for.
func (m *Model) headerView() string {
	st := &m.ctx.styles
	f := &m.frame
	name := m.source
	if t := m.topo.Name; t != "" && t != name {
		name += st.Muted.Render(" · ") + t
	}
	left := st.Brand.Render("scalesim") + "  " + st.Bold.Render(name)

	var right []string
	right = append(right, "t "+st.Bold.Render(clock(f.Snap.Now)))
	switch {
	case f.Stopped != "":
		right = append(right, st.Bad.Render("✗ stopped"))
	case m.paused:
		right = append(right, st.Warn.Render("❚❚ paused"))
	default:
		right = append(right, st.OK.Render("▶ "+speedText(speeds[m.speedIdx])))
	}
	if f.Behind && !m.paused {
		right = append(right, st.Bad.Render("⚠ behind: "+num(f.Achieved)+"x"))
	}
	right = append(right, st.Muted.Render("seed ")+strconv.FormatUint(f.Snap.Seed, 10))
	return spread(left, strings.Join(right, "  "), m.ctx.width)
}
