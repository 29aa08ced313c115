package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"scalesim/sim"
	"scalesim/topology"
)

// dbTier is the database tier as the diagram draws it: its layout from
// the topology, its servers' state from the snapshot. It draws as a box
// (one line per server, per shard, or a summary, whichever fits) or as
// one line of the compact diagram.
type dbTier struct {
	db   *topology.DB
	sum  *sim.DBSummary // nil before the simulation has one
	agg  sim.StationState
	rows []dbRow // each primary, then its replicas; leaving ones last
	// primaries and replicas now (leaving servers left out)
	prim, repl load
	busiest    int // connections open on the busiest server
}

// dbRow is one database server.
type dbRow = sim.DBServerSummary

// load is servers (cores) busy and queries waiting, now.
type load struct{ servers, busy, queue int }

// newDBTier reads the tier from s, laid out as the simulation runs it
// (t until the simulation has a topology: an edit reaches it a frame
// later with the goroutine runner).
func newDBTier(t *topology.Topology, s *sim.Snapshot) *dbTier {
	if s.Topology != nil {
		t = s.Topology
	}
	d := &dbTier{db: &t.DB, sum: s.Summary.DB}
	d.agg, _ = shared(s, "db")
	if d.sum == nil {
		return d
	}
	for _, r := range d.sum.Servers {
		row := r
		d.rows = append(d.rows, row)
		d.busiest = max(d.busiest, r.Connections)
		if row.Leaving {
			continue
		}
		l := &d.prim
		if row.Replica > 0 {
			l = &d.repl
		}
		l.servers += r.Cores
		l.busy += r.Busy
		l.queue += r.Queue
	}
	slices.SortStableFunc(d.rows, func(a, b dbRow) int {
		if a.Leaving != b.Leaving {
			if a.Leaving {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Shard, b.Shard), cmp.Compare(a.Replica, b.Replica))
	})
	return d
}

// servers is how many database servers the layout has.
func (d *dbTier) servers() int { return max(d.db.Shards, 1) * (1 + d.db.Replicas) }

// single reports whether the tier is one server, with none leaving:
// drawn as a pool of cores rather than a list of servers.
func (d *dbTier) single() bool {
	if d.servers() > 1 {
		return false
	}
	for _, r := range d.rows {
		if r.Leaving {
			return false
		}
	}
	return true
}

// shape is the layout in words: "4 shards × (1+2)", "1+2 replicas",
// "4 shards", or "" for one server.
func (d *dbTier) shape() string {
	sh, r := max(d.db.Shards, 1), d.db.Replicas
	switch {
	case sh > 1 && r > 0:
		return fmt.Sprintf("%d shards × (1+%d)", sh, r)
	case sh > 1:
		return fmt.Sprintf("%d shards", sh)
	case r > 0:
		return fmt.Sprintf("1+%d %s", r, plural(r, "replica", "replicas"))
	}
	return ""
}

// loadCells draws l as cells: one per core when they fit in n, else a
// bar of n.
func loadCells(l load, n int, st *Styles) string {
	frac := 0.0
	if l.servers > 0 {
		frac = float64(l.busy) / float64(l.servers)
	}
	if l.servers <= n {
		return st.level(frac).Render(repeat("█", l.busy) + repeat("░", l.servers-l.busy))
	}
	return st.level(frac).Render(bar(frac, n))
}

// loadShort is l on a few cells: "██░░ 2/4 q0".
func loadShort(l load, n int, st *Styles) string {
	return loadCells(l, n, st) + fmt.Sprintf(" %d/%d ", l.busy, l.servers) + queueShort(l.queue, st)
}

func (d *dbTier) aggLoad() load { return load{d.agg.Servers, d.agg.Busy, d.agg.Queue} }

// refused is the connections refused in the measured window, marked ✗
// (red, but readable without colour), or "" for none.
func (d *dbTier) refused(st *Styles) string {
	if d.sum == nil || d.sum.Refused == 0 {
		return ""
	}
	return st.Bad.Render("✗" + count(d.sum.Refused) + " refused")
}

// conns is the connections open on the busiest server against
// max_connections ("" without a limit): "conns 93/100", amber then red
// as it fills; "≤" when there are several servers.
func (d *dbTier) conns(st *Styles) string {
	limit := d.db.MaxConnections
	if limit <= 0 {
		return ""
	}
	le := ""
	if d.servers() > 1 {
		le = "≤"
	}
	frac := float64(d.busiest) / float64(limit)
	return "conns " + st.level(frac).Render(fmt.Sprintf("%s%d/%d", le, d.busiest, limit))
}

