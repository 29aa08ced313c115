package ui

import (
	"strings"

	"scalesim/sim"
	"scalesim/topology"
)

// diagramPane draws the topology left to right: clients → load balancer
// → each app node with its workers, cores and backlog → the shared
// stations (cache, database, offload service). Boxed when there is room,
// one line per element otherwise.
type diagramPane struct {
	ctx           *programContext
	width, height int
	lines         []string
}

// SetSize sets the width and the most lines the diagram may take.
func (d *diagramPane) SetSize(w, h int) { d.width, d.height = w, h }

// View returns the drawn diagram.
func (d *diagramPane) View() string { return strings.Join(d.lines, "\n") }

// SetFrame draws the diagram of t in state s: the roomiest layout that
// fits the height.
func (d *diagramPane) SetFrame(t *topology.Topology, s *sim.Snapshot) {
	if s.Autoscale != nil && d.height > 1 {
		// the autoscaler's line above the diagram
		line := fit(autoscaleLine(s.Autoscale, s.Now, d.width, &d.ctx.styles), d.width)
		d.height--
		d.draw(t, s)
		d.height++
		d.lines = append([]string{line}, d.lines...)
		return
	}
	d.draw(t, s)
}

// draw draws the diagram itself, in d.height lines at most.
func (d *diagramPane) draw(t *topology.Topology, s *sim.Snapshot) {
	leg := legendIn(legendKinds(t), d.width, &d.ctx.styles)
	var tier *dbTier
	if usesDB(t) {
		tier = newDBTier(t, s)
	}
	for _, stacked := range []bool{false, true} {
		for _, cellLines := range []int{4, 3, 2, 1} {
			for _, dataLines := range []int{2, 1, 0} {
				if lines, ok := d.boxed(t, s, tier, stacked, cellLines, dataLines); ok && len(lines)+1 <= d.height {
					d.lines = append(lines, fit(leg, d.width))
					return
				}
			}
		}
	}
	d.lines = append(d.compact(t, s, tier, d.height-1), fit(leg, d.width))
}

// legendKinds are the slot kinds t's workers can show.
func legendKinds(t *topology.Topology) []slotKind {
	kinds := []slotKind{slotCPU, slotWaitCore}
	if t.App.Model != topology.Sync && (t.App.GIL || t.App.Model == topology.Gevent) {
		kinds = append(kinds, slotWaitGIL)
	}
	for _, k := range []struct {
		step topology.StepKind
		slot slotKind
	}{{topology.StepIO, slotIO}, {topology.StepCache, slotCache}, {topology.StepOffload, slotOffload}} {
		if t.Uses(k.step) {
			kinds = append(kinds, k.slot)
		}
		if k.slot == slotIO && usesDB(t) {
			kinds = append(kinds, slotDB)
		}
	}
	return append(kinds, slotIdle)
}

// Widths of the boxed layout.
const (
	minNodeBox = 30 // narrowest node box
	maxNodeBox = 76
	dataBox    = 24 // cache, db and offload boxes
	maxDataBox = 32
	// A database with replicas, shards, a connection limit or a pooler
	// widens the column of shared stations to tieredDBBox, narrowing the
	// node boxes down to nodeFloor.
	tieredDBBox = 36
	nodeFloor   = 36
)

// boxed draws every element in a box, up to cellLines lines of worker
// cells per node and dataLines lines per shared station; the clients
// box sits above the load balancer's when stacked, else left of it. It
// reports false when the width does not allow it.
func (d *diagramPane) boxed(t *topology.Topology, s *sim.Snapshot, tier *dbTier, stacked bool, cellLines, dataLines int) ([]string, bool) {
	st := &d.ctx.styles
	var front []column
	var nodes, data column
	cl := clientLines(t, s, st)
	ll := lbLines(t, s, st)
	if stacked {
		front = []column{stackedFront(cl[0], ll[0], st)}
	} else {
		var clients, lb column
		clients.add(box("clients", cl, maxWidth(cl)+4, st.Border), 1, 0)
		lb.add(box("load balancer", ll, max(maxWidth(ll), 15)+4, st.Border), 1, 0)
		front = []column{clients, lb}
	}

	hasStations := t.Cache != nil || tier != nil || t.Offload != nil
	buses := len(front) * busWidth
	dataW, wantW := 0, 0
	if hasStations {
		buses += busWidth
		dataW, wantW = dataBox, dataBox
		if tier != nil && dataLines > 0 && (dbTiered(t) || !tier.single()) {
			wantW = tieredDBBox // the same width whatever the numbers, so the layout does not jump
		}
	}
	nodeW := d.width - dataW - buses
	for _, c := range front {
		nodeW -= c.w
	}
	if nodeW < minNodeBox {
		return nil, false
	}
	if nodeW > maxNodeBox {
		extra := nodeW - maxNodeBox
		nodeW = maxNodeBox
		dataW = min(max(maxDataBox, wantW), dataW+extra)
	}
	if give := min(wantW-dataW, nodeW-nodeFloor); give > 0 {
		dataW += give
		nodeW -= give
	}

	var stations []boxSpec
	if dataLines > 0 {
		stations = stationBoxes(t, s, tier, st, dataLines, dataW, d.height-1)
	} else if rows := stationRows(t, s, tier, st, dataW-4-len("offload ")); len(rows) > 0 {
		stations = []boxSpec{combinedBox(rows, st)}
	}
	for i, sb := range stations {
		data.add(box(sb.title, sb.lines, dataW, sb.border), 1, min(i, 1))
		for k := 1; k < len(sb.anchors); k++ {
			data.anchors = append(data.anchors, data.anchors[len(data.anchors)-1]+1)
		}
	}
	// the layout fits only if every column does, with a line left for
	// the legend: give up as soon as one is too tall (with many nodes,
	// drawing them all for each layout tried took most of a frame)
	if len(data.lines)+1 > d.height {
		return nil, false
	}
	for i := range s.Nodes {
		nb := nodeBox(t, s, i, nodeW-4, cellLines, st)
		nodes.add(box(nb.title, nb.lines, nodeW, nb.border), 1, 0)
		if len(nodes.lines)+1 > d.height {
			return nil, false
		}
	}
	nodes.w = nodeW
	cols := append(front, nodes)
	if len(stations) > 0 {
		cols = append(cols, data)
	}
	return joinColumns(cols, st.Border), true
}

