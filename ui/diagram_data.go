package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"scalesim/sim"
	"scalesim/termsafe"
	"scalesim/topology"
)

// clientLines describe the workload: the rate of an open workload or the
// users of a closed one; a shaped one says the load now and its stage.
func clientLines(t *topology.Topology, s *sim.Snapshot, st *Styles) []string {
	w := &t.Workload
	if len(w.Stages) > 0 {
		now := st.Bold.Render(rate(s.Load)) + " req/s"
		if w.Users > 0 {
			now = st.Bold.Render(count(uint64(s.Load+0.5))) + " users"
		}
		return []string{now, st.Muted.Render(stageText(w, s.Now))}
	}
	if w.Users > 0 {
		think := "no think time"
		switch {
		case len(w.Populations) > 1:
			think = count(uint64(len(w.Populations))) + " populations"
		case len(w.Populations) == 1:
			think = termsafe.Line(w.Populations[0].Name)
		case !w.Think.IsZero():
			think = "think " + w.Think.String()
		}
		return []string{st.Bold.Render(count(uint64(w.Users))) + " users", st.Muted.Render(think)}
	}
	return []string{st.Bold.Render(rate(w.Rate)) + " req/s", st.Muted.Render("open (Poisson)")}
}

// lbLines describe the load balancer: its policy and the nodes it
// sends to.
func lbLines(t *topology.Topology, s *sim.Snapshot, st *Styles) []string {
	up, booting := 0, 0
	for i, n := range s.Nodes {
		switch {
		case i >= t.App.Nodes:
		case n.State == sim.NodeBooting:
			booting++
		case n.State == sim.NodeUp:
			up++
		}
	}
	nodes := fmt.Sprintf("%d/%d nodes up", up, t.App.Nodes)
	style := st.Muted
	switch {
	case up+booting < t.App.Nodes:
		style = st.Bad
	case booting > 0:
		style = st.Warn
		nodes += fmt.Sprintf(" ◌%d", booting)
	}
	return []string{t.LB.Policy.String(), style.Render(nodes)}
}

// shared returns the named shared station's state.
func shared(s *sim.Snapshot, name string) (sim.StationState, bool) {
	for _, ss := range s.Shared {
		if ss.Name == name {
			return ss, true
		}
	}
	return sim.StationState{}, false
}

// stationRow is a shared station on one line: its name and state.
type stationRow struct {
	name, text string
}

// stationRows are the shared stations t has, one line each, for the
// compact diagram and the combined box: "cache hit 71% q0", "db ██░░
// 2/4 q0".
//
// w is the room for a row's text: the database's row shortens its words
// to keep its numbers whole in it.
func stationRows(t *topology.Topology, s *sim.Snapshot, tier *dbTier, st *Styles, w int) []stationRow {
	var out []stationRow
	if c := t.Cache; c != nil {
		ss, _ := shared(s, "cache")
		var text string
		switch {
		case c.Disabled:
			text = st.Bad.Render("✗ off")
		case stockOnlyCache(t):
			text = stockCounterText(t, s, ss, st)
		default:
			text = "hit " + hitText(s, st) + " " + queueShort(ss.Queue, st)
		}
		out = append(out, stationRow{"cache", text})
	}
	if tier != nil {
		out = append(out, stationRow{"db", tier.row(st, w-len("db "))})
	}
	if t.Offload != nil {
		ss, _ := shared(s, "offload")
		out = append(out, stationRow{"offload", serversShort(ss, st)})
	}
	return out
}

// stockOnlyCache reports whether the cache serves the stock alone: no
// request has a cache step, and the redis strategy counts the stock in
// it.
func stockOnlyCache(t *topology.Topology) bool {
	return t.Cache != nil && t.Stock != nil && !t.Uses(topology.StepCache)
}

// stockCounterText is a cache that only counts stock: how busy its
// DECRs kept it under the redis strategy, else unused.
func stockCounterText(t *topology.Topology, s *sim.Snapshot, ss sim.StationState, st *Styles) string {
	if t.Stock.Strategy != topology.Redis {
		return st.Muted.Render("unused: stock is in the db")
	}
	return "stock counter " + busyText(s, "cache", st) + " " + queueShort(ss.Queue, st)
}

// busyText is how busy the named station was over the measured window
// ("5% busy"), or "" before anything was measured: a single server is
// seldom busy at the instant of a frame, so the instant says little.
func busyText(s *sim.Snapshot, name string, st *Styles) string {
	if s.Summary.DurationS == 0 {
		return ""
	}
	for _, ss := range s.Summary.Stations {
		if ss.Name == name {
			u := ss.Utilization
			text := pct(u) + " busy"
			if u == 0 {
				return st.Muted.Render(text)
			}
			return st.level(u).Render(text)
		}
	}
	return ""
}

// hitText is the hit ratio measured in the window, or – before any
// lookup.
func hitText(s *sim.Snapshot, st *Styles) string {
	if cs := s.Summary.Cache; cs != nil && cs.Hits+cs.Misses > 0 {
		return st.Bold.Render(pct(cs.HitRatio))
	}
	return "–"
}

// serversShort is a pool of servers on one line: "██░░ 2/4 q0".
func serversShort(ss sim.StationState, st *Styles) string {
	frac := 0.0
	if ss.Servers > 0 {
		frac = float64(ss.Busy) / float64(ss.Servers)
	}
	cells := st.level(frac).Render(bar(frac, 4))
	if ss.Servers <= 4 {
		cells = st.level(frac).Render(repeat("█", ss.Busy) + repeat("░", ss.Servers-ss.Busy))
	}
	return cells + fmt.Sprintf(" %d/%d ", ss.Busy, ss.Servers) + queueShort(ss.Queue, st)
}