// poolWait is how long queries waited for one of PgBouncer's
// connections, amber when they waited at all.
func (d *dbTier) poolWait(st *Styles) string {
	wait := 0.0
	if d.sum != nil {
		wait = d.sum.PoolWaitMsMean
	}
	if wait > 0 {
		return st.Warn.Render("wait " + ms(wait))
	}
	return "wait " + ms(wait)
}

// stale is the replica reads and how many were stale ("" without
// replicas); without db.rows, how many may have been, at most (≤).
func (d *dbTier) stale(st *Styles) string {
	if d.db.Replicas == 0 || d.sum == nil {
		return ""
	}
	n := num(float64(d.sum.StaleReads))
	if d.sum.StaleUpperBound {
		n = "≤" + n
	}
	if d.sum.StaleReads > 0 {
		n = st.Warn.Render(n)
	}
	return "stale reads " + n + st.Muted.Render(" of "+num(float64(d.sum.ReplicaReads)))
}

// footer is the lines under the servers, each at most w wide where it
// can be split: connections and refusals (or PgBouncer's), stale reads.
func (d *dbTier) footer(w int, st *Styles) []string {
	var out []string
	add := func(parts ...string) {
		l := joinParts(" ", parts...)
		switch {
		case l == "":
		case width(l) <= w:
			out = append(out, l)
		default:
			for _, p := range parts {
				if p != "" {
					out = append(out, p)
				}
			}
		}
	}
	if p := d.db.Pool; p != nil {
		add(d.pooler(st), d.refused(st))
		add(d.poolQueue(st))
	} else {
		add(d.conns(st), d.refused(st))
	}
	add(d.stale(st))
	return out
}

// pooler is PgBouncer's server connections per database server, against
// max_connections when there is a limit.
func (d *dbTier) pooler(st *Styles) string {
	p := d.db.Pool
	if p == nil {
		return ""
	}
	size := itoa(p.Size)
	if d.db.MaxConnections > 0 {
		size += "/" + itoa(d.db.MaxConnections)
	}
	return "pgbouncer " + size + " conns"
}

// poolQueue is how many queries wait for one of PgBouncer's connections
// (mean over the window, all servers) and how long.
func (d *dbTier) poolQueue(st *Styles) string {
	if d.db.Pool == nil || d.sum == nil {
		return ""
	}
	q := 0.0
	for _, r := range d.rows {
		q += r.PoolQueueMean
	}
	text := num(round1(q)) + " waiting"
	if q >= 0.05 {
		text = st.Warn.Render(text)
	}
	return text + st.Muted.Render(", ") + d.poolWait(st)
}

// rowName names server r in a list: a primary by name, a replica
// indented under it (├ r1, └ r2).
func (d *dbTier) rowName(i int) string {
	r := &d.rows[i]
	if r.Leaving {
		// "shard2", "r1" or "s2.r1": short, as it no longer has its place
		switch {
		case r.Replica == 0:
			return r.Name
		case strings.HasPrefix(r.Name, "shard"):
			return "s" + itoa(r.Shard) + ".r" + itoa(r.Replica)
		}
		return "r" + itoa(r.Replica)
	}
	if r.Replica == 0 {
		return r.Name
	}
	branch := "├"
	if i+1 >= len(d.rows) || d.rows[i+1].Replica == 0 || d.rows[i+1].Leaving {
		branch = "└"
	}
	return " " + branch + " r" + itoa(r.Replica)
}

