package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

// fixture loads testdata/name.yaml.
func fixture(t testing.TB, name string) *topology.Topology {
	t.Helper()
	top, err := topology.Load(filepath.Join("testdata", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return top
}

// TestEditKeys presses keys on a running dashboard and checks the
// topology it runs, the simulation's topology, the status line and the
// simulation's log.
func TestEditKeys(t *testing.T) {
	type check func(t *testing.T, top *topology.Topology)
	unchanged := check(nil)
	intIs := func(name string, field func(*topology.Topology) int, want int) check {
		return func(t *testing.T, top *topology.Topology) {
			if got := field(top); got != want {
				t.Errorf("%s = %d, want %d", name, got, want)
			}
		}
	}
	rateIs := func(want float64) check {
		return func(t *testing.T, top *topology.Topology) {
			if top.Workload.Rate != want {
				t.Errorf("rate = %v, want %v", top.Workload.Rate, want)
			}
		}
	}
	workers := func(top *topology.Topology) int { return top.App.Workers }
	nodes := func(top *topology.Topology) int { return top.App.Nodes }
	cores := func(top *topology.Topology) int { return top.App.Cores }
	conc := func(top *topology.Topology) int { return top.App.Concurrency }
	dbCores := func(top *topology.Topology) int { return top.DB.Cores }
	users := func(top *topology.Topology) int { return top.Workload.Users }
	capacity := func(top *topology.Topology) int { return top.Cache.Keys.Capacity }
	modelIs := func(want topology.Model, wantConc int) check {
		return func(t *testing.T, top *topology.Topology) {
			if top.App.Model != want || top.App.Concurrency != wantConc {
				t.Errorf("model %v ×%d, want %v ×%d", top.App.Model, top.App.Concurrency, want, wantConc)
			}
		}
	}
	cacheOff := func(want bool) check {
		return func(t *testing.T, top *topology.Topology) {
			if top.Cache.Disabled != want {
				t.Errorf("cache disabled = %v, want %v", top.Cache.Disabled, want)
			}
		}
	}
	hitIs := func(want float64) check {
		return func(t *testing.T, top *topology.Topology) {
			if top.Cache.HitRatio != want {
				t.Errorf("hit ratio = %v, want %v", top.Cache.HitRatio, want)
			}
		}
	}

	tests := []struct {
		name   string
		file   string
		keys   []string
		check  check
		status string
		logged bool // the change is noted in the simulation's log
	}{
		{"+ raises the rate", "web", []string{"+"}, rateIs(90), "✓ rate 80 → 90 req/s", true},
		{"= raises the rate", "web", []string{"="}, rateIs(90), "rate 80 → 90 req/s", true},
		{"- lowers the rate", "web", []string{"-"}, rateIs(70), "rate 80 → 70 req/s", true},
		{"+ climbs round numbers", "web", []string{"+", "+", "+", "+"}, rateIs(150), "rate 120 → 150 req/s", true},
		{"+ adds users", "offload", []string{"+"}, intIs("users", users, 250), "users 200 → 250", true},
		{"- removes users", "offload", []string{"-"}, intIs("users", users, 150), "users 200 → 150", true},
		{"w adds a worker", "web", []string{"w"}, intIs("workers", workers, 4), "workers 3 → 4", true},
		{"W removes a worker", "web", []string{"W"}, intIs("workers", workers, 2), "workers 3 → 2", true},
		{"W below one is refused", "web", []string{"W", "W", "W"}, unchanged,
			"✗ refused: app.workers: must be between 1 and 10000, got 0", false},
		{"n adds a node", "web", []string{"n"}, intIs("nodes", nodes, 2), "nodes 1 → 2", true},
		{"N removes a node", "cache", []string{"N"}, intIs("nodes", nodes, 1), "nodes 2 → 1", true},
		{"c adds a core", "web", []string{"c"}, intIs("cores", cores, 3), "cores per node 2 → 3", true},
		{"C removes a core", "web", []string{"C"}, intIs("cores", cores, 1), "cores per node 2 → 1", true},
		{"m: sync to threads", "web", []string{"m"}, modelIs(topology.Threads, 8), "model sync → threads (concurrency 8)", true},
		{"m: threads to gevent gives 100 greenlets", "cache", []string{"m"}, modelIs(topology.Gevent, 100), "model threads → gevent (concurrency 100)", true},
		{"m: threads to gevent keeps more threads", "cache", []string{"t", "t", "t", "t", "m"}, modelIs(topology.Gevent, 128), "model threads → gevent (concurrency 128)", true},
		{"m: gevent to sync", "offload", []string{"m"}, modelIs(topology.Sync, 1), "model gevent → sync", true},
		{"m m m: round trip", "web", []string{"m", "m", "m"}, modelIs(topology.Sync, 1), "model gevent → sync", true},
		{"t doubles threads", "cache", []string{"t"}, intIs("concurrency", conc, 16), "threads per worker 8 → 16", true},
		{"T halves threads", "cache", []string{"T"}, intIs("concurrency", conc, 4), "threads per worker 8 → 4", true},
		{"t doubles greenlets", "offload", []string{"t"}, intIs("concurrency", conc, 200), "greenlets per worker 100 → 200", true},
		{"t under sync explains", "web", []string{"t"}, unchanged, "sync workers serve one request each", false},
		{"k turns the cache off", "cache", []string{"k"}, cacheOff(true), "cache off", true},
		{"k k turns it on again", "cache", []string{"k", "k"}, cacheOff(false), "✓ cache on", true},
		{"k without a cache explains", "web", []string{"k"}, unchanged, "this topology has no cache", false},
		{"h raises the hit ratio", "cache", []string{"h"}, hitIs(0.85), "hit ratio 80% → 85%", true},
		{"H lowers the hit ratio", "cache", []string{"H"}, hitIs(0.75), "hit ratio 80% → 75%", true},
		{"h above 100% is refused", "cache", []string{"h", "h", "h", "h", "h"}, unchanged,
			"refused: cache.hit_ratio: must be between 0 and 1, got 1.05", false},
		{"h doubles a key space's capacity", "offload", []string{"h"}, intIs("capacity", capacity, 4000), "cache capacity 2000 → 4000 keys", true},
		{"H halves it", "offload", []string{"H"}, intIs("capacity", capacity, 1000), "cache capacity 2000 → 1000 keys", true},
		{"h without a cache explains", "web", []string{"h"}, unchanged, "this topology has no cache", false},
		{"d adds a db core", "web", []string{"d"}, intIs("db cores", dbCores, 5), "db cores 4 → 5", true},
		{"D removes a db core", "web", []string{"D"}, intIs("db cores", dbCores, 3), "db cores 4 → 3", true},
		{"f flushes the cache", "cache", []string{"f"}, unchanged, "cache flushed", true},
		{"f with the cache off explains", "cache", []string{"k", "f"}, unchanged, "the cache is off: k turns it on", false},
		{". while running explains", "web", []string{"."}, unchanged, "stepping works while paused", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, st := newTestModel(t, fixture(t, tc.file), tc.file, 100, 30)
			runFor(m, 2*time.Second)
			log := pressAndCheck(t, m, st, tc.keys, tc.check, tc.status, tc.logged)
			if tc.logged && !strings.Contains(tc.status, strings.TrimPrefix(log[len(log)-1].Text, "you: ")) &&
				!strings.Contains(log[len(log)-1].Text, strings.TrimPrefix(tc.status, "✓ ")) {
				t.Errorf("log %q does not match status %q", log[len(log)-1].Text, tc.status)
			}
		})
	}
}

// TestEditStartsNewWindow: an accepted edit restarts the measured window,
// so the stations table describes the new configuration.
func TestEditStartsNewWindow(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	runFor(m, 10*time.Second)
	if d := m.frame.Snap.Summary.DurationS; d < 9 {
		t.Fatalf("window %vs before the edit, want 10s", d)
	}
	press(m, "w")
	if d := m.frame.Snap.Summary.DurationS; d != 0 {
		t.Errorf("window %vs right after the edit, want 0", d)
	}
}

func TestControlKeys(t *testing.T) {
	t.Run("space pauses and resumes", func(t *testing.T) {
		m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		runFor(m, time.Second)
		press(m, " ")
		if !m.paused || !strings.Contains(m.statusView(), "paused") || !strings.Contains(m.headerView(), "paused") {
			t.Fatalf("not paused: %q / %q", m.statusView(), m.headerView())
		}
		at := m.frame.Snap.Now
		ticks(m, 20)
		if m.frame.Snap.Now != at {
			t.Errorf("time moved while paused: %v → %v", at, m.frame.Snap.Now)
		}
		press(m, " ")
		ticks(m, 1)
		if m.paused || m.frame.Snap.Now <= at {
			t.Errorf("not running after resume: paused %v, time %v", m.paused, m.frame.Snap.Now)
		}
	})
	t.Run(". steps one second while paused", func(t *testing.T) {
		m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		press(m, " ")
		at := m.frame.Snap.Now
		press(m, ".", ".", ".")
		if got := m.frame.Snap.Now - at; got != 3*time.Second {
			t.Errorf("three steps moved %v, want 3s", got)
		}
	})
	t.Run("> and < change the speed within bounds", func(t *testing.T) {
		m, st := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		press(m, ">")
		if got := speeds[m.speedIdx]; got != 20 || st.eng.speed != 20 {
			t.Errorf("speed %v (engine %v), want 20", got, st.eng.speed)
		}
		for range 20 {
			press(m, ">")
		}
		if got := speeds[m.speedIdx]; got != 1000 {
			t.Errorf("fastest %v, want 1000", got)
		}
		if m.keys.Faster.Enabled() {
			t.Error("> enabled at the fastest speed")
		}
		if !strings.Contains(m.statusView(), "already the fastest: 1000x") {
			t.Errorf("status %q", m.statusView())
		}
		for range 20 {
			press(m, "<")
		}
		if got := speeds[m.speedIdx]; got != 0.1 || st.eng.speed != 0.1 {
			t.Errorf("slowest %v (engine %v), want 0.1", got, st.eng.speed)
		}
		at := m.frame.Snap.Now
		ticks(m, 10)
		if got := m.frame.Snap.Now - at; got != 100*time.Millisecond {
			t.Errorf("10 ticks at 0.1x moved %v, want 100ms", got)
		}
	})
	t.Run("r resets the simulation, keeping the edits", func(t *testing.T) {
		m, st := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		runFor(m, 5*time.Second)
		press(m, "w", "r")
		if m.frame.Snap.Now != 0 || m.frame.Gen != 1 {
			t.Errorf("after reset: time %v gen %d", m.frame.Snap.Now, m.frame.Gen)
		}
		if m.view.App.Workers != 4 || st.eng.sim.Topology().App.Workers != 4 {
			t.Errorf("reset lost the edit: %d workers", m.view.App.Workers)
		}
		if st.eng.sim.Seed() != 7 {
			t.Errorf("seed %d after reset, want the topology's 7", st.eng.sim.Seed())
		}
		if tot := m.frame.Snap.Totals; tot.Arrived != 0 {
			t.Errorf("fresh simulation has %d arrivals", tot.Arrived)
		}
	})
	t.Run("x takes the only node down and back", func(t *testing.T) {
		m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		runFor(m, time.Second)
		press(m, "x")
		if m.frame.Snap.Nodes[0].Up {
			t.Fatal("node 1 still up")
		}
		if !strings.Contains(m.statusView(), "node 1 down") || !strings.Contains(m.diagram.View(), "DOWN") {
			t.Errorf("status %q; diagram:\n%s", m.statusView(), m.diagram.View())
		}
		runFor(m, 2*time.Second)
		if f := m.frame.Snap.Totals.Failed; f == 0 {
			t.Error("no request failed with the only node down")
		}
		press(m, "x")
		if !m.frame.Snap.Nodes[0].Up || !strings.Contains(m.statusView(), "node 1 back up") {
			t.Errorf("node 1 not back: %q", m.statusView())
		}
	})
	t.Run("x then a digit chooses among nodes", func(t *testing.T) {
		m, _ := newTestModel(t, fixture(t, "cache"), "cache", 100, 30)
		press(m, "x")
		if !strings.Contains(m.statusView(), "node to take down or up (1-2)") {
			t.Fatalf("no prompt: %q", m.statusView())
		}
		press(m, "7") // not a node: ignored
		press(m, "2")
		if !m.frame.Snap.Nodes[0].Up || m.frame.Snap.Nodes[1].Up {
			t.Errorf("nodes up: %v %v, want node 2 down", m.frame.Snap.Nodes[0].Up, m.frame.Snap.Nodes[1].Up)
		}
		press(m, "x", "esc")
		if m.prompt.kind != promptNone || !strings.Contains(m.statusView(), "cancelled") {
			t.Errorf("esc did not cancel: %q", m.statusView())
		}
	})
	t.Run("f flushes the cache in the simulation", func(t *testing.T) {
		m, st := newTestModel(t, fixture(t, "cache"), "cache", 100, 30)
		runFor(m, time.Second)
		press(m, "f")
		log := st.eng.sim.Log()
		if len(log) == 0 || log[len(log)-1].Text != "you: cache flushed" {
			t.Errorf("log %v", log)
		}
	})
	t.Run("? toggles the full help", func(t *testing.T) {
		m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		short := m.helpView()
		press(m, "?")
		if v := screen(m); !m.help.ShowAll || !containsAll(v, "faster", "reset", "WHAT THE NUMBERS MEAN", "p99 wait") {
			t.Errorf("full help and glossary not shown:\n%s", v)
		}
		press(m, "?")
		if m.help.ShowAll || m.helpView() != short {
			t.Error("? did not go back to the short help")
		}
	})
	t.Run("q quits", func(t *testing.T) {
		m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		_, cmd := m.Update(keyMsg("q"))
		if !m.quitting || cmd == nil {
			t.Fatal("q did not quit")
		}
	})
	t.Run("ctrl+c quits, even in a prompt", func(t *testing.T) {
		m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		press(m, "s")
		m.Update(keyMsg("ctrl+c"))
		if !m.quitting {
			t.Fatal("ctrl+c did not quit")
		}
	})
	t.Run("keys typed together count one by one", func(t *testing.T) {
		m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		press(m, "www")
		if m.view.App.Workers != 6 {
			t.Errorf("workers %d after www, want 6", m.view.App.Workers)
		}
	})
}

// TestDisabledBindings: help never shows a key that does nothing.
func TestDisabledBindings(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 200, 40)
	help := func() string { m.help.ShowAll = true; return m.help.View(m.keys) }
	for _, dead := range []string{"t/T", "cache on/off", "hit ratio", "flush", "step 1s"} {
		if strings.Contains(help(), dead) {
			t.Errorf("help shows %q for a topology without it:\n%s", dead, help())
		}
	}
	press(m, "m", " ")
	for _, live := range []string{"threads ×2/÷2", "step 1s", "resume"} {
		if !strings.Contains(help(), live) {
			t.Errorf("help lacks %q:\n%s", live, help())
		}
	}
	m2, _ := newTestModel(t, fixture(t, "offload"), "offload", 200, 40)
	m2.help.ShowAll = true
	if h := m2.help.View(m2.keys); !strings.Contains(h, "greenlets ×2/÷2") || !strings.Contains(h, "cache size ×2/÷2") || !strings.Contains(h, "+/- users") {
		t.Errorf("help for gevent, keys and users:\n%s", h)
	}
}
