package sim

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
	"time"

	"scalesim/topology"
)

const mixed = `
name: mixed
seed: 7
workload:
  rate: 400
  requests:
    - {name: page, share: 3, steps: [{cpu: exp(4ms)}, {io: exp(20ms)}, {cache: {miss: [{db: exp(3ms)}]}}]}
    - {name: report, share: 1, steps: [{cpu: "lognormal(30ms, 1.5)"}, {db: exp(20ms)}, {offload: exp(40ms)}]}
app: {nodes: 2, cores: 2, workers: 3, model: threads, concurrency: 4, backlog: 30, timeout: 300ms}
lb: {policy: least_conn, latency: 1ms}
db: {cores: 2, latency: 500us}
cache: {net_latency: 200us, keys: {count: 5000, zipf: 0.9, capacity: 500, ttl: 2s}}
offload: {cores: 2, speed: 4, latency: 1ms}
`

// nogilMixed is threads whose pages write outside the GIL: nogil steps
// after Python, after a wait, one after another, and last; harakiri kills
// some of them on their way.
const nogilMixed = `
workload:
  rate: 300
  requests:
    - {name: page, share: 3, steps: [{cpu: exp(3ms)}, {nogil: exp(500us)}, {io: exp(5ms)}, {nogil: 100us}, {nogil: 30us}]}
    - {name: hog, share: 1, steps: [{cpu: exp(20ms)}, {nogil: 30us}]}
app: {nodes: 2, cores: 2, workers: 2, model: threads, concurrency: 4, backlog: 30, timeout: 40ms, switch_interval: 1ms}
`