// queueShort is a queue length in few cells: q0, q55 (red).
func queueShort(q int, st *Styles) string {
	if q == 0 {
		return st.Muted.Render("q0")
	}
	return st.Bad.Render("q" + itoa(q))
}

// stationBoxes are the boxes of the shared stations t has: the cache
// (when configured), the database (when a request uses it) and the
// offload service (when configured), each in lines lines and w cells,
// the database in what is left of maxH lines.
func stationBoxes(t *topology.Topology, s *sim.Snapshot, tier *dbTier, st *Styles, lines, w, maxH int) []boxSpec {
	var before, after []boxSpec
	if c := t.Cache; c != nil {
		before = append(before, cacheBox(t, c, s, st, lines))
	}
	if o := t.Offload; o != nil {
		ss, _ := shared(s, "offload")
		after = append(after, serversBox("offload", ss, st, lines, w-4, fmt.Sprintf("%d×%d cores, %gx", o.Nodes, o.Cores, o.Speed)))
	}
	if tier == nil {
		return append(before, after...)
	}
	room := maxH - 2 // the database box's frame
	for _, b := range slices.Concat(before, after) {
		room -= len(b.lines) + 3 // frame and gap
	}
	db := boxSpec{title: tier.title(st), lines: tier.boxLines(max(room, 1), w-4, st), border: st.Border}
	return slices.Concat(before, []boxSpec{db}, after)
}

// cacheBox describes the cache: on or off, the hit ratio measured in the
// window against the one set (or the key capacity), and its load.
func cacheBox(t *topology.Topology, c *topology.Cache, s *sim.Snapshot, st *Styles, lines int) boxSpec {
	if c.Disabled {
		l := []string{st.Bad.Render("✗ off") + st.Muted.Render(", reads hit db")}
		if lines > 1 {
			l = append(l, st.Muted.Render("k turns it on"))
		}
		return boxSpec{title: "cache " + st.Bad.Render("off"), lines: l, border: st.Border}
	}
	if stockOnlyCache(t) {
		ss, _ := shared(s, "cache")
		l := []string{stockCounterText(t, s, ss, st)}
		switch {
		case t.Stock.Strategy == topology.Redis && lines > 1:
			l = []string{"stock counter: DECR", loadText(s, "cache", ss, st)}
		case t.Stock.Strategy == topology.Redis:
		case lines > 1:
			// in the box's few cells: unused, and what would use it
			l = []string{st.Muted.Render("unused: stock in db"), st.Muted.Render("g → redis uses it")}
		default:
			l = []string{st.Muted.Render("unused: stock in db")}
		}
		return boxSpec{title: "cache", lines: l, border: st.Border}
	}
	hit := "hit " + hitText(s, st)
	set := "set " + pct(c.HitRatio)
	if c.Keys != nil {
		set = num(float64(c.Keys.Capacity)) + " keys"
	}
	ss, _ := shared(s, "cache")
	load := loadText(s, "cache", ss, st)
	if lines == 1 {
		return boxSpec{title: "cache", lines: []string{hit + " " + load}, border: st.Border}
	}
	return boxSpec{title: "cache", lines: []string{hit + st.Muted.Render(" ("+set+")"), load}, border: st.Border}
}

// serversBox describes a pool of servers (database cores, offload
// cores) in w cells: cells busy and the queue, and what the pool is
// when that fits whole.
func serversBox(title string, ss sim.StationState, st *Styles, lines, w int, about string) boxSpec {
	frac := 0.0
	if ss.Servers > 0 {
		frac = float64(ss.Busy) / float64(ss.Servers)
	}
	cells := st.level(frac).Render(bar(frac, min(ss.Servers, 8)))
	if ss.Servers <= 8 {
		cells = st.level(frac).Render(repeat("█", ss.Busy) + repeat("░", ss.Servers-ss.Busy))
	}
	busy := fmt.Sprintf(" %d/%d", ss.Busy, ss.Servers)
	q := queueText(ss.Queue, st)
	if lines == 1 {
		return boxSpec{title: title, lines: []string{cells + busy + " " + q}, border: st.Border}
	}
	second := q
	if about != "" && width(q)+width(" · "+about) <= w {
		second += st.Muted.Render(" · " + about) // only whole
	}
	return boxSpec{title: title, lines: []string{cells + busy + " busy", second}, border: st.Border}
}

// loadText is a single server's load: how busy over the measured
// window, and its queue now.
func loadText(s *sim.Snapshot, name string, ss sim.StationState, st *Styles) string {
	return joinParts(" ", busyText(s, name, st), queueText(ss.Queue, st))
}

// queueText is a queue length, red when anything waits.
func queueText(q int, st *Styles) string {
	if q == 0 {
		return st.Muted.Render("queue 0")
	}
	return st.Bad.Render(fmt.Sprintf("queue %d", q))
}

// repeat is strings.Repeat that takes a negative count as zero.
func repeat(s string, n int) string { return strings.Repeat(s, max(n, 0)) }

// stageText says where a shaped workload is: "stage 2 of 4", or past
// its stages.
func stageText(w *topology.Workload, now time.Duration) string {
	ends := w.StageTimes()
	for i, end := range ends {
		if now < end {
			return fmt.Sprintf("stage %d of %d", i+1, len(ends))
		}
	}
	return "after its stages"
}
