package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"scalesim/sim"
	"scalesim/topology"
)

// chartsPane draws the last seconds of the run, one column per simulated
// second: arrivals against completions, drops and failures, p99 and p50
// latency, and the queue of each station.
type chartsPane struct {
	ctx           *programContext
	width, height int
	lines         []string
	// limits is the backlog limit in force at each second of the
	// series (by its end time), so that a second stays drawn against
	// the limit it had when the nodes change.
	limits []secondLimit
}

// secondLimit is the backlog limit at the end of one simulated second.
type secondLimit struct {
	t     float64
	limit float64
}

// trackLimits records the limit in force now for the seconds of ts it
// has not seen, forgets those that left the series, and returns the
// limit of each second of ts.
func (c *chartsPane) trackLimits(ts []float64, now float64) []float64 {
	kept := c.limits[:0]
	j := 0
	out := make([]float64, len(ts))
	for i, t := range ts {
		for j < len(c.limits) && c.limits[j].t < t {
			j++
		}
		l := now
		if j < len(c.limits) && c.limits[j].t == t {
			l = c.limits[j].limit
		}
		kept = append(kept, secondLimit{t, l})
		out[i] = l
	}
	c.limits = kept
	return out
}

func (c *chartsPane) SetSize(w, h int) { c.width, c.height = w, h }

func (c *chartsPane) View() string { return block(c.lines, c.width, c.height) }

// Widths of the chart labels.
const (
	chartLabelW = 14
	chartValueW = 9
	// minSpark is the fewest seconds a sparkline shows.
	minSpark = 4
)

// track is one chart row (or several rows, for a taller sparkline).
type track struct {
	label string
	value string
	h     int
	max   int // tallest it may grow
	draw  func(w, h int) []string
	style lipgloss.Style
	// styled: draw returns rows already styled (no guides drawn in them)
	styled bool
}

// SetFrame draws the charts of s.
func (c *chartsPane) SetFrame(t *topology.Topology, s *sim.Snapshot) {
	if c.height <= 0 {
		c.lines = nil
		return
	}
	st := &c.ctx.styles
	se := &s.Series
	// the sparklines take what the labels and numbers leave: on a
	// narrow side of the split, fewer seconds, never the numbers
	pw := max(minSpark, min(c.width-chartLabelW-chartValueW, seriesLen))

	arr, done := tail(se.Arrivals, pw), tail(se.Completions, pw)
	rateTop := max(1, maxOf(arr, done))
	rateScale := linear(rateTop)
	p50, p99 := tail(se.P50Ms, pw), tail(se.P99Ms, pw)
	latTop := maxOf(p99, p50)
	latScale := logScale(minPositive(p50, p99)/2, latTop)

	sparkTrack := func(label string, vals []float64, scale func(float64) float64, value string, style lipgloss.Style, maxH int) *track {
		return &track{label: label, value: value, h: 1, max: maxH, style: style,
			draw: func(w, h int) []string { return spark(vals, w, h, scale) }}
	}
	in := sparkTrack("arrivals/s", arr, rateScale, num(last(arr)), st.Accent, 6)
	out := sparkTrack("completed/s", done, rateScale, num(last(done)), st.OK, 6)
	good := tail(se.Goodput, pw)
	answered := sparkTrack("answered/s", good, rateScale, num(last(good)), st.OK, 6)
	drops := &track{label: "drop x fail !", h: 1, max: 1, style: st.Bad, styled: true,
		value: fmt.Sprintf("%s/%s", num(last(se.Dropped)), num(last(se.Failed))),
		draw: func(w, _ int) []string {
			return []string{marks(tail(se.Dropped, pw), tail(se.Failed, pw), w, st)}
		}}
	lat99 := sparkTrack("p99 latency", p99, latScale, ms(last(p99)), st.Warn, 4)
	lat50 := sparkTrack("p50 latency", p50, latScale, ms(last(p50)), st.Accent, 4)

	// in order of priority when rows are short
	tracks := []*track{in, out, lat99, drops}
	if hasClients(t) {
		// goodput against throughput: what clients got of the work done
		tracks = []*track{in, out, answered, drops, lat99}
	}
	var queues []*track
	for _, ss := range se.Stations {
		q := tail(ss.Queue, pw)
		top := max(1, maxOf(q))
		value := num(last(q))
		style := st.Wait
		if ss.Name == "app" {
			if limit := backlogCapacity(t); limit > 0 {
				// each second as a share of the limit it had
				limits := tail(c.trackLimits(se.T, float64(limit)), pw)
				frac := make([]float64, len(q))
				for i, v := range q {
					frac[i] = v / limits[i]
				}
				value = num(last(q)) + "/" + num(float64(limit))
				queues = append(queues, sparkTrack(queueLabel(ss.Name), frac, linear(1), value, st.level(last(frac)), 3))
				continue
			}
			style = st.level(last(q) / top)
		}
		queues = append(queues, sparkTrack(queueLabel(ss.Name), q, linear(top), value, style, 3))
	}
	if len(queues) > 0 {
		tracks = append(tracks, queues[0])
	}
	tracks = append(tracks, lat50)
	if len(queues) > 1 {
		tracks = append(tracks, queues[1:]...)
	}

	cols := markColumns(s.Marks, se.T, pw)
	room := c.height - 2 // title and time axis
	withAxis := true
	if room < 4 {
		room, withAxis = c.height-1, false
	}
	shown := map[*track]bool{}
	for _, tr := range tracks {
		if room <= 0 {
			break
		}
		shown[tr] = true
		room--
	}
	// grow the main charts with the rows left
	for grew := true; room > 0 && grew; {
		grew = false
		for _, tr := range []*track{in, out, answered, lat99, lat50} {
			if room > 0 && shown[tr] && tr.h < tr.max {
				tr.h++
				room--
				grew = true
			}
		}
	}
	for _, tr := range queues {
		if room > 0 && shown[tr] && tr.h < tr.max {
			tr.h++
			room--
		}
	}
	// a tall terminal: keep growing the main charts rather than leave
	// rows empty
	for room > 0 && shown[in] {
		for _, tr := range []*track{in, out, answered, lat99, lat50} {
			if room > 0 && shown[tr] {
				tr.h++
				room--
			}
		}
	}

	about := budget([]figure{
		{forms: []string{"one column per second, newest right; numbers: the last second", "a column per second; numbers: last 1s", "a column per second"}, yield: 2},
		{forms: []string{"x dropped  ! failed  X both", "x drop ! fail X both"}, yield: 3},
		{forms: []string{fmt.Sprintf("rates 0–%s/s", num(rateTop)), ""}, yield: 0},
		{forms: []string{fmt.Sprintf("latency on a log scale to %s", ms(latTop)), ""}, yield: 0},
		{forms: guideLegend(cols), yield: 1},
	}, c.width-6)
	lines := []string{fit(st.Title.Render("LIVE")+"  "+st.Muted.Render(about), c.width)}
	if !withAxis && cols != nil {
		// no axis to mark: the title row marks the changes instead
		lines[0] = st.Title.Render(fit("LIVE", chartLabelW)) + st.Muted.Render(markRow(cols)) + st.Muted.Render(fitRight("▼ change", chartValueW))
	}
	order := []*track{in, out, answered, drops, lat99, lat50}
	order = append(order, queues...)
	for _, tr := range order {
		if !shown[tr] {
			continue
		}
		rows := tr.draw(pw, tr.h)
		for k, r := range rows {
			label, value := "", ""
			if k == len(rows)-1 {
				label, value = tr.label, tr.value
			}
			row := tr.style.Render(r)
			if !tr.styled {
				row = withGuides(r, cols, tr.style.Render, st.Muted.Render)
			}
			lines = append(lines, st.Muted.Render(fit(label, chartLabelW))+row+fitRight(value, chartValueW))
		}
	}
	if withAxis {
		lines = append(lines, strings.Repeat(" ", chartLabelW)+st.Muted.Render(markAxis(axis(pw), cols)))
	}
	c.lines = lines
}

