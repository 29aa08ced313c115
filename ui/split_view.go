package ui

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"scalesim/sim"
	"scalesim/termsafe"
)

// Layout of the split dashboard.
const (
	// splitRoomy is the side width from which a side shows the full
	// dashboard's line of key numbers and, with the height, its
	// stations table and stock.
	splitRoomy = 60
	// splitTableFrom is the height of a side's panes below its
	// diagram from which the stations table joins the charts.
	splitTableFrom = 18
)

// render draws the split into s.body: the header, the line of B−A, the
// two sides, each at half the width with its own title, key numbers,
// diagram and charts (and, with room, its table), and the focused
// side's status and the keys. A side with its picker, help, about or
// theory pane open takes the whole screen.
func (s *splitModel) render() {
	w, h := s.ctx.width, s.ctx.height
	f := s.sides[s.focus]
	if w < minWidth || h < minHeight || ownsScreen(f) {
		s.body = ""
		if ownsScreen(f) {
			f.render()
		}
		return
	}
	top := s.headerView(w) + "\n" + s.diffView(w)
	bottom := f.statusView() + "\n" + s.helpView(w)
	avail := h - lipgloss.Height(top) - lipgloss.Height(bottom)
	wa := w / 2
	wb := w - wa
	roomy := wa-1 >= splitRoomy // both sides alike
	a := strings.Split(s.sideView(0, wa-1, avail, roomy), "\n")
	b := strings.Split(s.sideView(1, wb, avail, roomy), "\n")
	sep := s.ctx.styles.Border.Render("│")
	lines := make([]string, avail)
	for i := range lines {
		lines[i] = a[i] + sep + b[i]
	}
	s.body = top + "\n" + strings.Join(lines, "\n") + "\n" + bottom
}

// View returns the screen drawn by the last Update.
func (s *splitModel) View() string {
	w, h := s.ctx.width, s.ctx.height
	if w == 0 || h == 0 {
		return ""
	}
	if s.tooSmall() {
		return tooSmall(w, h)
	}
	if s.body == "" {
		return s.sides[s.focus].View()
	}
	return s.body
}

// headerView is the top line: the brand, the clock both sides share,
// running or paused, and the seed.
func (s *splitModel) headerView(w int) string {
	st := &s.ctx.styles
	a := s.sides[0]
	clockNow := max(a.frame.Snap.Now, s.sides[1].frame.Snap.Now)
	right := []string{"t " + st.Bold.Render(clock(clockNow))}
	switch {
	case a.paused:
		right = append(right, st.Warn.Render("❚❚ paused"))
	default:
		right = append(right, st.OK.Render("▶ "+speedText(speeds[a.speedIdx])))
	}
	if a.frame.Behind && !a.paused {
		right = append(right, st.Bad.Render("⚠ only "+num(a.frame.Achieved)+"x"))
	}
	right = append(right, st.Muted.Render("seed ")+strconv.FormatUint(a.frame.Snap.Seed, 10))
	same := "A and B on the same traffic"
	if !reflect.DeepEqual(a.view.Workload, s.sides[1].view.Workload) {
		same = "A and B on the same seed"
	}
	left := st.Brand.Render("scalesim") + " compare " + st.Muted.Render(same)
	r := strings.Join(right, "  ")
	if width(left)+1+width(r) > w {
		left = st.Brand.Render("scalesim") + " compare"
	}
	return spread(left, r, w)
}

