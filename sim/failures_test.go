package sim

import (
	"math"
	"testing"
	"time"
)

// nextOps returns the time of the earliest pending ops event of kind k
// for id, or -1.
func nextOps(s *Sim, k opsKind, id int32) int64 {
	best := int64(-1)
	for _, e := range s.heap.events() {
		if e.kind == evOps && opsKind(e.sid) == k && e.id == id && (best < 0 || e.t < best) {
			best = e.t
		}
	}
	return best
}

// TestNodeFailuresAlternate: a node with failures {mtbf: 10s, mttr: 2s}
// is up a fraction 10/12 of the time and fails about once per 12 s, as
// an alternating renewal process of exponential up and down times does.
func TestNodeFailuresAlternate(t *testing.T) {
	long(t)
	const span = 2 * time.Hour
	top := parse(t, `
workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}]}
app: {nodes: 1}
failures: {nodes: {mtbf: 10s, mttr: 2s}}
`)
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	up, samples := 0, 0
	for at := 100 * time.Millisecond; at <= span; at += 100 * time.Millisecond {
		s.Advance(at)
		samples++
		if s.nodes[0].up {
			up++
		}
	}
	fails := float64(s.ops.failures.node[0].failures)
	// cycles of mean 12 s and variance 10² + 2² s²: the count's standard
	// deviation is sqrt(T σ² / μ³)
	mean := span.Seconds() / 12
	sd := math.Sqrt(span.Seconds() * 104 / (12 * 12 * 12))
	if math.Abs(fails-mean) > 4*sd {
		t.Errorf("%v failures in %v, want %.0f ± %.0f", fails, span, mean, 4*sd)
	}
	frac := float64(up) / float64(samples)
	if math.Abs(frac-10.0/12) > 0.02 {
		t.Errorf("up %.3f of the time, want %.3f", frac, 10.0/12)
	}
	checkConservation(t, s)
}

// TestNodeFailureFailsItsRequests: when a random failure takes a node
// down, every request it holds fails at that instant (those already
// answered and on their way back arrive), and the other node takes the
// traffic until the repair.
func TestNodeFailureFailsItsRequests(t *testing.T) {
	top := parse(t, `
workload: {rate: 40, requests: [{steps: [{cpu: 1ms}, {io: 500ms}]}]}
app: {nodes: 2, workers: 40}
failures: {nodes: {mtbf: 20s, mttr: 5s}}
`)
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 3; round++ {
		at := nextOps(s, opsNodeFail, 0)
		for at >= 0 && !s.nodes[0].up {
			s.Advance(time.Duration(at))
			at = nextOps(s, opsNodeFail, 0)
		}
		if at < 0 {
			t.Fatal("no failure pending for node 1")
		}
		s.Advance(time.Duration(at - 1))
		held := 0
		for id := range s.reqs {
			if r := &s.reqs[id]; r.state != stFree && r.node == 0 && r.state != stReply {
				held++
			}
		}
		before := s.Totals().FailedBy.NodeDown
		s.Advance(time.Duration(at))
		if s.nodes[0].up {
			t.Fatalf("node 1 still up after its failure at %v", time.Duration(at))
		}
		if got := s.Totals().FailedBy.NodeDown - before; got != uint64(held) {
			t.Errorf("failure at %v: %d requests failed, the node held %d", time.Duration(at), got, held)
		}
		if held == 0 {
			t.Errorf("failure at %v found the node idle: the test checks nothing", time.Duration(at))
		}
		repair := nextOps(s, opsNodeRepair, 0)
		s.Advance(time.Duration(repair - 1))
		// node 2 has a failure clock too: it takes the traffic if up
		if s.nodes[0].inflight != 0 || (s.nodes[1].up && s.nodes[1].inflight == 0) {
			t.Errorf("while node 1 is down: %d requests on it, %d on node 2", s.nodes[0].inflight, s.nodes[1].inflight)
		}
		s.Advance(time.Duration(repair))
		if !s.nodes[0].up && !s.nodes[1].up {
			t.Errorf("node 1 not repaired at %v", time.Duration(repair))
		}
	}
	checkConservation(t, s)
	checkNodes(t, s)
}