// stackedFront is the clients box above the load balancer's, joined by
// an arrow down, for narrow terminals:
//
//	╭─ clients ───╮
//	│ 200 req/s   │
//	╰──────┬──────╯
//	╭─ lb ─▼──────╮
//	│ round_robin │
//	╰─────────────╯
func stackedFront(clients, lb string, st *Styles) column {
	w := max(width(clients), width(lb), 11) + 4
	top := box("clients", []string{clients}, w, st.Border)
	bottom := box("lb", []string{lb}, w, st.Border)
	mid := w / 2
	top[2] = st.Border.Render("╰" + strings.Repeat("─", mid-1) + "┬" + strings.Repeat("─", w-mid-2) + "╯")
	bottom[0] = st.Border.Render("╭─") + " lb " + st.Border.Render(strings.Repeat("─", mid-6)+"▼"+strings.Repeat("─", w-mid-2)+"╮")
	var c column
	c.add(append(top, bottom...), 4, 0)
	return c
}

// compact draws one line per element, for small heights or many nodes:
// clients and load balancer, one line per node, and the shared stations
// below, a line each when there is room (with the database's servers
// under it when there is more), else together on one line; at most h
// lines. The clients and the balancer stand left of the nodes; when the
// nodes' lines would not be whole beside them (a side of the split
// dashboard) and there is a line to spare, they stand above, and the
// nodes hang from them across the whole width.
func (d *diagramPane) compact(t *topology.Topology, s *sim.Snapshot, tier *dbTier, h int) []string {
	st := &d.ctx.styles
	var front, nodes column
	cl := clientLines(t, s, st)
	ll := lbLines(t, s, st)
	// the trailing space keeps the widest rate off the bus that leaves it
	front.add([]string{cl[0] + " ", st.Muted.Render("lb ") + ll[0]}, 0, 0)

	stations := stationRows(t, s, tier, st, d.width-front.w-busWidth-1-width("└─▶ "))
	own := max(len(s.Nodes), len(front.lines))+len(stations) <= h // a line per station
	rows := h
	switch {
	case own:
		rows -= len(stations)
	case len(stations) > 0:
		rows--
	}
	shown := len(s.Nodes)
	if shown > rows {
		shown = max(rows-1, 0)
	}
	nodeW := d.width - front.w - busWidth
	coresW := 0
	for i := range shown {
		coresW = max(coresW, width(coresShort(&s.Nodes[i], st)))
	}
	lvl, whole := nodeLevel(t, s, shown, nodeW-1, coresW, st)
	if lvl > 1 || !whole {
		if lines, ok := d.compactStacked(t, s, tier, h, coresW, st); ok {
			return lines
		}
	}
	for i := range shown {
		nodes.add([]string{" " + nodeLine(t, s, i, nodeW-1, coresW, lvl, st)}, 0, 0)
	}
	if ml := memoryLine(t, s, shown, st); ml != "" && shown == len(s.Nodes) && max(shown+1, len(front.lines)) <= rows {
		// the nodes' lines have no room for it: a line of its own
		nodes.lines = append(nodes.lines, "   "+ml)
	}
	if shown < len(s.Nodes) {
		nodes.lines = append(nodes.lines, st.Muted.Render("… "+itoa(len(s.Nodes)-shown)+" more nodes"))
	}
	nodes.w = nodeW
	lines := joinColumns([]column{front, nodes}, st.Border)
	lead := strings.Repeat(" ", front.w+busWidth+1)
	return d.stationLines(lines, lead, stations, own, tier, h)
}