// diffView is B−A of the key numbers, each side's since its last
// change; on a narrow line the mean goes first, then the labels
// shorten, failures first, throughput and oversold last.
func (s *splitModel) diffView(w int) string {
	st := &s.ctx.styles
	sa, sb := &s.sides[0].frame.Snap.Summary, &s.sides[1].frame.Snap.Summary
	if sa.DurationS == 0 || sb.DurationS == 0 {
		return fit(st.Muted.Render("B−A: measuring since the last change"), w)
	}
	drops := func(c sim.Counts) float64 { return frac(c.Dropped, c.Arrived) }
	fails := func(c sim.Counts) float64 { return frac(c.Failed, c.Arrived) }
	figs := []figure{
		{forms: []string{st.Title.Render("B−A"), st.Title.Render("B−A")}, yield: 9},
		{forms: []string{"served " + st.Bold.Render(signedNum(sb.ThroughputRPS-sa.ThroughputRPS)) + "/s",
			"ok " + st.Bold.Render(signedNum(sb.ThroughputRPS-sa.ThroughputRPS)) + "/s"}, yield: 6},
		{forms: []string{"p99 " + st.Bold.Render(signedMs(sb.LatencyMs.P99-sa.LatencyMs.P99))}, yield: 5},
		{forms: []string{"dropped " + signedPts(drops(sb.Window)-drops(sa.Window)), "drop " + signedPts(drops(sb.Window)-drops(sa.Window))}, yield: 4},
		{forms: []string{"failed " + signedPts(fails(sb.Window)-fails(sa.Window)), "fail " + signedPts(fails(sb.Window)-fails(sa.Window))}, yield: 3},
		{forms: []string{"mean " + signedMs(sb.LatencyMs.Mean-sa.LatencyMs.Mean), ""}, yield: 1},
		oversoldDiff(sa, sb),
		{forms: []string{st.Muted.Render("each since its last change"), ""}},
	}
	return fit(budget(figs, w), w)
}

// sideView draws side i in w×h: its title, key numbers, diagram and
// charts, and when roomy its stations table or stock.
func (s *splitModel) sideView(i, w, h int, roomy bool) string {
	m := s.sides[i]
	snap := &m.frame.Snap
	lines := []string{s.titleView(i, w)}
	lines = append(lines, sideNumbers(&snap.Summary, &m.ctx.styles, w, roomy)...)
	rest := h - len(lines)
	if rest <= 0 {
		return block(lines, w, h)
	}
	m.diagram.SetSize(w, max(rest*45/100, min(6, rest)))
	m.diagram.SetFrame(m.view, snap)
	lines = append(lines, strings.Split(m.diagram.View(), "\n")...)
	rest = h - len(lines)
	paneH := 0
	var extra string
	if roomy && rest >= splitTableFrom {
		if stockH := m.stock.want(m.view, snap); stockH > 0 {
			paneH = min(stockH, rest-minCharts-4)
			m.stock.SetSize(w, paneH)
			m.stock.SetFrame(m.view, snap)
			extra = m.stock.View()
		} else {
			paneH = min(m.table.want(snap), rest-minCharts-4)
			m.table.SetSize(w, paneH)
			m.table.SetFrame(m.view, snap)
			extra = m.table.View()
		}
	}
	if chartsH := rest - paneH; chartsH > 0 {
		m.charts.SetSize(w, chartsH)
		m.charts.SetFrame(m.view, snap)
		lines = append(lines, strings.Split(m.charts.View(), "\n")...)
	}
	if extra != "" {
		lines = append(lines, strings.Split(extra, "\n")...)
	}
	return block(lines, w, h)
}

// titleView is a side's title: its letter and where it came from, the
// focused side marked (▶, and highlighted); a side still catching up
// with the clock says so.
func (s *splitModel) titleView(i, w int) string {
	st := &s.ctx.styles
	m := s.sides[i]
	src := termsafe.Line(m.source)
	if i == 1 && s.forked {
		src = "fork of A · " + src
	}
	mark := "  "
	if i == s.focus {
		mark = "▶ "
	}
	title := mark + sideName(i) + "  " + src
	var right string
	other := s.sides[1-i].frame.Snap.Now
	if now := m.frame.Snap.Now; now < other {
		right = st.Warn.Render("catching up " + clock(now))
	} else if i == s.focus {
		right = st.Muted.Render("keys act here")
	}
	line := spread(title, right, w)
	if right == "" {
		line = fit(title, w)
	}
	if i == s.focus {
		return st.Selected.Render(line)
	}
	return st.Muted.Render(line)
}

