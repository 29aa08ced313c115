package sim

import (
	"fmt"
	"testing"
	"time"

	"scalesim/topology"
)

// cpuSurge is one CPU-bound node (1 core, 100 requests a second at
// most) under 150 a second, with an autoscaler on CPU at 50%.
func cpuSurge(boot string) string {
	return fmt.Sprintf(`
workload:
  rate: 150
  requests: [{steps: [{cpu: exp(10ms)}]}]
app: {nodes: 1, cores: 1, workers: 2, backlog: 50}
autoscale: {min: 1, max: 6, metric: cpu, target: 0.5, boot: %s}
`, boot)
}

// TestBootingNodeTakesNoTraffic: the autoscaler's first evaluation (15 s)
// adds nodes that boot for 30 s; until then the load balancer sends them
// nothing and they run no workers; then they take their share.
func TestBootingNodeTakesNoTraffic(t *testing.T) {
	s, err := New(parse(t, cpuSurge("30s")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	booted := false
	for at := 100 * time.Millisecond; at <= 60*time.Second; at += 100 * time.Millisecond {
		s.Advance(at)
		for ni := 1; ni < len(s.nodes); ni++ {
			n := s.nodes[ni]
			if !n.isBooting() {
				continue
			}
			if at < 15*time.Second || (ni == 1 && at >= 45*time.Second) {
				t.Fatalf("at %v node %d is booting; the first boot runs from 15s to 45s", at, ni+1)
			}
			if n.inflight != 0 || n.active != 0 || n.up {
				t.Fatalf("at %v booting node %d has %d requests, %d workers, up %v", at, ni+1, n.inflight, n.active, n.up)
			}
		}
		if at == 30*time.Second {
			st := s.Snapshot().Autoscale
			if st == nil || st.Booting == 0 || st.Desired < 2 || st.Current != 1 {
				t.Fatalf("at 30s the autoscaler shows %+v, want nodes booting, 1 current and 2 or more desired", st)
			}
		}
		if at == 50*time.Second {
			booted = true
			for ni := 1; ni < s.topo.App.Nodes; ni++ {
				if n := s.nodes[ni]; !n.up || n.active == 0 {
					t.Errorf("at 50s node %d is not serving (up %v, %d workers)", ni+1, n.up, n.active)
				}
			}
		}
	}
	if !booted || s.topo.App.Nodes < 2 {
		t.Fatalf("the autoscaler never scaled up: %d nodes", s.topo.App.Nodes)
	}
	// every added node took traffic once booted
	if f := s.Totals().Failed; f != 0 {
		t.Errorf("%d requests failed: none was sent to a booting node, so none should", f)
	}
	checkConservation(t, s)
	checkNodes(t, s)
}

// TestAutoscaleFirstDecision: one node at 100% CPU against a 50% target
// asks for ceil(1 × 100/50) = 2 nodes at the first evaluation, and no
// more while they boot (the booting node counts as using nothing).
func TestAutoscaleFirstDecision(t *testing.T) {
	s, err := New(parse(t, cpuSurge("30s")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(15*time.Second - 1)
	if s.topo.App.Nodes != 1 {
		t.Fatalf("scaled before the first evaluation: %d nodes", s.topo.App.Nodes)
	}
	s.Advance(15 * time.Second)
	st := s.Snapshot().Autoscale
	if s.topo.App.Nodes != 2 || st.Recommended != 2 || st.Value < 0.99 {
		t.Fatalf("at 15s: %d nodes, state %+v; want 2 nodes recommended for CPU at 100%%", s.topo.App.Nodes, st)
	}
	s.Advance(30 * time.Second)
	if s.topo.App.Nodes != 2 {
		t.Errorf("at 30s, with the second node still booting: %d nodes, want 2", s.topo.App.Nodes)
	}
}

// ioBound is sync workers that spend 98% of each request waiting on
// I/O: 5 nodes of 4 workers are needed for 90 requests a second, and the
// CPU stays nearly idle.
func ioBound(metric string) string {
	return fmt.Sprintf(`
workload:
  rate: 90
  requests: [{steps: [{cpu: 4ms}, {io: 200ms}]}]
app: {nodes: 1, cores: 2, workers: 4, backlog: 20}
autoscale: {min: 1, max: 10, metric: %s, target: 0.7, boot: 10s}
`, metric)
}

// TestCPUScalingNeverFiresForIOBound: on CPU the autoscaler sees a
// node's two cores 8% busy and never adds one, while its workers are all
// busy and requests are refused; on busy workers it scales the pool up
// until the refusals stop.
func TestCPUScalingNeverFiresForIOBound(t *testing.T) {
	// measured over the last 3 minutes, after busy-worker scaling has
	// grown the pool
	cpu := simulate(t, parse(t, ioBound("cpu")), 3*time.Minute, 3*time.Minute)
	if cpu.topo.App.Nodes != 1 {
		t.Errorf("CPU scaling reached %d nodes, want it never to scale the I/O-bound pool", cpu.topo.App.Nodes)
	}
	if st := cpu.Snapshot().Autoscale; st.Value > 0.2 {
		t.Errorf("CPU utilisation %.2f, want it low for I/O-bound work", st.Value)
	}
	busy := simulate(t, parse(t, ioBound("busy_workers")), 3*time.Minute, 3*time.Minute)
	if n := busy.topo.App.Nodes; n < 6 {
		t.Errorf("busy-worker scaling reached %d nodes, want at least 6 (90/s × 0.204 s / 4 workers / 0.7)", n)
	}
	cpuDrops, busyDrops := cpu.Summary().Window.Dropped, busy.Summary().Window.Dropped
	t.Logf("last 3 minutes: CPU scaling %d nodes, %d dropped; busy-worker scaling %d nodes, %d dropped",
		cpu.topo.App.Nodes, cpuDrops, busy.topo.App.Nodes, busyDrops)
	if cpuDrops < 100*busyDrops || cpuDrops < 1000 {
		t.Errorf("dropped %d scaling on CPU and %d on busy workers: want far fewer on busy workers", cpuDrops, busyDrops)
	}
}

// TestAutoscaleSliced: an autoscaled run is the same however it is
// advanced.
func TestAutoscaleSliced(t *testing.T) {
	whole, err := New(parse(t, cpuSurge("20s")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole.Advance(2 * time.Minute)
	sliced, err := New(parse(t, cpuSurge("20s")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for at := time.Duration(0); at < 2*time.Minute; at += 37 * time.Millisecond {
		sliced.Advance(at)
		_ = sliced.Snapshot()
	}
	sliced.Advance(2 * time.Minute)
	a, b := fmt.Sprintf("%+v", whole.Summary()), fmt.Sprintf("%+v", sliced.Summary())
	if a != b {
		t.Errorf("sliced run differs:\nwhole:  %s\nsliced: %s", a, b)
	}
	if whole.topo.App.Nodes != sliced.topo.App.Nodes || *whole.autoscaleState() != *sliced.autoscaleState() {
		t.Errorf("autoscaler differs: %+v vs %+v", whole.autoscaleState(), sliced.autoscaleState())
	}
}

// TestAutoscaleScaleDownWaitsForWindow: when the load falls, the pool
// keeps its size until the last high recommendation (the evaluation at
// 90 s, which measured the load before the drop) is older than the
// scale-down window, then shrinks at once.
func TestAutoscaleScaleDownWaitsForWindow(t *testing.T) {
	top := parse(t, `
workload:
  rate: 150
  requests: [{steps: [{cpu: exp(10ms)}]}]
app: {nodes: 1, cores: 1, workers: 2, backlog: 50}
autoscale: {min: 1, max: 6, metric: cpu, target: 0.5, boot: 5s, scale_down_window: 2m}
events:
  - {at: 90s, set: {workload.rate: 5}}
`)
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(90 * time.Second)
	peak := s.topo.App.Nodes
	if peak < 3 {
		t.Fatalf("%d nodes at 90s, want the surge to have scaled the pool", peak)
	}
	s.Advance(209 * time.Second)
	if n := s.topo.App.Nodes; n != peak {
		t.Errorf("%d nodes at 3:29, want the %d of the peak until its recommendation leaves the 2-minute window", n, peak)
	}
	if st := s.Snapshot().Autoscale; st.Recommended >= peak || st.Limit != "scale-down window" {
		t.Errorf("at 3:29 the autoscaler shows %+v, want a lower recommendation held by the window", st)
	}
	s.Advance(211 * time.Second)
	if n := s.topo.App.Nodes; n != 1 {
		t.Errorf("%d nodes at 3:31, want 1 (5 requests a second need one node at 5%%)", n)
	}
}

// TestAutoscaleEditedLive: the autoscale section is set like any field;
// a lower max takes the pool down to it at the next evaluation, and
// removing the section stops the evaluations.
func TestAutoscaleEditedLive(t *testing.T) {
	s, err := New(parse(t, cpuSurge("5s")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(time.Minute)
	if s.topo.App.Nodes < 3 {
		t.Fatalf("%d nodes at 1:00, want the surge scaled up", s.topo.App.Nodes)
	}
	if _, err := s.Do(topology.Change{Action: topology.ActSet, Path: "autoscale.max", Value: "2", Source: topology.SourceKey}); err != nil {
		t.Fatal(err)
	}
	s.Advance(75 * time.Second)
	if n := s.topo.App.Nodes; n != 2 {
		t.Errorf("%d nodes after max became 2, want 2", n)
	}
	if _, err := s.Do(topology.Change{Action: topology.ActSet, Path: "autoscale", Value: "null", Source: topology.SourceKey}); err != nil {
		t.Fatal(err)
	}
	evals := s.ops.scaler.state.Evaluations
	s.Advance(3 * time.Minute)
	if s.Snapshot().Autoscale != nil || s.ops.scaler.state.Evaluations != evals {
		t.Errorf("the autoscaler still runs without its section")
	}
}
