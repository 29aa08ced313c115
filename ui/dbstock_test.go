package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// TestDBAndStockKeys presses the database and stock keys on a running
// dashboard and checks the topology it runs, the simulation's topology,
// the status line and the simulation's log, as TestEditKeys does.
func TestDBAndStockKeys(t *testing.T) {
	type check func(t *testing.T, top *topology.Topology)
	unchanged := check(nil)
	strategyIs := func(want topology.Strategy) check {
		return func(t *testing.T, top *topology.Topology) {
			if top.Stock.Strategy != want {
				t.Errorf("strategy %v, want %v", top.Stock.Strategy, want)
			}
		}
	}
	replicasAre := func(want int, lag time.Duration) check {
		return func(t *testing.T, top *topology.Topology) {
			if top.DB.Replicas != want || top.DB.ReplicationLag != lag {
				t.Errorf("%d replicas with lag %v, want %d with %v", top.DB.Replicas, top.DB.ReplicationLag, want, lag)
			}
		}
	}
	shardsAre := func(want int) check {
		return func(t *testing.T, top *topology.Topology) {
			if top.DB.Shards != want {
				t.Errorf("%d shards, want %d", top.DB.Shards, want)
			}
		}
	}
	poolIs := func(want int) check { // 0: no pool
		return func(t *testing.T, top *topology.Topology) {
			got := 0
			if top.DB.Pool != nil {
				got = top.DB.Pool.Size
			}
			if got != want {
				t.Errorf("pool size %d, want %d", got, want)
			}
		}
	}
	connsAre := func(want, pool int) check {
		return func(t *testing.T, top *topology.Topology) {
			if top.DB.MaxConnections != want {
				t.Errorf("max_connections %d, want %d", top.DB.MaxConnections, want)
			}
			poolIs(pool)(t, top)
		}
	}
	noCache := func(top *topology.Topology) { top.Cache = nil }

	tests := []struct {
		name   string
		file   string
		setup  func(*topology.Topology)
		keys   []string
		check  check
		status string
		logged bool
	}{
		{"g: naive to row_lock", "flash-naive", nil, []string{"g"}, strategyIs(topology.RowLock), "✓ strategy naive → row_lock", true},
		{"g: row_lock to optimistic", "flash-naive", nil, []string{"g", "g"}, strategyIs(topology.Optimistic), "strategy row_lock → optimistic", true},
		{"g: optimistic to atomic", "flash-naive", nil, []string{"g", "g", "g"}, strategyIs(topology.Atomic), "strategy optimistic → atomic", true},
		{"g: atomic to redis", "flash-naive", nil, []string{"g", "g", "g", "g"}, strategyIs(topology.Redis), "strategy atomic → redis", true},
		{"g: redis back to naive", "flash-naive", nil, []string{"g", "g", "g", "g", "g"}, strategyIs(topology.Naive), "strategy redis → naive", true},
		{"g skips redis without a cache", "flash-naive", noCache, []string{"g", "g", "g", "g"}, strategyIs(topology.Naive),
			"strategy atomic → naive (redis skipped: it needs a cache section", true},
		{"g without a stock explains", "web", nil, []string{"g"}, unchanged, "this topology sells no stock", false},
		{"e reconciles the stock", "flash-naive", nil, []string{"e"}, unchanged, "✓ stock reconciled: the counter is set to what is really left", true},
		{"e without a stock explains", "web", nil, []string{"e"}, unchanged, "this topology sells no stock", false},

		{"p adds the first replica with a lag", "web", nil, []string{"p"}, replicasAre(1, defaultLag),
			"read replicas per primary 0 → 1 (replication lag 100ms): no request has a read step", true},
		{"p adds a replica, keeping the lag", "replicas", nil, []string{"p"}, replicasAre(3, 200*time.Millisecond), "read replicas per primary 2 → 3", true},
		{"P removes one", "replicas", nil, []string{"P"}, replicasAre(1, 200*time.Millisecond), "read replicas per primary 2 → 1", true},
		{"P to none drops the lag", "replicas", nil, []string{"P", "P"}, replicasAre(0, 0), "read replicas per primary 1 → 0", true},
		{"p after none brings the lag back", "replicas", nil, []string{"P", "P", "p"}, replicasAre(1, 200*time.Millisecond),
			"read replicas per primary 0 → 1 (replication lag 200ms)", true},
		{"P below none is refused", "web", nil, []string{"P"}, unchanged, "✗ refused: db.replicas: must be between 0 and 64, got -1", false},
		{"p beyond 64 servers is refused", "flash", nil, []string{"p", "p", "p", "p", "p", "p", "p", "p", "p", "p", "p", "p", "p", "p"}, unchanged,
			"✗ refused: db: shards × (1 + replicas) is 4 × 17 = 68", false},

		{"a adds a shard", "flash", nil, []string{"a"}, shardsAre(5), "shards 4 → 5: only 1 row of stock, so some shards hold none", true},
		{"a on an unsharded db", "replicas", nil, []string{"a"}, shardsAre(2), "✓ shards 1 → 2", true},
		{"A removes one", "flash", nil, []string{"A"}, shardsAre(3), "shards 4 → 3", true},
		{"A below one is refused", "web", nil, []string{"A"}, unchanged, "refused: db.shards: must be between 1 and 64, got 0", false},

		{"b turns PgBouncer off", "flash", nil, []string{"b"}, poolIs(0), "PgBouncer off", true},
		{"b b brings it back at its size", "flash", func(t *topology.Topology) { t.DB.Pool.Size = 40 }, []string{"b", "b"}, poolIs(40),
			"PgBouncer on: 40 server connections per database server", true},
		{"b turns it on at the default size", "replicas", nil, []string{"b"}, poolIs(20), "PgBouncer on: 20 server connections", true},
		{"b clips the pool to max_connections", "replicas", func(t *topology.Topology) { t.DB.MaxConnections = 8 }, []string{"b"}, poolIs(8),
			"PgBouncer on: 8 server connections", true},

		{"l raises max_connections", "replicas", nil, []string{"l"}, connsAre(120, 0), "max_connections 100 → 120", true},
		{"L lowers it", "replicas", nil, []string{"L"}, connsAre(90, 0), "max_connections 100 → 90", true},
		{"L shrinks a larger pool with it", "flash", func(t *topology.Topology) { t.DB.MaxConnections = 20 }, []string{"L"}, connsAre(15, 15),
			"max_connections 20 → 15 (PgBouncer 20 → 15 server connections)", true},
		{"L stops at one", "replicas", func(t *topology.Topology) { t.DB.MaxConnections = 1 }, []string{"L"}, unchanged,
			"refused: max_connections is at its lowest: 1", false},
		{"l without a limit explains", "web", nil, []string{"l"}, unchanged, "max_connections is not set", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			top := fixture(t, tc.file)
			if tc.setup != nil {
				tc.setup(top)
			}
			m, st := newTestModel(t, top, tc.file, 100, 30)
			runFor(m, time.Second)
			pressAndCheck(t, m, st, tc.keys, tc.check, tc.status, tc.logged)
			runFor(m, time.Second)
			if m.frame.Stopped != "" {
				t.Fatalf("the simulation stopped: %s", m.frame.Stopped)
			}
			checkConserved(t, m)
		})
	}
}

