package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// stockPane is the flash sale: what is left of the stock, what was sold
// and oversold, what the strategy costs (the row lock's queue, the
// optimistic conflicts, the order queue behind Redis), and the lesson
// in words. Sold, left and oversold count the whole run; rates, waits and
// conflicts the measured window (since the last change).
type stockPane struct {
	ctx           *programContext
	width, height int
	lines         []string
}

func (p *stockPane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *stockPane) View() string { return block(p.lines, p.width, p.height) }

// stockPaneHeight is the height the stock pane would like.
const stockPaneHeight = 9

// want is the height the pane would like: none without a stock, more
// once the sale has phases to explain.
func (p *stockPane) want(t *topology.Topology, s *sim.Snapshot) int {
	if t.Stock == nil {
		return 0
	}
	if sk := s.Summary.Stock; sk != nil {
		return stockPaneHeight + len(phaseLines(sk, t.Stock.Strategy, func(string) string { return "" }, &p.ctx.styles, 0))
	}
	return stockPaneHeight
}

// stockLabelW is the width of the labels ("oversold ").
const stockLabelW = 9

// stockLine is one line of the pane and its rank: when the pane is
// short, the lines of the lowest ranks stay.
type stockLine struct {
	rank int
	text string
}

// SetFrame draws the stock of s, run with t's strategy.
func (p *stockPane) SetFrame(t *topology.Topology, s *sim.Snapshot) {
	sk := s.Summary.Stock
	if t.Stock == nil || sk == nil || p.height <= 0 {
		p.lines = nil
		return
	}
	st := &p.ctx.styles
	label := func(l string) string { return st.Muted.Render(fit(l, stockLabelW)) }
	measured := s.Summary.DurationS > 0

	title := st.Title.Render("STOCK") + "  " + st.Bold.Render(sk.Strategy) +
		st.Muted.Render(fmt.Sprintf(" · %s × %s", itemsText(sk.Items), count(uint64(t.Stock.Quantity))))
	lines := []stockLine{{0, title}}

	// what is left, in the database, against what there was
	left := fmt.Sprintf("%s of %s", count(uint64(max(sk.Left, 0))), count(uint64(sk.Initial)))
	if sk.Left < 0 {
		left = st.Bad.Render("✗ −"+count(uint64(-sk.Left))) + fmt.Sprintf(" of %s", count(uint64(sk.Initial)))
	}
	frac := 0.0
	if sk.Initial > 0 {
		frac = float64(max(sk.Left, 0)) / float64(sk.Initial)
	}
	if bw := min(16, p.width-stockLabelW-width(left)-3); bw >= 4 {
		left += " " + st.Accent.Render("▕"+bar(frac, bw)+"▏")
	}
	lines = append(lines, stockLine{1, label("left") + left})

	// lost updates leave units in the database's count that were sold
	// already, which every strategy then sells again; the count also
	// lags by the orders sold in Redis and not yet written (not lost)
	slack, lost := sk.OrdersPending, sk.LostUpdates
	lostShown := false
	if real := max(sk.Initial-int64(sk.Sold), 0); sk.Left-slack > real && lost > 0 {
		style := st.Warn
		if real == 0 {
			style = st.Bad
		}
		l := label("") + style.Render("⚠ "+count(uint64(real))+" really left")
		if long := l + st.Muted.Render(": "+count(lost)+" updates lost"); width(long) <= p.width {
			l, lostShown = long, true
		}
		lines = append(lines, stockLine{3, l})
	}

	// sold, and how fast against how fast buyers ask
	sold := count(sk.Sold)
	if measured {
		sold += " · " + st.Bold.Render(num(round1(sk.SalesPerSec))+"/s")
		if want := buyRate(t); want > 0 {
			sold += st.Muted.Render(" of " + num(want) + " asked")
		}
	}
	lines = append(lines, stockLine{2, label("sold") + sold})

	over := []figure{{forms: []string{st.OK.Render("0 ✓")}, yield: 1}}
	if sk.Oversold > 0 {
		n := count(sk.Oversold)
		over[0].forms = []string{st.Bad.Render("⚠ " + n + " OVERSOLD"), st.Bad.Render("⚠ " + n)}
	}
	if lost > 0 && !lostShown {
		n := count(lost)
		over = append(over, figure{forms: []string{st.Muted.Render("lost updates ") + n, st.Muted.Render("lost ") + n}, yield: 2})
	}
	lines = append(lines, stockLine{2, label("oversold") + budget(over, p.width-stockLabelW)})

	lines = append(lines, phaseLines(sk, t.Stock.Strategy, label, st, p.width)...)

	for i, l := range strategyLines(sk, label, st, p.width-stockLabelW) {
		lines = append(lines, stockLine{3 + i, l})
	}
	soldOutRank := 7
	if sk.SoldOut > 0 {
		soldOutRank = 5
	}
	lines = append(lines, stockLine{soldOutRank, label("sold out") + count(sk.SoldOut) + st.Muted.Render(" buyers turned away")})

	p.lines = withLesson(lines, lessons(sk), p.width, p.height, st)
}