// sideNumbers are a side's key numbers, since its last change: on a
// narrow side two lines (served and p99; dropped, failed and p50), on a
// roomy one the full dashboard's line and the mean and goodput.
func sideNumbers(sum *sim.Summary, st *Styles, w int, roomy bool) []string {
	if sum.DurationS == 0 {
		return []string{fit(st.Muted.Render("measuring since the last change"), w), strings.Repeat(" ", w)}
	}
	if roomy {
		return []string{fit(budget(keyFigures(sum, st), w), w), fit(st.Muted.Render("mean "+ms(sum.LatencyMs.Mean)+
			" · goodput "+num(round1(sum.GoodputRPS))+"/s · over the "+ago(secs(sum.DurationS))+" since the last change"), w)}
	}
	c := sum.Window
	bad := func(n uint64, s string) string {
		if n > 0 {
			return st.Bad.Render(s)
		}
		return s
	}
	served := figure{forms: []string{"served " + st.Bold.Render(num(round1(sum.ThroughputRPS))) + "/s",
		"ok " + st.Bold.Render(num(round1(sum.ThroughputRPS))) + "/s"}, yield: 2}
	var p99, p50 figure
	switch {
	case c.Completed == 0:
		p99 = figure{forms: []string{st.Muted.Render("no latency yet")}, yield: 1}
		p50 = figure{forms: []string{""}}
	case c.Logical.Goodput == 0:
		p99 = figure{forms: []string{st.Bad.Render("no answers")}, yield: 1}
		p50 = figure{forms: []string{""}}
	default:
		p99 = figure{forms: []string{st.Bold.Render("p99 " + ms(sum.LatencyMs.P99))}, yield: 1}
		p50 = figure{forms: []string{"p50 " + ms(sum.LatencyMs.P50), ""}, yield: 1}
	}
	drop, fail := share(c.Dropped, c.Arrived), share(c.Failed, c.Arrived)
	l2 := []figure{
		{forms: []string{bad(c.Dropped, "dropped "+drop), bad(c.Dropped, "drop "+drop), bad(c.Dropped, "x"+drop)}, yield: 3},
		{forms: []string{bad(c.Failed, "failed "+fail), bad(c.Failed, "fail "+fail), bad(c.Failed, "!"+fail)}, yield: 4},
	}
	if sum.Stock != nil {
		// a flash sale's lesson: units sold that were not there
		n := sum.Stock.Oversold
		l2 = append(l2, figure{forms: []string{bad(n, "oversold "+count(n)), bad(n, "over "+count(n))}, yield: 5})
	} else {
		l2 = append(l2, p50)
	}
	return []string{fit(budget([]figure{served, p99}, w), w), fit(budget(l2, w), w)}
}

// helpView is the split's keys and the focused side's most used ones.
func (s *splitModel) helpView(w int) string {
	f := s.sides[s.focus]
	k := &f.keys
	bindings := []key.Binding{k.Focus, k.Fork, k.Help, k.Quit, k.Pause}
	seen := map[string]bool{}
	for _, b := range bindings {
		seen[b.Help().Key] = true
	}
	for _, b := range k.ShortHelp() {
		if !seen[b.Help().Key] && !sameBinding(b, k.About) {
			bindings = append(bindings, b)
		}
	}
	return fit(f.help.ShortHelpView(bindings), w)
}

// frac is n of of as a fraction, 0 of nothing.
func frac(n, of uint64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// signedNum is num with its sign: +12, -3.4, 0.
func signedNum(v float64) string {
	s := num(round1(v))
	if v > 0 && s != "0" {
		return "+" + s
	}
	return s
}

// signedMs is a latency difference: +3.2s, -12ms, 0.
func signedMs(v float64) string {
	switch {
	case v > 0:
		return "+" + ms(v)
	case v < 0:
		return "-" + ms(-v)
	}
	return "0"
}

// signedPts is a difference of shares in percentage points: +33%, -2%,
// 0%; under half a point but not none, <1%.
func signedPts(d float64) string {
	p := 100 * d
	switch {
	case p == 0:
		return "0%"
	case math.Abs(p) < 0.5:
		if p > 0 {
			return "+<1%"
		}
		return "-<1%"
	}
	return fmt.Sprintf("%+.0f%%", p)
}

// oversoldDiff is B−A of the units oversold, when either side sells
// stock (each over its whole run), else nothing.
func oversoldDiff(a, b *sim.Summary) figure {
	if a.Stock == nil && b.Stock == nil {
		return figure{forms: []string{""}}
	}
	n := func(s *sim.Summary) float64 {
		if s.Stock == nil {
			return 0
		}
		return float64(s.Stock.Oversold)
	}
	d := n(b) - n(a)
	text := count(uint64(math.Abs(d)))
	switch {
	case d > 0:
		text = "+" + text
	case d < 0:
		text = "-" + text
	}
	return figure{forms: []string{"oversold " + text, "over " + text}, yield: 7}
}
