package sim

import (
	"fmt"
	"testing"
	"time"

	"scalesim/theory"
)

// offloadOnly sends every request's one step to an offload service of
// two 2-core nodes behind a balancer of the given policy: 320 calls a
// second of exp(10ms), rho = 0.8.
func offloadOnly(policy string) string {
	return fmt.Sprintf(`
workload: {rate: 320, requests: [{steps: [{offload: exp(10ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
offload: {nodes: 2, cores: 2, policy: %s}
`, policy)
}

func TestOffloadNodesAreSeparateQueues(t *testing.T) {
	long(t)
	// A random balancer splits the Poisson stream into two of half the
	// rate: each node is an M/M/2 at a = 1.6, Wq = C(2, 1.6) / (2 mu -
	// lambda/2) = 17.8 ms. One pool of four cores (M/M/4 at a = 3.2)
	// would wait 7.5 ms: the cores of one node cannot take another's
	// calls. Over 2000 s seeds spread the mean wait by about 2%; over
	// 4000 s (1.3M calls) its standard error is about 1.5%, and 5% is
	// over 3 sigma.
	const mu, lambda = 100.0, 320.0
	separate := theory.MMc{Lambda: lambda / 2, Mu: mu, C: 2}.Wq().Seconds() * 1e3 // ms
	pooled := theory.MMc{Lambda: lambda, Mu: mu, C: 4}.Wq().Seconds() * 1e3
	s := simulate(t, parse(t, offloadOnly("random")), 20*time.Second, 4000*time.Second)
	sum := s.Summary()
	st := stationOf(t, sum, "offload")
	expectNear(t, "offload wait (ms)", st.WaitMsMean, separate, 0.05)
	expectNear(t, "offload utilisation", st.Utilization, 0.8, 0.01)
	expectNear(t, "mean latency (ms)", sum.LatencyMs.Mean, separate+10, 0.03)
	if st.Servers != 4 {
		t.Errorf("offload servers %d, want the 4 cores of both nodes", st.Servers)
	}

	// Balancers that look beat the coin: round robin alternates (each
	// node sees Erlang-2 arrivals, less bursty: 12 ms), least_conn sends
	// to the emptier node (8 ms); neither reaches the pooled M/M/4, since
	// a call queued at one node stays there when the other frees a core.
	waits := map[string]float64{}
	for _, policy := range []string{"round_robin", "least_conn"} {
		waits[policy] = stationOf(t, simulate(t, parse(t, offloadOnly(policy)), 20*time.Second, 2000*time.Second).Summary(), "offload").WaitMsMean
	}
	if !(waits["least_conn"] < waits["round_robin"] && waits["round_robin"] < separate*0.9 && waits["least_conn"] > pooled) {
		t.Errorf("waits: random %.2f ms, round_robin %.2f, least_conn %.2f, M/M/4 %.2f: want random > round_robin > least_conn > M/M/4",
			st.WaitMsMean, waits["round_robin"], waits["least_conn"], pooled)
	}
}

func TestOffloadNodesChangeLive(t *testing.T) {
	// Nodes removed finish the calls they hold; added ones take calls at
	// once; the counts stay right.
	top := parse(t, offloadOnly("least_conn"))
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, nodes := range []int{4, 1, 3, 2} {
		s.Advance(time.Duration(i+1) * 2 * time.Second)
		top.Offload.Nodes = nodes
		if err := s.Apply(top); err != nil {
			t.Fatal(err)
		}
		checkConservation(t, s)
		checkActivities(t, s)
		st := &s.stations[sidOffload]
		busy, queued, cores := 0, 0, 0
		for k := range s.offload.nodes {
			n := &s.offload.nodes[k]
			busy += n.busy
			queued += n.q.len()
			cores += n.cores
			if n.calls != n.busy+n.q.len() {
				t.Fatalf("node %d holds %d calls, %d busy + %d queued", k, n.calls, n.busy, n.q.len())
			}
		}
		if busy != st.stats.busy || queued != st.stats.queued || cores != st.stats.servers {
			t.Fatalf("after %d nodes: nodes' busy %d queued %d cores %d, station's %d %d %d", nodes, busy, queued, cores, st.stats.busy, st.stats.queued, st.stats.servers)
		}
	}
	s.Advance(12 * time.Second)
	if len(s.offload.nodes) != 2 {
		t.Errorf("%d offload nodes kept, want 2 once the removed ones drained", len(s.offload.nodes))
	}
}