// checkConserved asserts arrived = completed + dropped + failed + in
// flight over the whole run.
func checkConserved(t *testing.T, m *Model) {
	t.Helper()
	c := m.frame.Snap.Totals
	if c.Arrived != c.Completed+c.Dropped+c.Failed+c.InFlight {
		t.Errorf("arrived %d != completed %d + dropped %d + failed %d + in flight %d",
			c.Arrived, c.Completed, c.Dropped, c.Failed, c.InFlight)
	}
}

// TestDBKeysEnabled: the database keys show in help only for a topology
// with a database, l/L only with a connection limit, g only with a stock;
// the one-line help leads with the stock or the database tier.
func TestDBKeysEnabled(t *testing.T) {
	full := func(m *Model) string {
		m.help.ShowAll = true
		defer func() { m.help.ShowAll = false }()
		return m.help.View(m.keys)
	}
	for _, tc := range []struct {
		file        string
		shows, hide []string
		short       string // leads the one-line help after ? q space
	}{
		{"web", []string{"p/P read replicas", "a/A shards", "b   pgbouncer on/off"}, []string{"stock strategy", "reconcile stock", "max connections"}, "+/- rate"},
		{"replicas", []string{"p/P read replicas", "l/L max connections"}, []string{"stock strategy", "reconcile stock"}, "+/- rate · p/P read replicas"},
		{"flash-naive", []string{"g   stock strategy", "e   reconcile stock", "l/L max connections"}, nil, "g stock strategy · e reconcile stock"},
	} {
		m, _ := newTestModel(t, fixture(t, tc.file), tc.file, 200, 40)
		h := full(m)
		for _, s := range tc.shows {
			if !strings.Contains(h, s) {
				t.Errorf("%s: help lacks %q:\n%s", tc.file, s, h)
			}
		}
		for _, s := range tc.hide {
			if strings.Contains(h, s) {
				t.Errorf("%s: help shows %q:\n%s", tc.file, s, h)
			}
		}
		if short := m.helpView(); !strings.Contains(short, "space pause · "+tc.short) {
			t.Errorf("%s: one-line help %q does not lead with %q", tc.file, short, tc.short)
		}
	}
	// a topology without a database: no database key at all
	top := fixture(t, "web")
	top.Workload.Requests = top.Workload.Requests[1:] // the api class: cpu only
	m, _ := newTestModel(t, top, "cpu", 200, 40)
	if h := full(m); containsAny(h, "read replicas", "shards", "pgbouncer", "db cores") {
		t.Errorf("database keys for a topology without a database:\n%s", h)
	}
	press(m, "p")
	if !strings.Contains(m.statusView(), "no request of this topology uses the database") {
		t.Errorf("status %q", m.statusView())
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestEngineRefusal: when the simulation refuses an edit (too many
// database servers while old ones drain), the status line says why and
// the dashboard keeps running, and showing, what the simulation runs.
func TestEngineRefusal(t *testing.T) {
	top := fixture(t, "replicas")
	top.DB.Shards, top.DB.Replicas = 2, 31 // 64 servers: the most there can be
	m, st := newTestModel(t, top, "replicas", 120, 40)
	runFor(m, 5*time.Second) // persistent connections to every replica
	before := m.Topology()
	m.apply(func(t *topology.Topology) (string, error) {
		t.DB.Shards, t.DB.Replicas = 4, 15
		return "4 shards of 1+15", nil
	})
	m.poll()
	if got := m.statusView(); !strings.Contains(got, "✗ refused: db: more than 64 database servers at once") {
		t.Fatalf("status %q, want the simulation's refusal", got)
	}
	if !reflect.DeepEqual(m.Topology(), before) || !reflect.DeepEqual(st.eng.sim.Topology(), before) {
		t.Errorf("after a refused edit the dashboard runs %+v, the simulation %+v; want %+v", m.Topology().DB, st.eng.sim.Topology().DB, before.DB)
	}
	// the next edit works from what runs
	press(m, "w")
	if got := m.Topology(); got.DB.Shards != 2 || got.App.Workers != 5 || !reflect.DeepEqual(st.eng.sim.Topology(), got) {
		t.Errorf("next edit: %d shards, %d workers", got.DB.Shards, got.App.Workers)
	}
	runFor(m, time.Second)
	checkConserved(t, m)
}

// TestFlashSaleStrategySwitch is a scripted session: a naive flash sale
// runs until it oversells; g switches it to row_lock, live. From then on
// no update is lost (every sale takes one unit from the database's
// count), sales slow to what one row lock allows, and once the
// database's count reaches zero nothing more is sold: the oversold count
// stops growing. Requests are conserved throughout.
func TestFlashSaleStrategySwitch(t *testing.T) {
	m, st := newTestModel(t, fixture(t, "flash-naive"), "flash-naive", 120, 40)
	stock := func() stockState {
		sk := st.eng.sim.Snapshot().Summary.Stock
		return stockState{sold: sk.Sold, left: sk.Left, oversold: sk.Oversold, lost: sk.LostUpdates, soldOut: sk.SoldOut, rate: sk.SalesPerSec}
	}
	for i := 0; stock().oversold == 0; i++ {
		if i == 60 {
			t.Fatal("the naive sale did not oversell in a minute")
		}
		runFor(m, time.Second)
		checkConserved(t, m)
	}
	if v := screen(m); !containsAll(v, "⚠", "OVERSOLD", "updates lost") {
		t.Errorf("the screen does not show the oversell:\n%s", v)
	}

	press(m, "g")
	if got := st.eng.sim.Topology().Stock.Strategy; got != topology.RowLock {
		t.Fatalf("the simulation runs %v after g, want row_lock", got)
	}
	runFor(m, time.Second) // buyers that read before the switch finish
	from := stock()
	for i := 0; ; i++ {
		if i == 120 {
			t.Fatalf("row_lock did not sell what the database counts in two minutes: %+v", stock())
		}
		runFor(m, 2*time.Second)
		checkConserved(t, m)
		now := stock()
		if now.lost != from.lost {
			t.Fatalf("lost updates %d → %d under row_lock", from.lost, now.lost)
		}
		if sold, taken := now.sold-from.sold, from.left-now.left; int64(sold) != taken {
			t.Fatalf("row_lock sold %d units but took %d from the stock", sold, taken)
		}
		if now.left == 0 {
			break
		}
		if now.rate > 200 {
			t.Errorf("row_lock sells %.0f a second; one lock held 6 ms allows about 165", now.rate)
		}
	}
	v := screen(m)
	if !containsAll(v, "STOCK  row_lock", "lock q", " now · ", "sold out: each buyer still takes the row lock") {
		t.Errorf("the row lock's cost is not on screen:\n%s", v)
	}
	done := stock()
	runFor(m, 10*time.Second)
	checkConserved(t, m)
	end := stock()
	if end.oversold != done.oversold || end.sold != done.sold {
		t.Errorf("sold out in the database, yet sales went on: oversold %d → %d, sold %d → %d", done.oversold, end.oversold, done.sold, end.sold)
	}
	if end.soldOut <= done.soldOut {
		t.Error("no buyer was told the stock is sold out")
	}
}

type stockState struct {
	sold, oversold, lost, soldOut uint64
	left                          int64
	rate                          float64
}

// TestDatabaseTierAndStock draws a sharded, replicated, pooled database
// and a flash sale's stock at every size.
func TestDatabaseTierAndStock(t *testing.T) {
	for _, tc := range []struct {
		w, h    int
		diagram []string
	}{
		// compact: the tier in two lines, its words whole, each shard's
		// primary below
		{80, 24, []string{"db 4 shards × (1+2)", "/48 q", "pgbouncer 20/100", "stale ", "s1 ", "s4 "}},
		// compact with room: a line per shard, or per server
		// without rows, the stale reads are an upper bound
		{120, 40, []string{"db 4 shards × (1+2)", "shard1 ", "shard4 ", " +2 ", "pgbouncer 20/100 conns", "stale reads ≤"}},
		{160, 48, []string{"db 4 shards × (1+2)", "shard4 ", "├ r1", "└ r2"}},
	} {
		m, _ := newTestModel(t, fixture(t, "flash"), "flash", tc.w, tc.h)
		runFor(m, 10*time.Second)
		if m.frame.Stopped != "" {
			t.Fatalf("the simulation stopped: %s", m.frame.Stopped)
		}
		v := screen(m)
		checkScreen(t, v, tc.w, tc.h)
		if d := m.diagram.View(); !containsAll(d, tc.diagram...) {
			t.Errorf("%dx%d: want %q in the diagram:\n%s", tc.w, tc.h, tc.diagram, d)
		}
		if !containsAll(v, "STOCK  redis", "orders ", "lag ") {
			t.Errorf("%dx%d: no stock panel:\n%s", tc.w, tc.h, v)
		}
		if !m.keys.DBCores.Enabled() || !m.keys.Replicas.Enabled() || !m.keys.Strategy.Enabled() {
			t.Error("database or stock keys disabled although requests use them")
		}
	}

	// boxed: a box with a line per server, connections and stale reads
	top := fixture(t, "replicas")
	top.DB.Connections = topology.PerRequest
	m, _ := newTestModel(t, top, "replicas", 120, 40)
	runFor(m, 10*time.Second)
	if d := m.diagram.View(); !containsAll(d, "database · 1+2 replicas", "│ primary ", "├ r1", "└ r2", "conns ≤", "/100", "stale reads") {
		t.Errorf("database box:\n%s", d)
	}
	// with rows, a read is stale when its row was written within the
	// lag: a count, not a bound
	withRows := fixture(t, "replicas")
	withRows.DB.Rows = 1000
	mr, _ := newTestModel(t, withRows, "replicas", 120, 40)
	runFor(mr, 10*time.Second)
	if d := mr.diagram.View(); !strings.Contains(d, "stale reads ") || strings.Contains(d, "stale reads ≤") {
		t.Errorf("per-row stale reads shown as a bound, or not at all:\n%s", d)
	}
	// refusals, in red and with a symbol
	for m.view.DB.MaxConnections > 3 {
		press(m, "L")
	}
	runFor(m, 5*time.Second)
	if d := m.diagram.View(); !containsAll(d, "✗", " refused") {
		t.Errorf("no connection refused at max_connections %d:\n%s", m.view.DB.MaxConnections, d)
	}
}

// TestStationsP99: the stations table shows each station's 99th
// percentile wait.
func TestStationsP99(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "cache"), "cache", 100, 30)
	runFor(m, 10*time.Second)
	head := m.table.lines[1]
	if !containsAll(head, "wait", "p99") {
		t.Fatalf("table head %q", head)
	}
	for _, ss := range m.frame.Snap.Summary.Stations {
		if ss.Name == "cpu" && ss.WaitP99Ms > 0 && !strings.Contains(strings.Join(m.table.lines, "\n"), ms(ss.WaitP99Ms)) {
			t.Errorf("cpu p99 wait %s not in the table:\n%s", ms(ss.WaitP99Ms), strings.Join(m.table.lines, "\n"))
		}
	}
}

// TestDBServersLeaving: servers an edit removes are drawn, muted and
// marked, until they have finished their queries.
func TestDBServersLeaving(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "replicas"), "replicas", 120, 40)
	runFor(m, 3*time.Second)
	press(m, "P", "P")
	if d := m.diagram.View(); !containsAll(d, "primary", "r1", "leaving") {
		t.Errorf("no replica leaving:\n%s", d)
	}
	runFor(m, 2*time.Second)
	if d := m.diagram.View(); strings.Contains(d, "leaving") || strings.Contains(d, "r1 ") {
		t.Errorf("replicas still shown once drained:\n%s", d)
	}
}