// TestFailureTimesFollowTheServer: a node's failure times are the same
// whatever the rest of the topology: its clock is a stream of its own.
func TestFailureTimesFollowTheServer(t *testing.T) {
	times := func(text string) []int64 {
		s, err := New(parse(t, text), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for len(out) < 5 {
			at := nextOps(s, opsNodeFail, 0)
			out = append(out, at)
			s.Advance(time.Duration(at))
		}
		return out
	}
	a := times(`
workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}
app: {nodes: 1}
failures: {nodes: {mtbf: 30s, mttr: 5s}}
`)
	b := times(`
workload: {rate: 300, requests: [{steps: [{cpu: 5ms}, {db: 1ms}]}]}
app: {nodes: 3, cores: 4, workers: 8}
failures: {nodes: {mtbf: 30s, mttr: 5s}}
`)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("failure clock ticks differ: %v and %v", a, b)
		}
	}
}

// replicated writes and reads on a primary with one replica.
const replicated = `
workload:
  rate: 200
  requests:
    - {name: w, steps: [{cpu: 1ms}, {write: exp(2ms)}]}
    - {name: r, steps: [{cpu: 1ms}, {read: exp(2ms)}]}
app: {nodes: 1, cores: 4, workers: 20}
db: {cores: 4, latency: 1ms, replicas: 1}
`

// TestRandomDBFailures: a failures section stops and repairs primaries
// at random; every request still ends once, and workers' counts agree.
func TestRandomDBFailures(t *testing.T) {
	top := parse(t, replicated+"failures: {db: {mtbf: 30s, mttr: 10s, failover: 3s}}\n")
	s := simulate(t, top, 0, 5*time.Minute)
	if s.ops.failures.server[1].failures == 0 {
		t.Fatal("no failure in 5 minutes of a 30 s MTBF")
	}
	if s.Totals().FailedBy.DBDown == 0 {
		t.Error("primary outages failed no request")
	}
	checkActivities(t, s)
}

// TestRandomCacheFailures: a failures section stops and restarts the
// cache at random: while it is down every read is a miss that runs its
// miss steps (the database takes them all) and nothing is set, so it
// comes back empty.
func TestRandomCacheFailures(t *testing.T) {
	top := parse(t, `
workload: {rate: 200, requests: [{steps: [{cpu: 1ms}, {cache: {miss: [{db: 2ms}]}}]}]}
app: {nodes: 1, cores: 2, workers: 8}
cache: {keys: {count: 1000, capacity: 1000}}
failures: {cache: {mtbf: 20s, mttr: 5s}}
`)
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	downs, samples := 0, 0
	for at := 100 * time.Millisecond; at <= 10*time.Minute; at += 100 * time.Millisecond {
		hits, wasDown := s.cache.hits, s.cache.down
		dbBefore := s.db.agg.arrivals
		s.Advance(at)
		samples++
		if !s.cache.down {
			continue
		}
		downs++
		if s.cache.lru.size != 0 {
			t.Fatalf("at %v the cache is down and holds %d keys", at, s.cache.lru.size)
		}
		if !wasDown {
			continue // it went down within this tenth of a second
		}
		if s.cache.hits != hits {
			t.Fatalf("at %v the cache is down and served %d hits", at, s.cache.hits-hits)
		}
		if s.db.agg.arrivals == dbBefore {
			t.Fatalf("at %v the cache is down and the database took no reads", at)
		}
	}
	frac := float64(downs) / float64(samples)
	// down 5 s of every 25 on average, over 24 cycles or so
	if frac < 0.1 || frac > 0.32 {
		t.Errorf("the cache was down %.2f of the time, want about 0.2", frac)
	}
	if s.ops.failures.server[cacheServer].failures < 10 {
		t.Errorf("%d cache failures in 10 minutes of a 20 s MTBF", s.ops.failures.server[cacheServer].failures)
	}
	checkConservation(t, s)
}
