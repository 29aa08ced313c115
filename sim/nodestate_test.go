package sim

import (
	"testing"
	"time"
)

// TestNodeStates: a snapshot says what each node does: up, down when
// taken down, draining while a removed node finishes its requests; and
// a node removed while down and added again is a new node, up, that
// takes requests.
func TestNodeStates(t *testing.T) {
	s := simulate(t, parse(t, `
workload: {rate: 200, requests: [{steps: [{cpu: exp(5ms)}, {io: 100ms}]}]}
app: {nodes: 3, cores: 2, workers: 8}
`), 0, 5*time.Second)
	states := func() []NodeStatus {
		var out []NodeStatus
		for _, n := range s.Snapshot().Nodes {
			out = append(out, n.State)
		}
		return out
	}
	expect := func(when string, want ...NodeStatus) {
		t.Helper()
		got := states()
		if len(got) != len(want) {
			t.Fatalf("%s: nodes %v, want %v", when, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: nodes %v, want %v", when, got, want)
			}
		}
	}
	expect("at the start", NodeUp, NodeUp, NodeUp)
	s.SetNodeUp(2, false)
	expect("node 3 taken down", NodeUp, NodeUp, NodeDown)

	// node 2 removed while busy drains; node 3, down, holds nothing and
	// leaves at once
	next := s.Topology()
	next.App.Nodes = 1
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	expect("nodes 2 and 3 removed", NodeUp, NodeDraining)
	s.Advance(s.Now() + time.Second)
	expect("node 2 drained", NodeUp)

	next.App.Nodes = 3
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	expect("nodes 2 and 3 added again", NodeUp, NodeUp, NodeUp)
	before := s.Snapshot().Nodes[2].InFlight
	s.Advance(s.Now() + 2*time.Second)
	checkConservation(t, s)
	checkActivities(t, s)
	n := s.Snapshot().Nodes[2]
	if n.Active != 8 || n.InFlight == 0 && before == 0 {
		t.Fatalf("node 3 added again: %d active workers, %d in flight", n.Active, n.InFlight)
	}
	if n.State.String() != "up" || NodeBooting.String() != "booting" || NodeDraining.String() != "draining" || NodeDown.String() != "down" {
		t.Fatalf("node states read %v %v %v %v", n.State, NodeBooting, NodeDraining, NodeDown)
	}
}