// serverLines are one line per server: "shard1  ██░░ 2/4 q0 ✗3".
func (d *dbTier) serverLines(st *Styles) []string {
	nameW := 0
	for i := range d.rows {
		nameW = max(nameW, width(d.rowName(i)))
	}
	cells := 4
	if d.db.Cores <= 8 {
		cells = d.db.Cores
	}
	busyW := 0
	for _, r := range d.rows {
		busyW = max(busyW, len(fmt.Sprintf("%d/%d", r.Busy, r.Cores)))
	}
	out := make([]string, 0, len(d.rows))
	for i, r := range d.rows {
		l := load{r.Cores, r.Busy, r.Queue}
		busy := fit(fmt.Sprintf("%d/%d", r.Busy, r.Cores), busyW)
		if r.Leaving {
			// removed by an edit: it finishes what it holds
			out = append(out, st.Muted.Render(fit(d.rowName(i), nameW+1)+stripANSI(loadCells(l, cells, st))+" "+busy+" ")+
				queueShort(r.Queue, st)+st.Muted.Render(" leaving"))
			continue
		}
		line := fit(d.rowName(i), nameW+1) + loadCells(l, cells, st) + " " + busy + " " + queueShort(r.Queue, st)
		if r.Refused > 0 {
			line += " " + st.Bad.Render("✗"+count(r.Refused))
		}
		out = append(out, line)
	}
	return out
}

// shardLines are one line per shard: its primary, then its replicas
// together: "shard1 ██░░ 2/4 q0 +2 █░ 1/8 q0".
func (d *dbTier) shardLines(st *Styles) []string {
	type shard struct{ prim, repl load }
	shards := make([]shard, max(d.db.Shards, 1))
	for _, r := range d.rows {
		if r.Leaving || r.Shard < 1 || r.Shard > len(shards) {
			continue
		}
		l := &shards[r.Shard-1].prim
		if r.Replica > 0 {
			l = &shards[r.Shard-1].repl
		}
		l.servers += r.Cores
		l.busy += r.Busy
		l.queue += r.Queue
	}
	nameW := len("shard" + itoa(len(shards)))
	out := make([]string, len(shards))
	for i, sh := range shards {
		line := fit("shard"+itoa(i+1), nameW+1) + loadShort(sh.prim, 4, st)
		if d.db.Replicas > 0 {
			line += st.Muted.Render(" +"+itoa(d.db.Replicas)+" ") + loadShort(sh.repl, 2, st)
		}
		out[i] = line
	}
	return out
}

// summaryLines are the primaries and the replicas in a line each, or
// the one server in two.
func (d *dbTier) summaryLines(st *Styles) []string {
	if d.single() {
		l := d.aggLoad()
		return []string{
			loadCells(l, 8, st) + fmt.Sprintf(" %d/%d busy", l.busy, l.servers),
			queueText(l.queue, st),
		}
	}
	lines := []string{st.Muted.Render(fit(plural(max(d.db.Shards, 1), "primary", "primaries"), 10)) + loadShort(d.prim, 4, st)}
	if d.db.Replicas > 0 {
		lines = append(lines, st.Muted.Render(fit("replicas", 10))+loadShort(d.repl, 4, st))
	}
	return lines
}

// boxLines are the database box's content in at most n lines: the
// richest of one line per server, one per shard, a summary, one line.
func (d *dbTier) boxLines(n, w int, st *Styles) []string {
	for _, c := range d.boxCandidates(w, st) {
		if len(c) <= n {
			return c
		}
	}
	return nil
}

func (d *dbTier) boxCandidates(w int, st *Styles) [][]string {
	foot := d.footer(w, st)
	var out [][]string
	if !d.single() {
		out = append(out, concat(d.serverLines(st), foot))
		if d.db.Shards > 1 && d.db.Replicas > 0 {
			out = append(out, concat(d.shardLines(st), foot))
		}
	}
	sum := d.summaryLines(st)
	out = append(out, concat(sum, foot))
	if len(foot) > 1 {
		out = append(out, concat(sum, foot[:1]))
	}
	one := joinParts(" ", loadShort(d.aggLoad(), 4, st), d.refused(st))
	if len(foot) > 0 && len(sum) > 1 {
		out = append(out, []string{one, foot[0]})
	}
	return append(out, []string{one})
}

// title is the box's title: "database · 4 shards × (1+2)".
func (d *dbTier) title(st *Styles) string {
	if s := d.shape(); s != "" {
		return "database" + st.Muted.Render(" · "+s)
	}
	return "database"
}

// row is the tier on one line of at most w cells for the compact
// diagram: its shape, its load, connections, the pooler, stale reads;
// the words shorten before any number is cut.
func (d *dbTier) row(st *Styles, w int) string {
	return budgetSep(d.rowFigures(st), w, st.Muted.Render(" · "), " ")
}

