package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestFifoRemoveKeepsOrder pushes, pops and removes at random, by
// position and by id, against a plain slice.
func TestFifoRemoveKeepsOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var q fifo
	var want []int32
	pos := map[int32]uint64{}
	next := int32(0)
	for step := 0; step < 20000; step++ {
		switch k := rng.IntN(10); {
		case k < 5:
			pos[next] = q.push(next)
			want = append(want, next)
			next++
		case k < 7 && len(want) > 0:
			if got := q.pop(); got != want[0] {
				t.Fatalf("step %d: pop %d, want %d", step, got, want[0])
			}
			want = want[1:]
		case len(want) > 0:
			i := rng.IntN(len(want))
			id := want[i]
			ok := false
			if k == 9 {
				ok = q.remove(id)
			} else {
				ok = q.removeAt(pos[id], id)
			}
			if !ok {
				t.Fatalf("step %d: %d not found", step, id)
			}
			want = append(want[:i], want[i+1:]...)
			if q.removeAt(pos[id], id) {
				t.Fatalf("step %d: %d removed twice", step, id)
			}
		}
		if q.len() != len(want) {
			t.Fatalf("step %d: len %d, want %d", step, q.len(), len(want))
		}
	}
}

// TestNodeDownIsLinearInItsRequests takes down a node with a long
// backlog, long core and GIL queues and a long database queue: killing
// each request finds it in its queue without a scan, so the work is
// linear in the requests (a scan per kill was quadratic: minutes for a
// backlog of a few hundred thousand).
func TestNodeDownIsLinearInItsRequests(t *testing.T) {
	s, err := New(parse(t, `
workload: {rate: 20000, requests: [{steps: [{cpu: exp(1ms)}, {db: exp(1ms)}]}]}
app: {nodes: 2, cores: 1, workers: 50, model: threads, concurrency: 20, backlog: unlimited}
db: {cores: 1}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(1500 * time.Millisecond)
	inflight := s.Totals().InFlight
	if db := s.Snapshot().Shared[0]; db.Queue < 100 {
		t.Fatalf("the database queue is %d", db.Queue)
	}
	if n := s.Snapshot().Nodes[0]; n.Backlog < 10000 || n.CoreQueue < 20 {
		t.Fatalf("the node is not loaded enough to tell: backlog %d, core queue %d", n.Backlog, n.CoreQueue)
	}
	s.visits = 0
	s.SetNodeUp(0, false)
	if s.visits > 4*inflight {
		t.Fatalf("taking down a node with %d requests in flight visited %d queue entries", inflight, s.visits)
	}
	checkConservation(t, s)
	checkActivities(t, s)
	s.Advance(4 * time.Second)
	checkConservation(t, s)
}