// frameStepper hands out the frames a test gives it.
type frameStepper struct{ frames []Frame }

func (s *frameStepper) Do(op)  {}
func (s *frameStepper) Tick()  {}
func (s *frameStepper) Close() {}
func (s *frameStepper) Frame() (Frame, bool) {
	if len(s.frames) == 0 {
		return Frame{}, false
	}
	f := s.frames[0]
	s.frames = s.frames[1:]
	return f, true
}

// TestRefusalWithPendingEdits: with the goroutine runner a refusal can
// arrive while later edits are still on their way: the dashboard shows
// the simulation's topology with those still to come, and the refused
// one gone.
func TestRefusalWithPendingEdits(t *testing.T) {
	top := fixture(t, "replicas")
	fs := &frameStepper{}
	m := newModel(Options{Topology: top, Source: "replicas"}, fs, 10, false)
	m.Update(teaWS(100, 30))
	press(m, "p", "w") // two edits: 3 replicas, then 5 workers
	running := top.Clone()
	refused := Frame{Refused: true, Err: "refused: db: too many", Snap: sim.Snapshot{Topology: running}}

	refused.Seq = m.opSeq - 1 // the first edit refused, the second not yet done
	fs.frames = []Frame{refused}
	m.poll()
	if m.view.DB.Replicas != 2 || m.view.App.Workers != 5 {
		t.Errorf("with the first edit refused and the second on its way: %d replicas, %d workers; want 2 and 5", m.view.DB.Replicas, m.view.App.Workers)
	}
	if !strings.Contains(m.statusView(), "✗ refused: db: too many") {
		t.Errorf("status %q", m.statusView())
	}

	refused.Seq = m.opSeq // both done, the last refused too
	fs.frames = []Frame{refused}
	m.poll()
	if !reflect.DeepEqual(m.view, running) {
		t.Errorf("dashboard runs %+v, the simulation %+v", m.view.DB, running.DB)
	}
}