// withLesson keeps the n lines of lines of the lowest ranks with the
// lesson among them, in the first of its forms that stays whole once
// wrapped to w cells, or none of them: a sentence cut off mid-way says
// nothing.
func withLesson(lines []stockLine, forms []string, w, n int, st *Styles) []string {
	for _, form := range forms {
		all := slices.Clone(lines)
		wrapped := wrap(form, w)
		for i, l := range wrapped {
			all = append(all, stockLine{4 + 2*i, st.Muted.Render(l)})
		}
		kept := keptRanks(all, n)
		if whole := len(kept) >= len(wrapped) && kept[len(kept)-len(wrapped)] == len(lines); whole {
			return texts(all, kept)
		}
	}
	return texts(lines, keptRanks(lines, n))
}

// phaseLines tell the story of the phase running now, once the sale has
// changed strategy or been reconciled: what its own buyers did (lost
// updates), what it inherited (a counter already too high), and what
// was oversold since, and why. While the counter claims units that are
// gone, they say how to fix it.
func phaseLines(sk *sim.StockSummary, running topology.Strategy, label func(string) string, st *Styles, w int) []stockLine {
	var lines []stockLine
	if n := len(sk.Phases); n > 1 || n == 1 && sk.Phases[0].Reconciled {
		p := sk.Phases[n-1]
		head := ": " + count(uint64(max(p.LostUpdates, 0))) + " lost " + plural(int(p.LostUpdates), "update", "updates")
		if p.LostUpdates > 0 {
			head = st.Bad.Render(head)
		} else {
			head = st.OK.Render(head)
		}
		since := "since " + ago(time.Duration(p.StartS*float64(time.Second)))
		if long := p.Strategy + " " + since; width(long+head) <= w {
			since = long
		}
		lines = append(lines, stockLine{2, st.Muted.Render(since) + head})

		var was string
		switch {
		case p.Reconciled && p.Corrected > 0:
			was = "reconciled: was " + count(uint64(p.Corrected)) + " too high"
			if long := "reconciled: counter was " + count(uint64(p.Corrected)) + " too high"; stockLabelW+width(long) <= w {
				was = long
			}
		case p.Reconciled:
			was = "reconciled: the counter was right"
		case p.InheritedError > 0:
			was = st.Warn.Render("counter was " + count(uint64(p.InheritedError)) + " too high")
			if long := st.Warn.Render("counter was already " + count(uint64(p.InheritedError)) + " too high"); stockLabelW+width(long) <= w {
				was = long
			}
		case p.InheritedError < 0:
			was = "counter was " + count(uint64(-p.InheritedError)) + " too low"
		default:
			was = "counter was right"
		}
		lines = append(lines, stockLine{3, label("") + was})

		over := p.OversoldInherited + p.OversoldOwn
		oversold := st.OK.Render("0 oversold since ✓")
		switch {
		case over > 0 && p.OversoldOwn == 0:
			oversold = st.Bad.Render(count(over)+" oversold since") + st.Muted.Render(": inherited")
		case over > 0:
			oversold = st.Bad.Render(count(over)+" oversold since") + st.Muted.Render(", "+count(p.OversoldOwn)+" its own")
		}
		lines = append(lines, stockLine{3, label("") + oversold})
		if p.LateLostUpdates > 0 {
			lines = append(lines, stockLine{4, label("") + st.Warn.Render("+"+count(uint64(p.LateLostUpdates))+" lost by buyers finishing")})
		}
	}
	// a counter that claims units already sold, under a strategy that
	// would sell correctly from a correct one
	if sk.CounterError > 0 && running != topology.Naive {
		hint := "e reconciles: counter " + count(uint64(sk.CounterError)) + " too high"
		if stockLabelW+width(hint) > w {
			hint = "e reconciles the counter"
		}
		lines = append(lines, stockLine{3, label("") + st.Warn.Render(hint)})
	}
	return lines
}

