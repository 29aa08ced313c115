package sim

import (
	"fmt"
	"testing"
	"time"
)

// Scaling benchmarks: each runs one mechanism from one node (or a few
// workers) to the limits Validate allows, and reports the cost per unit
// of work (ns/request, ns/killed, ns/slot). The figure must stay flat
// along a row: a cost that grows with the nodes or the workers is a scan
// of something that did not change. BenchmarkNewLarge (set-up per worker
// slot) and BenchmarkApplyLarge (live edits) are in bench_test.go.

// BenchmarkScaleLeastConn is least_conn over 1 to 1,000 nodes, each at
// the same load, beside round_robin, which picks without looking at the
// nodes: the two must cost the same at every size. (Both cost more per
// request with more nodes, as the event heap and the nodes' state
// outgrow the caches; that is the same for every policy.)
func BenchmarkScaleLeastConn(b *testing.B) {
	for _, nodes := range []int{1, 10, 100, 1000} {
		for _, policy := range []string{"round_robin", "least_conn"} {
			b.Run(fmt.Sprintf("nodes=%d/%s", nodes, policy), func(b *testing.B) {
				benchRunAfter(b, fmt.Sprintf(`
workload: {rate: %d, requests: [{steps: [{cpu: exp(10ms)}]}]}
app: {nodes: %d, cores: 4, workers: 4, backlog: unlimited}
lb: {policy: %s}
`, 300*nodes, nodes, policy), time.Second)
			})
		}
	}
}

// BenchmarkScaleBusyWorkers is one node of 10 to 10,000 sync workers (the most a node may have),
// nine in ten busy: admission must find a free worker without a scan.
func BenchmarkScaleBusyWorkers(b *testing.B) {
	for _, workers := range []int{10, 100, 1000, 10_000} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			benchRunAfter(b, fmt.Sprintf(`
workload: {rate: %d, requests: [{steps: [{cpu: exp(10us)}, {io: exp(100ms)}]}]}
app: {cores: 64, workers: %d, backlog: unlimited}
`, 9*workers, workers), time.Second)
		})
	}
}

// BenchmarkScaleNodeDown takes down one node whose backlog holds
// backlog requests, beside other nodes with backlogs of their own, and
// reports the cost per request it kills: flat in the backlog's length
// (each leaves its queue in O(1)) and in the other nodes' requests.
func BenchmarkScaleNodeDown(b *testing.B) {
	for _, c := range []struct{ nodes, backlog int }{{1, 1000}, {1, 10_000}, {1, 100_000}, {10, 10_000}, {40, 10_000}} {
		b.Run(fmt.Sprintf("nodes=%d/backlog=%d", c.nodes, c.backlog), func(b *testing.B) {
			top := parse(b, fmt.Sprintf(`
workload: {rate: %d, requests: [{steps: [{cpu: 10s}]}]}
app: {nodes: %d, cores: 1, workers: 1, backlog: unlimited}
`, c.nodes*c.backlog, c.nodes))
			var killed uint64
			var spent time.Duration
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s, err := New(top, Options{MaxInFlight: 1_000_000})
				if err != nil {
					b.Fatal(err)
				}
				s.Advance(time.Second)
				before := s.Totals().FailedBy.NodeDown
				t0 := time.Now()
				s.SetNodeUp(0, false)
				spent += time.Since(t0)
				killed += s.Totals().FailedBy.NodeDown - before
			}
			if killed < uint64(b.N*c.backlog/2) {
				b.Fatalf("%d requests killed in %d runs, want about %d each", killed, b.N, c.backlog)
			}
			b.ReportMetric(float64(spent.Nanoseconds())/float64(killed), "ns/killed")
		})
	}
}

// BenchmarkScaleSnapshot reads the dashboard's snapshot of topologies
// of 1,000 to a million workers: its cost grows with the nodes, not the
// workers.
func BenchmarkScaleSnapshot(b *testing.B) {
	for _, c := range []struct{ nodes, workers int }{{1, 100}, {1, 10_000}, {1000, 1}, {1000, 100}, {1000, 1000}} {
		b.Run(fmt.Sprintf("%dx%d", c.nodes, c.workers), func(b *testing.B) {
			s, err := New(bigNode(b, c.nodes, c.workers), Options{})
			if err != nil {
				b.Fatal(err)
			}
			s.Advance(time.Second)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = s.Snapshot()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(c.nodes), "ns/node")
		})
	}
}
