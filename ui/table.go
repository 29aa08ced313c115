package ui

import (
	"fmt"
	"strings"

	"scalesim/sim"
	"scalesim/topology"
)

// tablePane is the stations table over the measured window (since the
// last change): utilisation, mean queue, mean and 99th percentile wait,
// throughput, service and mean busy servers per station, then end-to-end
// latency and the request outcomes.
type tablePane struct {
	ctx           *programContext
	width, height int
	lines         []string
}

func (p *tablePane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *tablePane) View() string { return block(p.lines, p.width, p.height) }

// want is the height the table would like.
func (p *tablePane) want(s *sim.Snapshot) int {
	return len(s.Summary.Stations) + 5
}

// tableCol is one column: its heading, width and cell.
type tableCol struct {
	head string
	w    int
	cell func(ss *sim.StationStats) string
}

// tableCols are the columns in order of priority; the narrowest tables
// keep the first ones.
var tableCols = []tableCol{
	{"util", 5, func(ss *sim.StationStats) string { return pct(ss.Utilization) }},
	{"queue", 6, func(ss *sim.StationStats) string { return num(round1(ss.QueueMean)) }},
	{"wait", 6, func(ss *sim.StationStats) string { return ms(ss.WaitMsMean) }},
	{"p99", 6, func(ss *sim.StationStats) string { return ms(ss.WaitP99Ms) }},
	{"tput/s", 7, func(ss *sim.StationStats) string { return num(round1(ss.ThroughputRPS)) }},
	{"service", 8, func(ss *sim.StationStats) string { return ms(ss.ServiceMsMean) }},
	{"busy", 11, func(ss *sim.StationStats) string {
		return fmt.Sprintf("%s/%d", num(round1(ss.BusyMean)), ss.Servers)
	}},
	{"drops", 7, func(ss *sim.StationStats) string { return count(ss.Dropped) }},
}

// round1 rounds to one decimal, so num prints 0.04 as 0.
func round1(v float64) float64 {
	return float64(int64(v*10+0.5)) / 10
}

const tableNameW = 9

// SetFrame draws the table of s.
func (p *tablePane) SetFrame(t *topology.Topology, s *sim.Snapshot) {
	st := &p.ctx.styles
	sum := &s.Summary
	var cols []tableCol
	used := tableNameW
	for _, c := range tableCols {
		if used+c.w > p.width {
			break
		}
		cols = append(cols, c)
		used += c.w
	}
	title := st.Title.Render("STATIONS") + st.Muted.Render(fmt.Sprintf("  %s since the last change", ago(secs(sum.DurationS))))
	var head strings.Builder
	head.WriteString(fit("", tableNameW))
	for _, c := range cols {
		head.WriteString(fitRight(c.head, c.w))
	}
	lines := []string{fit(title, p.width), st.Muted.Render(head.String())}
	for i := range sum.Stations {
		ss := &sum.Stations[i]
		var b strings.Builder
		b.WriteString(fit(stationLabel(ss.Name), tableNameW))
		for _, c := range cols {
			v := c.cell(ss)
			if sum.DurationS == 0 {
				v = "–" // a window just started: nothing measured yet
			}
			cell := fitRight(v, c.w)
			if c.head == "util" && sum.DurationS > 0 {
				cell = st.level(ss.Utilization).Render(cell)
			}
			b.WriteString(cell)
		}
		lines = append(lines, b.String())
	}
	l := sum.LatencyMs
	lat := "latency  none completed yet"
	if sum.Window.Completed > 0 {
		lat = fmt.Sprintf("latency  p50 %s  p95 %s  %s", ms(l.P50), ms(l.P95), st.Bold.Render("p99 "+ms(l.P99)))
	}
	lines = append(lines,
		lat,
		outcomes(sum.Window, sum.ThroughputRPS, st),
	)
	lines = append(lines, totals(s.Totals, p.width, st))
	p.lines = lines
}

// outcomes is the window's requests: throughput, and the share dropped
// and failed.
func outcomes(w sim.Counts, tput float64, st *Styles) string {
	share := func(n uint64) string {
		if w.Arrived == 0 {
			return "0%"
		}
		return pct(float64(n) / float64(w.Arrived))
	}
	drop := "dropped " + share(w.Dropped)
	if w.Dropped > 0 {
		drop = st.Bad.Render(drop)
	}
	fail := "failed " + share(w.Failed)
	if w.Failed > 0 {
		fail = st.Bad.Render(fail)
	}
	return fmt.Sprintf("served   %s req/s  %s  %s", num(round1(tput)), drop, fail)
}

// totals are the whole run's outcomes: arrived = ok + dropped + failed +
// in flight, in w cells.
func totals(c sim.Counts, w int, st *Styles) string {
	line := fmt.Sprintf("run      %s in = %s ok + %s dropped + %s failed + %s in flight",
		count(c.Arrived), count(c.Completed), count(c.Dropped), count(c.Failed), count(c.InFlight))
	if width(line) > w {
		line = fmt.Sprintf("run      %s = %s ok+%s drop+%s fail+%s now",
			num(float64(c.Arrived)), num(float64(c.Completed)), num(float64(c.Dropped)), num(float64(c.Failed)), num(float64(c.InFlight)))
	}
	return st.Muted.Render(line)
}
