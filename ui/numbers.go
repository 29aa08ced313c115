package ui

import (
	"math"
	"strconv"

	"scalesim/sim"
)

// share is n of of as a whole percentage that reads 0% only when n is
// none and 100% only when it is all: a sliver is <1%, nearly all >99%.
func share(n, of uint64) string {
	switch {
	case n == 0 || of == 0:
		return "0%"
	case n >= of:
		return "100%"
	}
	switch p := math.Round(100 * float64(n) / float64(of)); p {
	case 0:
		return "<1%"
	case 100:
		return ">99%"
	default:
		return strconv.Itoa(int(p)) + "%"
	}
}

// keyFigures are the measured window's outcomes, the numbers every
// lesson needs: throughput, the share dropped and failed, and the
// latency percentiles.
func keyFigures(sum *sim.Summary, st *Styles) []figure {
	w := sum.Window
	bad := func(n uint64, s string) string {
		if n > 0 {
			return st.Bad.Render(s)
		}
		return s
	}
	served := st.Bold.Render(num(round1(sum.ThroughputRPS)))
	drop, fail := share(w.Dropped, w.Arrived), share(w.Failed, w.Arrived)
	figs := []figure{
		{forms: []string{"served " + served + " req/s", "served " + served + "/s", "ok " + served + "/s"}, yield: 2},
	}
	if clientsDiffer(w) {
		figs = append(figs, clientFigures(sum, st)...)
	}
	figs = append(figs,
		figure{forms: []string{bad(w.Dropped, "dropped "+drop), bad(w.Dropped, "drop "+drop), bad(w.Dropped, "x"+drop)}, yield: 3},
		figure{forms: []string{bad(w.Failed, "failed "+fail), bad(w.Failed, "fail "+fail), bad(w.Failed, "!"+fail)}, yield: 4},
	)
	switch {
	case w.Completed == 0:
		figs = append(figs, figure{forms: []string{st.Muted.Render("latency: none completed yet"), st.Muted.Render("no latency yet")}, yield: 1})
	case w.Logical.Goodput == 0:
		figs = append(figs, figure{forms: []string{st.Bad.Render("latency: no client got an answer"), st.Bad.Render("no answers")}, yield: 1})
	default:
		l := sum.LatencyMs
		p := "p50 " + ms(l.P50) + "  p95 " + ms(l.P95) + "  " + st.Bold.Render("p99 "+ms(l.P99))
		short := "p50 " + ms(l.P50) + " p95 " + ms(l.P95) + " " + st.Bold.Render("p99 "+ms(l.P99))
		figs = append(figs, figure{forms: []string{"latency " + p, p, short}, yield: 1})
	}
	span := ago(secs(sum.DurationS))
	return append(figs, figure{forms: []string{st.Muted.Render("over the " + span + " since the last change"), st.Muted.Render("last " + span), ""}})
}

// clientsDiffer reports whether clients retried, gave up or left work
// wasted in c, so that what they got differs from what was served.
func clientsDiffer(c sim.Counts) bool {
	return c.Retries > 0 || c.Wasted > 0 || c.Logical.Abandoned > 0
}

// clientFigures are goodput against throughput and the share of
// arrivals that were retries: what the clients got of what was served.
func clientFigures(sum *sim.Summary, st *Styles) []figure {
	w := sum.Window
	g := num(round1(sum.GoodputRPS))
	if sum.GoodputRPS < 0.9*sum.ThroughputRPS {
		g = st.Bad.Render(g)
	} else {
		g = st.Bold.Render(g)
	}
	retry := share(w.Retries, w.Arrived)
	if w.Retries > 0 {
		retry = st.Warn.Render(retry)
	}
	return []figure{
		{forms: []string{"answered " + g + "/s", "good " + g + "/s", "g " + g}, yield: 2},
		{forms: []string{"retries " + retry, "retry " + retry, "r" + retry}, yield: 3},
	}
}

// numbersView is the key numbers line under the header: what the
// measured window (since the last change) served, dropped and failed,
// and its latency, whole at any width the dashboard draws at.
func (m *Model) numbersView() string {
	st := &m.ctx.styles
	sum := &m.frame.Snap.Summary
	if sum.DurationS == 0 {
		return fit(st.Muted.Render("measuring: the numbers cover the time since the last change"), m.ctx.width)
	}
	return fit(budget(keyFigures(sum, st), m.ctx.width), m.ctx.width)
}
