package ui

import (
	"fmt"
	"math"
	"time"

	"scalesim/sim"
)

// autoscaleLine is the autoscaler in one line of at most w cells: its
// metric against the target, the nodes taking traffic, those booting and
// when the next is up, the nodes it asked for and what held it back, and
// when it looks next (now is the simulated time):
//
//	autoscaler cpu 100% (target 60%) · 2 up · ◌ 2 booting, up in 1:12 · desired 4 · next in 9s
func autoscaleLine(a *sim.AutoscaleState, now time.Duration, w int, st *Styles) string {
	metric := metricText(a)
	label, hpa := st.Title.Render("autoscaler")+" ", st.Title.Render("hpa")+" "
	figs := []figure{
		{forms: []string{label + metric[0], label + metric[1], hpa + metric[1]}, yield: 3},
		{forms: []string{fmt.Sprintf("%d up", a.Current)}, yield: 9},
	}
	if a.Booting > 0 {
		left := countdown(a.BootLeft)
		figs = append(figs, figure{forms: []string{
			st.Warn.Render(fmt.Sprintf("◌ %d booting, up in %s", a.Booting, left)),
			st.Warn.Render(fmt.Sprintf("◌ %d booting %s", a.Booting, left)),
			st.Warn.Render(fmt.Sprintf("◌%d %s", a.Booting, left)),
		}, yield: 4})
	}
	desired := fmt.Sprintf("desired %d", a.Desired)
	short := fmt.Sprintf("→%d", a.Desired)
	if a.Limit != "" && a.Recommended != a.Desired {
		figs = append(figs, figure{forms: []string{
			desired + st.Muted.Render(fmt.Sprintf(" (wants %d: %s)", a.Recommended, a.Limit)),
			desired + st.Muted.Render(fmt.Sprintf(" (%s)", a.Limit)), desired, short,
		}, yield: 2})
	} else {
		figs = append(figs, figure{forms: []string{desired, short}, yield: 5})
	}
	next := countdown(a.NextAt - now)
	figs = append(figs, figure{forms: []string{st.Muted.Render("next in " + next), st.Muted.Render("next " + next), ""}, yield: 0})
	return budgetSep(figs, w, st.Muted.Render(" · "), " ")
}

// metricText is the metric against its target, long and short:
// "cpu 92% (target 70%)", "cpu 92%/70%".
func metricText(a *sim.AutoscaleState) [2]string {
	val := "–"
	var target string
	switch a.Metric {
	case "cpu", "busy_workers":
		if a.Measured {
			val = fmt.Sprintf("%.0f%%", math.Floor(100*a.Value))
		}
		target = fmt.Sprintf("%.0f%%", 100*a.Target)
	case "backlog":
		if a.Measured {
			val = fmt.Sprintf("%.1f/node", a.Value)
		}
		target = fmt.Sprintf("%g", a.Target)
	case "p99":
		if a.Measured {
			val = ms(a.Value)
		}
		target = ms(a.Target)
	}
	name := a.Metric
	if name == "busy_workers" {
		name = "busy workers"
	}
	return [2]string{fmt.Sprintf("%s %s (target %s)", name, val, target), fmt.Sprintf("%s %s/%s", name, val, target)}
}

// clock writes a countdown: 9s, 1:12.
func countdown(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	if s < 60 {
		return fmt.Sprintf("%ds", max(s, 0))
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