// strategyLines are what the strategy costs: the row lock's queue and
// waits, the optimistic conflicts, the redis order queue, each in w
// cells after its label.
func strategyLines(sk *sim.StockSummary, label func(string) string, st *Styles, w int) []string {
	switch sk.Strategy {
	case topology.RowLock.String():
		q := count(uint64(sk.LockQueue)) + " now"
		if sk.LockQueue > 0 {
			q = st.Bad.Render(q)
		}
		wait := ms(sk.LockWaitMs)
		if sk.LockWaitMs >= 100 {
			wait = st.Bad.Render(wait)
		}
		return []string{
			label("lock q") + q + st.Muted.Render(" · ") + num(round1(sk.LockQueueMean)) + st.Muted.Render(" mean"),
			label("wait") + budgetSep([]figure{
				{forms: []string{wait + st.Muted.Render(" mean"), wait}, yield: 1},
				{forms: []string{"p99 " + ms(sk.LockWaitP99Ms)}, yield: 2},
				{forms: []string{"held " + ms(sk.LockHoldMs)}, yield: 3},
			}, w, st.Muted.Render(" · "), " "),
		}
	case topology.Optimistic.String():
		gave := count(sk.GaveUp)
		if sk.GaveUp > 0 {
			gave = st.Bad.Render("✗ " + gave)
		}
		conf := count(sk.Conflicts)
		if sk.Conflicts > 0 {
			conf = st.Warn.Render(conf)
		}
		return []string{
			label("conflict") + conf + st.Muted.Render(" · ") + "retries " + count(sk.Retries),
			label("gave up") + gave + st.Muted.Render(" buyers failed"),
		}
	case topology.Redis.String():
		q := count(uint64(sk.OrdersQueued)) + " queued"
		if sk.OrdersQueued > 0 {
			q = st.Warn.Render(q)
		}
		return []string{
			label("orders") + q + " · " + count(sk.OrdersWritten) + " written",
			label("lag") + ms(sk.OrderLagMs) + st.Muted.Render(" mean, ") + "p99 " + ms(sk.OrderLagP99Ms),
		}
	}
	return nil
}

// lessons say in a sentence how the strategy behaves, with the row
// lock's ceiling worked out from the time a buyer holds it: the whole
// sentence, then shorter ones for a short pane, the last of them in one
// line of a half screen (39 cells).
func lessons(sk *sim.StockSummary) []string {
	switch sk.Strategy {
	case topology.Naive.String():
		return []string{"writes back what it read − 1: concurrent buyers overwrite each other, units sell twice",
			"writes back what it read − 1: units sell twice",
			"buyers overwrite each other: sold twice"}
	case topology.RowLock.String():
		if sk.RealLeft == 0 && sk.CounterError <= 0 {
			return []string{"sold out: each buyer still takes the row lock to read that nothing is left",
				"sold out: buyers still queue for the row lock",
				"sold out: still queued for the row lock"}
		}
		if sk.LockHoldMs > 0 {
			ceiling := num(round1(1000 / sk.LockHoldMs * float64(sk.Items)))
			return []string{fmt.Sprintf("at most %s sales/s: each buyer holds the row lock through read, think and write (%s)", ceiling, ms(sk.LockHoldMs)),
				fmt.Sprintf("at most %s sales/s: each buyer holds the row lock %s", ceiling, ms(sk.LockHoldMs)),
				fmt.Sprintf("at most %s sales/s (lock held %s)", ceiling, ms(sk.LockHoldMs))}
		}
		return []string{"each buyer holds the row lock through read, think and write: the others queue",
			"each buyer holds the row lock: the others queue",
			"one buyer at a time holds the row lock"}
	case topology.Optimistic.String():
		return []string{"writes only if the row's version is unchanged; on a conflict it reads again",
			"writes if the version is unchanged, else reads again",
			"on a version conflict it reads again"}
	case topology.Atomic.String():
		return []string{"one UPDATE … SET n = n − 1 WHERE n > 0: the row is held for one short query",
			"one UPDATE … WHERE n > 0: the row held one query",
			"one short UPDATE … WHERE n > 0"}
	case topology.Redis.String():
		return []string{"DECR in Redis answers at once; the orders are written to the database later",
			"DECR in Redis; orders written later"}
	}
	return nil
}

// keptRanks are the indices of the n lines of the lowest ranks, in
// their order: while there are too many, the last line of the highest
// rank goes.
func keptRanks(lines []stockLine, n int) []int {
	kept := make([]int, len(lines))
	for i := range kept {
		kept[i] = i
	}
	for len(kept) > max(n, 0) {
		worst := 0
		for i, k := range kept {
			if lines[k].rank >= lines[kept[worst]].rank {
				worst = i
			}
		}
		kept = slices.Delete(kept, worst, worst+1)
	}
	return kept
}

// texts are the texts of the lines kept.
func texts(lines []stockLine, kept []int) []string {
	out := make([]string, len(kept))
	for i, k := range kept {
		out[i] = lines[k].text
	}
	return out
}

// itemsText is "1 item" or "2,000 items".
func itemsText(n int) string {
	return count(uint64(n)) + " " + plural(n, "item", "items")
}

// buyRate is how many buyers arrive per second in an open workload: the
// rate times the share of requests with a buy step (0 for a closed
// workload).
func buyRate(t *topology.Topology) float64 {
	w := &t.Workload
	if w.Rate <= 0 {
		return 0
	}
	total, buy := 0.0, 0.0
	for _, c := range w.Requests {
		total += c.Share
		if c.Uses(topology.StepBuy) {
			buy += c.Share
		}
	}
	if total == 0 {
		return 0
	}
	return w.Rate * buy / total
}

// wrap breaks text into lines of at most w cells at spaces.
func wrap(text string, w int) []string {
	if w <= 0 || text == "" {
		return nil
	}
	var lines []string
	var cur strings.Builder
	for _, word := range strings.Fields(text) {
		if cur.Len() > 0 && width(cur.String())+1+width(word) > w {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