// TestReconcileStopsOverselling is what a new user does with the naive
// flash sale: run it until it oversells, switch to row_lock (g), and see
// overselling go on, because row_lock trusts the counter naive
// corrupted; the stock panel says so. Then reconcile (e): the counter is
// set to the real stock, and overselling stops.
func TestReconcileStopsOverselling(t *testing.T) {
	m, st := newTestModel(t, loadPreset(t, "flash-sale-naive"), "flash-sale-naive", 80, 24)
	stock := func() *sim.StockSummary { return st.eng.sim.Snapshot().Summary.Stock }
	runFor(m, 25*time.Second)
	if stock().Oversold == 0 {
		t.Fatalf("the naive sale did not oversell in 25 s: %+v", stock())
	}
	press(m, "g")
	runFor(m, time.Second)
	switched := stock()
	runFor(m, 5*time.Second)
	still := stock()
	if still.Oversold <= switched.Oversold {
		t.Fatalf("row_lock after naive oversold nothing more (%d → %d): the counter was right?", switched.Oversold, still.Oversold)
	}
	// row_lock's buyers lose no update of each other's; only in the
	// first moments, while naive buyers that ignore the lock finish, can
	// a row_lock write-back overwrite one of theirs
	own := func(st *sim.StockSummary) int64 { return st.Phases[len(st.Phases)-1].LostUpdates }
	if own(switched) != own(still) || own(still) > 10 {
		t.Errorf("row_lock's own lost updates went %d → %d: want a few at the switch at most, then none", own(switched), own(still))
	}
	v := screen(m)
	if !containsAll(v, "row_lock since 25.0s: ", " lost updates", "counter was", "too high", "e reconciles") {
		t.Errorf("the stock panel does not say why row_lock oversells:\n%s", v)
	}

	n := len(st.eng.sim.Log())
	press(m, "e")
	if got := m.statusView(); !strings.Contains(got, "stock reconciled") {
		t.Errorf("status %q", got)
	}
	if log := st.eng.sim.Log(); len(log) == n || !strings.Contains(log[len(log)-1].Text, "stock reconciled: the counter claimed") {
		t.Errorf("no log entry for the reconcile: %v", log[n:])
	}
	runFor(m, time.Second) // the buyer holding the lock commits
	fixed := stock()
	runFor(m, 20*time.Second)
	end := stock()
	checkConserved(t, m)
	if end.Oversold != fixed.Oversold {
		t.Errorf("oversold %d → %d after the reconcile", fixed.Oversold, end.Oversold)
	}
	if end.CounterError != 0 || end.LostUpdates != fixed.LostUpdates {
		t.Errorf("after the reconcile: counter %d off, lost updates %d → %d", end.CounterError, fixed.LostUpdates, end.LostUpdates)
	}
	if end.SoldOut <= fixed.SoldOut {
		t.Error("no buyer was told the stock is sold out")
	}
	if v := screen(m); !containsAll(v, "reconciled", "0 oversold since") {
		t.Errorf("the stock panel does not show the reconcile:\n%s", v)
	}
}