func TestSameSeedSameSummary(t *testing.T) {
	run := func(seed uint64) []byte {
		s, err := New(parse(t, mixed), Options{Seed: seed, Warmup: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(30 * time.Second)
		b, err := json.Marshal(s.Summary())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := run(3), run(3)
	if string(a) != string(b) {
		t.Fatalf("two runs with seed 3 differ:\n%s\n%s", a, b)
	}
	if string(a) == string(run(4)) {
		t.Fatalf("seeds 3 and 4 gave the same run")
	}
}

func TestTimeoutsFailRequestsAndFreeTheirSlots(t *testing.T) {
	s := simulate(t, parse(t, mixed), time.Second, 60*time.Second)
	c := s.Totals()
	if c.Failed == 0 || c.Dropped == 0 || c.Completed == 0 {
		t.Fatalf("want completions, drops and timeouts under this load, got %+v", c)
	}
	// once the load stops, everything in flight drains: no slot, lock or
	// core leaked by a killed request
	drain(t, s)
}

// drain stops the arrivals, lets everything in flight finish, and checks
// that nothing is left holding a slot, a lock, a core or a server.
func drain(t *testing.T, s *Sim) {
	t.Helper()
	next := s.Topology()
	next.Workload.Rate = 1e-9
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	s.Advance(s.Now() + 60*time.Second)
	checkConservation(t, s)
	if n := s.Totals().InFlight; n != 0 {
		t.Fatalf("%d requests still in flight after draining", n)
	}
	snap := s.Snapshot()
	for i, n := range snap.Nodes {
		if n.BusyCores != 0 || n.CoreQueue != 0 || n.Backlog != 0 {
			t.Errorf("node %d not idle: %+v", i, n)
		}
		for j, w := range n.Workers {
			if w.Idle != w.Slots {
				t.Errorf("node %d worker %d not idle: %+v", i, j, w)
			}
		}
	}
	for _, st := range snap.Shared {
		if st.Busy != 0 || st.Queue != 0 {
			t.Errorf("%s not idle: %+v", st.Name, st)
		}
	}
	for sid := sidDB; sid < len(s.stations); sid++ {
		if p := &s.stations[sid].db.pool; p.busy != 0 || p.q.len() != 0 {
			t.Errorf("%s's pooler: %d busy, %d waiting", s.stations[sid].name, p.busy, p.q.len())
		}
	}
	m := &s.stock
	if m.locks.busy != 0 || m.locks.queued != 0 || m.orders.len() != 0 || m.busyConsumers != 0 {
		t.Errorf("stock not idle: %d locks held, %d waiting, %d orders queued, %d consumers busy",
			m.locks.busy, m.locks.queued, m.orders.len(), m.busyConsumers)
	}
}

// TestRandomEditsKeepConservation applies random live edits while the
// simulation runs, and checks that no request is ever lost or invented.
func TestRandomEditsKeepConservation(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		s, err := New(parse(t, mixed), Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for step := 0; step < 60; step++ {
			s.Advance(s.Now() + time.Duration(rng.IntN(500))*time.Millisecond)
			next := s.Topology()
			a := &next.App
			switch rng.IntN(12) {
			case 0:
				a.Workers = 1 + rng.IntN(6)
			case 1:
				a.Nodes = 1 + rng.IntN(4)
			case 2:
				a.Cores = 1 + rng.IntN(4)
			case 3:
				a.Model = topology.Model(rng.IntN(3))
				a.Concurrency = 1
				if a.Model != topology.Sync {
					a.Concurrency = 1 + rng.IntN(50)
				}
			case 4:
				next.DB.Cores = 1 + rng.IntN(4)
			case 5:
				next.Cache.Disabled = !next.Cache.Disabled
			case 6:
				next.Cache.Keys.Capacity = 1 + rng.IntN(5000)
			case 7:
				next.Workload.Rate = float64(50 + rng.IntN(800))
			case 8:
				s.SetNodeUp(rng.IntN(a.Nodes), rng.IntN(2) == 0)
			case 9:
				s.FlushCache()
			case 10:
				a.Backlog = rng.IntN(50)
				a.Memory = int64(1+rng.IntN(8)) << 28
			case 11:
				next.Offload.Cores = 1 + rng.IntN(4)
				a.GIL = rng.IntN(2) == 0
			}
			if err := s.Apply(next); err != nil {
				continue // an edit the validator refuses changes nothing
			}
			checkConservation(t, s)
			checkActivities(t, s)
			if t.Failed() {
				t.Fatalf("seed %d, step %d", seed, step)
			}
		}
		if s.Totals().Completed == 0 {
			t.Fatalf("seed %d: nothing completed", seed)
		}
	}
}

func TestApplyRefusesInvalidTopology(t *testing.T) {
	s, err := New(parse(t, mixed), Options{})
	if err != nil {
		t.Fatal(err)
	}
	bad := s.Topology()
	bad.App.Workers = 0
	if err := s.Apply(bad); err == nil {
		t.Fatal("Apply accepted zero workers")
	}
	if got := s.Topology(); !reflect.DeepEqual(got, parse(t, mixed)) {
		t.Fatal("a refused edit changed the topology")
	}
}

func TestNodeDownFailsItsRequestsAndComesBack(t *testing.T) {
	top := parse(t, `
workload: {rate: 200, requests: [{steps: [{cpu: exp(5ms)}, {io: 100ms}]}]}
app: {nodes: 2, cores: 2, workers: 8}
`)
	s := simulate(t, top, 0, 10*time.Second)
	before := s.Totals().Failed
	s.SetNodeUp(0, false)
	if s.Totals().Failed <= before {
		t.Fatal("taking a busy node down failed no request")
	}
	s.Advance(20 * time.Second)
	checkConservation(t, s)
	if got := s.Snapshot().Nodes[0]; got.Up || got.InFlight != 0 {
		t.Fatalf("node 1 while down: %+v", got)
	}
	s.SetNodeUp(0, true)
	s.Advance(30 * time.Second)
	checkConservation(t, s)
	if got := s.Snapshot().Nodes[0]; !got.Up || len(got.Workers) != 8 {
		t.Fatalf("node 1 back up: up %v with %d workers", got.Up, len(got.Workers))
	}
}

func TestMemoryLimitsWorkersThroughTheOOMKiller(t *testing.T) {
	// 1 GiB holds 7 workers of 140 MiB; the eighth is killed.
	s := simulate(t, parse(t, `
workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}
app: {workers: 8, memory: 1GiB, worker_memory: 140MiB, slot_memory: 0}
`), 0, time.Second)
	n := s.Snapshot().Nodes[0]
	if len(n.Workers) != 7 || n.OOMKills != 1 {
		t.Fatalf("got %d workers and %d OOM kills, want 7 and 1", len(n.Workers), n.OOMKills)
	}
}

func TestSteadyStateAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what allocates; go test without -race counts them")
	}
	for _, text := range []string{mixed, nogilMixed} {
		steadyStateAllocs(t, text)
	}
}

// steadyStateAllocs fails t if text's run allocates in its steady state
// (TestSteadyStateAllocatesNothing).
func steadyStateAllocs(t *testing.T, text string) {
	t.Helper()
	s, err := New(parse(t, text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(20 * time.Second) // grow every free list and queue
	// Each simulated second is about 5000 events and allocates nothing;
	// the ticks' own series points are preallocated. The only
	// allocations allowed are the event log's lines (a second with
	// timeouts or drops says so in one formatted line, a few
	// allocations), counted apart: perLine is what one line costs,
	// twice over for lines with more arguments.
	probe, err := New(parse(t, text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	perLine := uint64(2 * testing.AllocsPerRun(20, func() {
		n++
		probe.logf("requests timing out (harakiri after %v): %d in the last second", time.Duration(n), n)
	}))
	// Besides, a queue that reaches a new longest length doubles its
	// ring (amortised: a few times in a run, never per event), and the
	// runtime's own goroutines allocate now and then: a slack of 8 over
	// 30 seconds, against the 150,000 events that one allocation per
	// event would give.
	const slack = 8
	var before, after runtime.MemStats
	lines := s.log.formatted
	runtime.ReadMemStats(&before)
	s.Advance(s.Now() + 30*time.Second)
	runtime.ReadMemStats(&after)
	allocs, lines := after.Mallocs-before.Mallocs, s.log.formatted-lines
	if allocs > perLine*lines+slack {
		t.Fatalf("%d allocations in 30 s of steady state, with %d log lines of %d allocations at most", allocs, lines, perLine)
	}
}
