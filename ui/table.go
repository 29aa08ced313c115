package ui

import (
	"fmt"
	"strings"

	"scalesim/sim"
	"scalesim/termsafe"
	"scalesim/topology"
)

// tablePane is the stations table over the measured window (since the
// last change): how busy each station was, its mean queue, its mean and
// 99th percentile wait, what it finished per second, its mean service
// time and servers in use, then the whole run's outcomes.
type tablePane struct {
	ctx           *programContext
	width, height int
	lines         []string
	classes       bool // the classes table instead (classes.go)
}

func (p *tablePane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *tablePane) View() string { return block(p.lines, p.width, p.height) }

// wantWidth is the width the table would like, 0 when any will do.
func (p *tablePane) wantWidth(s *sim.Snapshot) int {
	if p.classes && len(s.Summary.Classes) > 1 {
		return classesWidth(s)
	}
	return 0
}

// want is the height the table would like.
func (p *tablePane) want(s *sim.Snapshot) int {
	if p.classes && len(s.Summary.Classes) > 1 {
		return classesWant(s)
	}
	n := len(s.Summary.Stations) + 4
	if clientsDiffer(s.Totals) {
		n++
	}
	return n
}

// tableCol is one column: its heading and cell.
type tableCol struct {
	head string
	cell func(ss *sim.StationStats) string
}

// tableCols are the columns in order of priority; the narrowest tables
// keep the first ones. The glossary in the help explains each heading.
var tableCols = []tableCol{
	{"busy", func(ss *sim.StationStats) string { return pct(ss.Utilization) }},
	{"queue", func(ss *sim.StationStats) string { return num(round1(ss.QueueMean)) }},
	{"wait", func(ss *sim.StationStats) string { return ms(ss.WaitMsMean) }},
	{"p99 wait", func(ss *sim.StationStats) string { return ms(ss.WaitP99Ms) }},
	{"done/s", func(ss *sim.StationStats) string { return num(round1(ss.ThroughputRPS)) }},
	{"service", func(ss *sim.StationStats) string { return ms(ss.ServiceMsMean) }},
	{"in use", func(ss *sim.StationStats) string {
		return fmt.Sprintf("%s/%d", num(round1(ss.BusyMean)), ss.Servers)
	}},
	{"drops", func(ss *sim.StationStats) string { return count(ss.Dropped) }},
}

// round1 rounds to one decimal, so num prints 0.04 as 0.
func round1(v float64) float64 {
	return float64(int64(v*10+0.5)) / 10
}

// tableNameW is the width of the station names ("workers ").
const tableNameW = 8

// SetFrame draws the table of s: a column is as wide as its widest
// cell or heading plus a space before it, so values never touch, and
// the columns that do not fit are left out whole.
func (p *tablePane) SetFrame(t *topology.Topology, s *sim.Snapshot) {
	st := &p.ctx.styles
	sum := &s.Summary
	if p.classes && len(sum.Classes) > 1 {
		p.lines = classLines(s, p.width, p.height, st)
		return
	}
	cells := make([][]string, len(tableCols)) // by column, then station
	var cols []int
	used := tableNameW
	for c, col := range tableCols {
		w := width(col.head)
		cells[c] = make([]string, len(sum.Stations))
		for i := range sum.Stations {
			v := "–" // a window just started: nothing measured yet
			if sum.DurationS > 0 {
				v = col.cell(&sum.Stations[i])
			}
			cells[c][i] = v
			w = max(w, width(v))
		}
		if used+1+w > p.width {
			break
		}
		cols = append(cols, w)
		used += 1 + w
	}
	span := ago(secs(sum.DurationS))
	title := st.Title.Render("STATIONS") + st.Muted.Render("  means over the "+span+" since the last change")
	if width(title) > p.width {
		title = st.Title.Render("STATIONS") + st.Muted.Render("  over the last "+span)
	}
	var head strings.Builder
	head.WriteString(fit("", tableNameW))
	for c, w := range cols {
		head.WriteString(" " + fitRight(tableCols[c].head, w))
	}
	lines := []string{fit(title, p.width), st.Muted.Render(head.String())}
	for i := range sum.Stations {
		ss := &sum.Stations[i]
		var b strings.Builder
		b.WriteString(fit(termsafe.Line(stationLabel(ss.Name)), tableNameW))
		for c, w := range cols {
			cell := fitRight(cells[c][i], w)
			if c == 0 && sum.DurationS > 0 {
				cell = st.level(ss.Utilization).Render(cell)
			}
			b.WriteString(" " + cell)
		}
		lines = append(lines, b.String())
	}
	lines = append(lines, totals(s.Totals, p.width, p.height-len(lines), st)...)
	p.lines = lines
}

// longOrShort is long if it fits in w cells, else short, else short
// wrapped if that fits in h lines, else nothing.
func longOrShort(long, short string, w, h int) []string {
	switch {
	case h <= 0:
	case width(long) <= w:
		return []string{long}
	case width(short) <= w:
		return []string{short}
	default:
		if l := wrap(short, w); len(l) <= h {
			return l
		}
	}
	return nil
}

// clientTotals are the whole run's logical requests: sent = answered +
// dropped + failed + gave up + waiting, and the retries and wasted
// completions that tie them to the attempts above.
func clientTotals(c sim.Counts, w, h int) []string {
	l := c.Logical
	n := func(v uint64) string { return num(float64(v)) }
	long := fmt.Sprintf("clients %s sent = %s answered + %s dropped + %s failed + %s gave up + %s waiting; %s retries, %s wasted",
		count(l.Sent), count(l.Goodput), count(l.Dropped), count(l.Failed), count(l.Abandoned), count(l.Waiting), count(c.Retries), count(c.Wasted))
	short := fmt.Sprintf("clients %s = %s ok + %s drop + %s fail + %s gave up + %s wait; %s retries, %s wasted",
		n(l.Sent), n(l.Goodput), n(l.Dropped), n(l.Failed), n(l.Abandoned), n(l.Waiting), n(c.Retries), n(c.Wasted))
	return longOrShort(long, short, w, h)
}

// totals are the whole run's outcomes: arrived = ok + dropped + failed +
// in flight, on one line of w cells, else on two, or on none when
// there are fewer than those lines left (h): never half of it.
func totals(c sim.Counts, w, h int, st *Styles) []string {
	n := func(v uint64) string { return num(float64(v)) }
	long := fmt.Sprintf("whole run %s in = %s ok + %s dropped + %s failed + %s in flight",
		count(c.Arrived), count(c.Completed), count(c.Dropped), count(c.Failed), count(c.InFlight))
	short := fmt.Sprintf("whole run %s in = %s ok + %s dropped + %s failed + %s in flight",
		n(c.Arrived), n(c.Completed), n(c.Dropped), n(c.Failed), n(c.InFlight))
	lines := longOrShort(long, short, w, h)
	if clientsDiffer(c) {
		lines = append(lines, clientTotals(c, w, h-len(lines))...)
	}
	for i, l := range lines {
		lines[i] = st.Muted.Render(l)
	}
	return lines
}
