package sim

import (
	"slices"
	"testing"
	"time"
)

// TestNodeRequestsAgreeWithScan checks, at every 10 ms of runs with
// hops from the balancer, backlogs, threads, greenlets and database
// calls, and with nodes taken down and brought back, that a node's
// requests found from its lists are those a walk over every request
// finds, in the same order.
func TestNodeRequestsAgreeWithScan(t *testing.T) {
	for _, app := range []string{
		`{nodes: 3, cores: 2, workers: 2, backlog: 50}`,
		`{nodes: 3, cores: 2, workers: 2, model: threads, concurrency: 4, backlog: unlimited}`,
		`{nodes: 2, cores: 1, workers: 2, model: gevent, concurrency: 20, backlog: 100}`,
	} {
		s, err := New(parse(t, `
workload: {rate: 2500, requests: [{steps: [{cpu: exp(2ms)}, {db: exp(1ms)}, {cpu: exp(1ms)}]}]}
app: `+app+`
lb: {policy: round_robin, latency: 2ms}
db: {cores: 4}
`), Options{})
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for ms := 10; ms <= 4000; ms += 10 {
			s.Advance(time.Duration(ms) * time.Millisecond)
			for ni := range s.nodes {
				var want []int32
				for id := range s.reqs {
					if r := &s.reqs[id]; r.state != stFree && int(r.node) == ni && r.state != stReply {
						want = append(want, int32(id))
					}
				}
				got := s.nodeRequests(ni)
				if !slices.Equal(got, want) {
					t.Fatalf("%s at %dms, node %d: lists give %v, a walk %v", app, ms, ni, got, want)
				}
				seen += len(got)
			}
			if ms%500 == 0 {
				ni := (ms / 500) % len(s.nodes)
				s.SetNodeUp(ni, !s.nodes[ni].up)
			}
		}
		if seen == 0 {
			t.Fatalf("%s: no node ever had a request", app)
		}
	}
}