// backlogCapacity is the backlog room of all nodes, 0 when unlimited or
// none.
func backlogCapacity(t *topology.Topology) int {
	if t.App.Backlog <= 0 {
		return 0
	}
	return t.App.Backlog * t.App.Nodes
}

// queueLabel names a station's queue in the charts: the app's queue is
// the backlog, the cores' queue holds requests waiting for the GIL or a
// core.
func queueLabel(name string) string {
	switch name {
	case "app":
		return "backlog"
	case "cpu":
		return "cpu queue" // for a core, or for the GIL
	}
	return name + " queue"
}

// stationLabel names a station in the table: the app station is the
// worker slots.
func stationLabel(name string) string {
	if name == "app" {
		return "workers"
	}
	return name
}

// marks draws one cell per second: x when requests were dropped, ! when
// they failed, X for both, · for neither.
func marks(dropped, failed []float64, w int, st *Styles) string {
	n := len(dropped)
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", max(0, w-n)))
	for i := max(0, n-w); i < n; i++ {
		d, f := dropped[i] > 0, i < len(failed) && failed[i] > 0
		switch {
		case d && f:
			b.WriteString(st.Bad.Render("X"))
		case d:
			b.WriteString(st.Bad.Render("x"))
		case f:
			b.WriteString(st.Bad.Render("!"))
		default:
			b.WriteString(st.Muted.Render("·"))
		}
	}
	return b.String()
}

// axis labels the seconds under a plot w cells wide: -90s, -60s, -30s,
// now at the right edge.
func axis(w int) string {
	row := []rune(strings.Repeat(" ", w))
	put := func(at int, s string) {
		for i, r := range s {
			if at+i >= 0 && at+i < w {
				row[at+i] = r
			}
		}
	}
	put(w-3, "now")
	for k := 30; k < w; k += 30 {
		label := fmt.Sprintf("-%ds", k)
		at := w - 1 - k - len(label)/2
		if at < 0 {
			break
		}
		put(at, label)
	}
	return string(row)
}

// hasClients reports whether any request class has a client policy, so
// that answers may differ from completions.
func hasClients(t *topology.Topology) bool {
	if t == nil {
		return false
	}
	for i := range t.Workload.Requests {
		if t.Workload.Requests[i].Client != nil {
			return true
		}
	}
	return false
}
