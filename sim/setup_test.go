package sim

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"scalesim/topology"
)

// bigNode is one node of n sync workers with a little traffic.
func bigNode(t testing.TB, nodes, workers int) *topology.Topology {
	return parse(t, fmt.Sprintf(`
workload: {rate: 1000, requests: [{steps: [{cpu: exp(1ms)}, {io: exp(50ms)}]}]}
app: {nodes: %d, cores: 4, workers: %d}
`, nodes, workers))
}

// TestSetupVisitsEachWorkerAFewTimes builds nodes and rebuilds them by
// live edits (more workers, fewer, a reload to threads, nodes removed
// and added back, a node down and up) and checks that the loops over
// workers visit each a bounded number of times: set-up is linear in
// workers, whatever their number.
func TestSetupVisitsEachWorkerAFewTimes(t *testing.T) {
	const perWorker = 8
	for _, workers := range []int{100, 4000} {
		s, err := New(bigNode(t, 2, workers), Options{})
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, touched int) {
			t.Helper()
			if s.visits > uint64(perWorker*touched) {
				t.Fatalf("%d workers: %s visited %d worker entries, more than %d per worker of the %d touched",
					workers, what, s.visits, perWorker, touched)
			}
			checkNodes(t, s)
			s.visits = 0
		}
		check("New", 2*workers)
		s.Advance(time.Second)
		edit := func(what string, touched int, f func(t *topology.Topology)) {
			t.Helper()
			next := s.Topology()
			f(next)
			if err := s.Apply(next); err != nil {
				t.Fatal(err)
			}
			check(what, touched)
			s.Advance(s.Now() + time.Second)
			checkConservation(t, s)
			checkActivities(t, s)
		}
		edit("doubling the workers", 4*workers, func(t *topology.Topology) { t.App.Workers *= 2 })
		edit("halving them", 4*workers, func(t *topology.Topology) { t.App.Workers /= 2 })
		edit("a reload to threads", 4*workers, func(t *topology.Topology) {
			t.App.Model, t.App.Concurrency = topology.Threads, 2
		})
		edit("removing a node", 4*workers, func(t *topology.Topology) { t.App.Nodes = 1 })
		edit("adding it back", 4*workers, func(t *topology.Topology) { t.App.Nodes = 2 })
		s.SetNodeUp(0, false)
		s.SetNodeUp(0, true)
		check("a node down and up", 4*workers)
	}
}

