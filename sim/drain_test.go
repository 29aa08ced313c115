package sim

import (
	"testing"
	"time"
)

// TestDrainServesItsBacklog: a node removed while its backlog holds
// requests serves them before it leaves; none is stranded or failed.
func TestDrainServesItsBacklog(t *testing.T) {
	s := simulate(t, parse(t, `
workload: {rate: 400, requests: [{steps: [{cpu: 1ms}, {io: 100ms}]}]}
app: {nodes: 2, cores: 2, workers: 10, backlog: 1000}
`), 0, 3*time.Second)
	queued := s.nodes[1].backlog.len()
	if queued == 0 {
		t.Fatal("node 2's backlog is empty: the test checks nothing")
	}
	next := s.Topology()
	next.App.Nodes = 1
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	failed := s.Totals().Failed
	s.Advance(s.Now() + time.Duration(queued/10+2)*150*time.Millisecond)
	if n := s.nodes[1]; n.inflight != 0 || n.backlog.len() != 0 {
		t.Fatalf("node 2 removed with %d in its backlog still holds %d requests, %d queued", queued, n.inflight, n.backlog.len())
	}
	if got := s.Totals().Failed; got != failed {
		t.Errorf("%d requests failed while node 2 drained", got-failed)
	}
	checkConservation(t, s)
	checkActivities(t, s)
}
