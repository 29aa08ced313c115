package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// leastConnScan is least_conn by a scan of the eligible nodes: the one
// with the fewest requests in flight, the first among equals.
func leastConnScan(s *Sim) int {
	if len(s.eligible) == 0 {
		return -1
	}
	best := s.eligible[0]
	for _, ni := range s.eligible[1:] {
		if s.nodes[ni].inflight < s.nodes[best].inflight {
			best = ni
		}
	}
	return int(best)
}

// TestLeastConnTreeAgreesWithScan runs least_conn over nodes taken down
// and up, added and removed, and checks at every millisecond that the
// tree picks the node a scan of every node would.
func TestLeastConnTreeAgreesWithScan(t *testing.T) {
	s, err := New(parse(t, `
workload: {rate: 3000, requests: [{steps: [{cpu: exp(2ms)}, {io: exp(5ms)}]}]}
app: {nodes: 6, cores: 2, workers: 4, backlog: 20}
lb: {policy: least_conn, latency: 200us}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	checked := 0
	for ms := 1; ms <= 3000; ms++ {
		s.Advance(time.Duration(ms) * time.Millisecond)
		if got, want := s.conns.best(), leastConnScan(s); got != want {
			t.Fatalf("at %dms: the tree picks node %d, a scan %d", ms, got, want)
		}
		checked++
		switch ms % 250 {
		case 0:
			s.SetNodeUp(rng.IntN(len(s.nodes)), rng.IntN(2) == 0)
		case 125:
			next := s.Topology()
			next.App.Nodes = 1 + rng.IntN(8)
			if err := s.Apply(next); err != nil {
				t.Fatal(err)
			}
		}
	}
	if s.Totals().Completed == 0 || checked == 0 {
		t.Fatal("nothing ran")
	}
}