// TestNewAllocatesLinearlyInWorkers builds a node of 1000 and one of
// 8000 workers: the second may allocate no more than about eight times
// what the first does.
func TestNewAllocatesLinearlyInWorkers(t *testing.T) {
	allocs := func(workers int) float64 {
		top := bigNode(t, 1, workers)
		return testing.AllocsPerRun(3, func() {
			if _, err := New(top, Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(1000), allocs(8000)
	if large > 8*small {
		t.Fatalf("New allocated %.0f times for 1000 workers and %.0f for 8000: more than linear", small, large)
	}
}

// checkNodes asserts that each node's running counts agree with a walk
// over its workers.
func checkNodes(t testing.TB, s *Sim) {
	t.Helper()
	for ni, n := range s.nodes {
		var active, retiring, respawning, slots int
		var act [numActivities]int32
		for wi := range n.workers {
			w := &n.workers[wi]
			if w.gone {
				continue
			}
			switch {
			case w.killed:
				respawning++
			case w.retiring:
				retiring++
			default:
				active++
			}
			slots += w.slots
			for k, c := range w.act {
				act[k] += c
			}
		}
		if n.active != active || n.retiring != retiring || n.respawning != respawning || n.slots != slots || n.act != act {
			t.Fatalf("node %d counts active %d, retiring %d, respawning %d, slots %d, activities %v; its workers give %d, %d, %d, %d, %v",
				ni, n.active, n.retiring, n.respawning, n.slots, n.act, active, retiring, respawning, slots, act)
		}
		gone := 0
		for wi := range n.workers {
			if n.workers[wi].gone {
				gone++
			}
		}
		// the worker that takes the next request, by a scan
		want, most := int32(-1), 0
		for wi := range n.workers {
			w := &n.workers[wi]
			if f := w.slots - w.busy; w.active() && f > most {
				want, most = int32(wi), f
			}
		}
		if got := n.freeWorker(); got != want {
			t.Fatalf("node %d: the next request goes to worker %d, a scan says %d", ni, got, want)
		}
		if len(n.gone) != gone {
			t.Fatalf("node %d lists %d exited workers, %d are", ni, len(n.gone), gone)
		}
	}
}

// TestSnapshotGrowsWithNodesNotWorkers: a snapshot lists workers one by
// one only for nodes of a few, and never more than maxDetailTotal in
// all; the slot totals of every node agree with its workers.
func TestSnapshotGrowsWithNodesNotWorkers(t *testing.T) {
	for _, c := range []struct{ nodes, workers int }{{2, 5000}, {40, 60}, {3, 8}} {
		s, err := New(bigNode(t, c.nodes, c.workers), Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(2 * time.Second)
		snap := s.Snapshot()
		listed := 0
		for i, n := range snap.Nodes {
			listed += len(n.Workers)
			if len(n.Workers) > MaxWorkerDetail {
				t.Fatalf("%d×%d: node %d lists %d workers", c.nodes, c.workers, i+1, len(n.Workers))
			}
			if n.Active != c.workers || n.Slots.Slots != c.workers {
				t.Fatalf("%d×%d: node %d has %d active workers and %d slots", c.nodes, c.workers, i+1, n.Active, n.Slots.Slots)
			}
			sl := n.Slots
			if busy := sl.CPU + sl.WaitGIL + sl.WaitCore + sl.IO + sl.DB + sl.Cache + sl.Offload; busy > sl.Slots-sl.Idle {
				t.Fatalf("%d×%d: node %d: %d slots busy at something, %d busy", c.nodes, c.workers, i+1, busy, sl.Slots-sl.Idle)
			}
			if n.Detailed() {
				var sum WorkerState
				for _, w := range n.Workers {
					sum.Slots += w.Slots
					sum.Idle += w.Idle
					sum.CPU += w.CPU
					sum.IO += w.IO
				}
				if sum.Slots != sl.Slots || sum.Idle != sl.Idle || sum.CPU != sl.CPU || sum.IO != sl.IO {
					t.Fatalf("%d×%d: node %d: workers add up to %+v, its totals say %+v", c.nodes, c.workers, i+1, sum, sl)
				}
			}
		}
		if listed > maxDetailTotal {
			t.Fatalf("%d×%d: %d workers listed, more than %d", c.nodes, c.workers, listed, maxDetailTotal)
		}
		if small := c.workers <= MaxWorkerDetail && c.nodes*c.workers <= maxDetailTotal; small && listed != c.nodes*c.workers {
			t.Fatalf("%d×%d: %d workers listed, want every one", c.nodes, c.workers, listed)
		}
		checkNodes(t, s)
	}
}

// TestLimitsFitInMemory builds topologies at the validator's limits
// (worker processes, rows, stock items, key space, users) and checks
// what they hold after a simulated second: well under a gigabyte each,
// so that any valid file runs on an ordinary machine.
func TestLimitsFitInMemory(t *testing.T) {
	long(t)
	for _, text := range []string{`
workload: {rate: 1000, requests: [{steps: [{cpu: 1ms}, {cache: {miss: [{read: 1ms}]}}, {buy: 1ms}]}]}
app: {nodes: 1000, workers: 1000, timeout: 1s}
db: {rows: 10000000, replicas: 63}
cache: {keys: {count: 100000000, capacity: 10000000}}
stock: {items: 1000000, quantity: 10}
`, `
workload: {users: 1000000, think: exp(1s), requests: [{steps: [{cpu: 1us}]}]}
app: {nodes: 100, workers: 10000}
`} {
		top := parse(t, text)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := New(top, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.AdvanceBudget(time.Second, 5_000_000)
		runtime.GC()
		runtime.ReadMemStats(&after)
		held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		if held > 1<<30 {
			t.Fatalf("%d MB held by\n%s", held>>20, text)
		}
		t.Logf("%d MB", held>>20)
		runtime.KeepAlive(s)
	}
}