// compactStacked is the compact diagram with the clients and the
// balancer on a line above the nodes, which hang from it:
//
//	300 req/s  lb least_conn
//	├─▶ node 1  ██░░ 2/4  2/200  ▕░░░░▏ 0/200
//	└─▶ node 2  █░░░ 1/4  1/200  ▕░░░░▏ 0/200
//	    ├─▶ cache hit 76% q0
//	    └─▶ db ░░░░ 0/4 q0
//
// It reports false when its line more would leave out a node or a
// station's line.
func (d *diagramPane) compactStacked(t *topology.Topology, s *sim.Snapshot, tier *dbTier, h, coresW int, st *Styles) ([]string, bool) {
	const lead = "    "
	stations := stationRows(t, s, tier, st, d.width-width(lead)-width("└─▶ "))
	if 1+len(s.Nodes)+len(stations) > h {
		return nil, false
	}
	lines := []string{fit(clientLines(t, s, st)[0]+"  "+st.Muted.Render("lb ")+lbLines(t, s, st)[0], d.width)}
	nodeW := d.width - width("├─▶ ")
	lvl, _ := nodeLevel(t, s, len(s.Nodes), nodeW, coresW, st)
	for i := range s.Nodes {
		branch := "├─▶ "
		if i == len(s.Nodes)-1 {
			branch = "└─▶ "
		}
		lines = append(lines, st.Border.Render(branch)+nodeLine(t, s, i, nodeW, coresW, lvl, st))
	}
	if ml := memoryLine(t, s, len(s.Nodes), st); ml != "" && len(lines)+len(stations) < h {
		lines = append(lines, fit(lead+ml, d.width))
	}
	return d.stationLines(lines, lead, stations, true, tier, h), true
}

// stationLines appends the shared stations to the diagram's lines,
// branching from lead: a line each when own, else together on one; at
// most h lines in all.
func (d *diagramPane) stationLines(lines []string, lead string, stations []stationRow, own bool, tier *dbTier, h int) []string {
	st := &d.ctx.styles
	switch {
	case own:
		spare := h - len(lines) - len(stations)
		for i, sr := range stations {
			last := i == len(stations)-1
			branch, through := "├─▶", "│   "
			if last {
				branch, through = "└─▶", "    "
			}
			if sr.name == "db" && tier != nil {
				rows := tier.rowLines(st, d.width-width(lead)-width("└─▶ db "), spare+1)
				lines = append(lines, fit(lead+st.Border.Render(branch)+" "+sr.name+" "+rows[0], d.width))
				for _, l := range rows[1:] {
					lines = append(lines, fit(lead+st.Border.Render(through)+"   "+l, d.width))
				}
				for _, l := range tier.detailLines(spare-len(rows)+1, st) {
					lines = append(lines, fit(lead+st.Border.Render(through)+"   "+l, d.width))
				}
				continue
			}
			lines = append(lines, fit(lead+st.Border.Render(branch)+" "+sr.name+" "+sr.text, d.width))
		}
	case len(stations) > 0:
		parts := make([]string, len(stations))
		for i, sr := range stations {
			parts[i] = sr.name + " " + sr.text
		}
		lines = append(lines, fit(lead+st.Border.Render("└─▶")+" "+strings.Join(parts, st.Muted.Render("  ·  ")), d.width))
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return lines
}

// memoryLine is the memory in use on the first n nodes and their OOM
// kills, for the compact diagram: "memory 602MiB/2GiB oom ×3", or with
// several nodes "memory n1 602MiB/2GiB · n2 …"; "" when memory is not
// modelled and nothing was killed.
func memoryLine(t *topology.Topology, s *sim.Snapshot, n int, st *Styles) string {
	kills := 0
	for i := range n {
		kills += s.Nodes[i].OOMKills
	}
	if t.App.Memory <= 0 && kills == 0 {
		return ""
	}
	parts := make([]string, 0, n)
	for i := range n {
		nd := &s.Nodes[i]
		var p string
		if n > 1 {
			p = st.Muted.Render("n" + itoa(i+1) + " ")
		}
		if t.App.Memory > 0 {
			frac := float64(nd.MemoryUsed) / float64(t.App.Memory)
			p += st.level(frac).Render(topology.FormatSize(roundSize(nd.MemoryUsed)) + "/" + topology.FormatSize(t.App.Memory))
		}
		if nd.OOMKills > 0 {
			p = joinParts(" ", p, st.Bad.Render("oom ×"+itoa(nd.OOMKills)))
		}
		parts = append(parts, p)
	}
	return st.Muted.Render("memory ") + strings.Join(parts, st.Muted.Render(" · "))
}

// combinedBox holds every shared station, one per line, when there is
// no room for a box each.
func combinedBox(rows []stationRow, st *Styles) boxSpec {
	nameW := 0
	for _, r := range rows {
		nameW = max(nameW, width(r.name))
	}
	b := boxSpec{title: "shared", border: st.Border}
	for _, r := range rows {
		b.lines = append(b.lines, st.Muted.Render(fit(r.name, nameW+1))+r.text)
		b.anchors = append(b.anchors, len(b.anchors))
	}
	return b
}

func maxWidth(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, width(l))
	}
	return w
}