// rowLines is the row in up to n lines of w cells: on one when it fits
// whole, else split after its load and connections, so that its words
// need not shorten.
func (d *dbTier) rowLines(st *Styles, w, n int) []string {
	figs := d.rowFigures(st)
	sep := st.Muted.Render(" · ")
	full := budgetSep(figs, 1<<20, sep, " ")
	if width(full) <= w || n < 2 || len(figs) < 2 {
		return []string{d.row(st, w)}
	}
	split := 1 // the most figures that fit whole on the first line
	for k := 2; k < len(figs); k++ {
		if width(budgetSep(figs[:k], 1<<20, sep, " ")) <= w {
			split = k
		}
	}
	return []string{budgetSep(figs[:split], w, sep, " "), budgetSep(figs[split:], w, sep, " ")}
}

// rowFigures are the parts of the row with their shorter forms.
func (d *dbTier) rowFigures(st *Styles) []figure {
	load := loadShort(d.aggLoad(), 4, st)
	head := figure{forms: []string{load}, yield: 1}
	if s := d.shape(); s != "" {
		head.forms = []string{st.Muted.Render(s) + " " + load, load}
	}
	figs := []figure{head}
	refused := d.refused(st)
	short := ""
	if d.sum != nil && d.sum.Refused > 0 {
		short = st.Bad.Render("✗" + count(d.sum.Refused))
	}
	if d.db.Pool != nil {
		figs = append(figs, figure{forms: []string{
			joinParts(" ", d.pooler(st), refused, st.Muted.Render("·"), d.poolWait(st)),
			joinParts(" ", d.pooler(st), short, d.poolWait(st)),
			joinParts(" ", short, d.poolWait(st)),
		}, yield: 2})
	} else if c := d.conns(st); c != "" || refused != "" {
		figs = append(figs, figure{forms: []string{joinParts(" ", c, refused), joinParts(" ", c, short), joinParts(" ", strings.TrimPrefix(c, "conns "), short)}, yield: 2})
	}
	if sl := d.stale(st); sl != "" {
		figs = append(figs, figure{forms: []string{sl, d.staleShort(st)}, yield: 3})
	}
	return figs
}

// staleShort is stale reads in few cells: "stale 266/20k".
func (d *dbTier) staleShort(st *Styles) string {
	n := num(float64(d.sum.StaleReads))
	if d.sum.StaleReads > 0 {
		n = st.Warn.Render(n)
	}
	return "stale " + n + st.Muted.Render("/"+num(float64(d.sum.ReplicaReads)))
}

// detailLines are what the compact diagram shows under the db row when
// it has n lines to spare: a line per server or per shard, or the
// primaries and the replicas; none for a single server.
func (d *dbTier) detailLines(n int, st *Styles) []string {
	if d.single() || n <= 0 {
		return nil
	}
	candidates := [][]string{d.serverLines(st), d.shardLines(st)}
	if d.db.Shards > 1 {
		strip := d.shardStrip(st)
		if d.db.Replicas > 0 {
			candidates = append(candidates, []string{strip, st.Muted.Render("replicas ") + loadShort(d.repl, 4, st)})
		}
		candidates = append(candidates, []string{strip})
	}
	if d.db.Replicas > 0 {
		candidates = append(candidates, d.summaryLines(st))
	}
	for _, c := range candidates {
		if len(c) <= n {
			return c
		}
	}
	return nil
}

// shardStrip is each shard's primary on one line: "s1 ██░░ s2 █░░░".
func (d *dbTier) shardStrip(st *Styles) string {
	prims := make([]load, max(d.db.Shards, 1))
	for _, r := range d.rows {
		if !r.Leaving && r.Replica == 0 && r.Shard >= 1 && r.Shard <= len(prims) {
			prims[r.Shard-1] = load{r.Cores, r.Busy, r.Queue}
		}
	}
	parts := make([]string, len(prims))
	for i, l := range prims {
		parts[i] = st.Muted.Render("s"+itoa(i+1)) + " " + loadCells(l, 4, st)
		if l.queue > 0 {
			parts[i] += queueShort(l.queue, st)
		}
	}
	return strings.Join(parts, " ")
}

// joinParts joins the non-empty parts with sep.
func joinParts(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

func concat(a, b []string) []string { return slices.Concat(a, b) }

// stripANSI drops the styles of s, to draw it in another.
func stripANSI(s string) string { return ansi.Strip(s) }
