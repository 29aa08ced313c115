package sim

import (
	"math"
	"testing"
	"time"

	"scalesim/topology"
)

// saturatedCores is two nodes whose cores are the bottleneck: 8 sync
// workers each on 4 cores, CPU-bound pages, and more load than 8 cores
// carry, so that every core is busy whenever it counts.
const saturatedCores = `
workload: {rate: 900, requests: [{steps: [{cpu: exp(10ms)}]}]}
app: {nodes: 2, workers: 8, cores: 4, backlog: unlimited}
`

// checkServers asserts that the app's stations count what exists: every
// live worker's slots on an up node, and the cores nodeCores counts.
func checkServers(t *testing.T, s *Sim, when string) {
	t.Helper()
	slots, cores := 0, 0
	for _, n := range s.nodes {
		cores += nodeCores(n)
		if !n.up {
			continue
		}
		for i := range n.workers {
			if w := &n.workers[i]; !w.gone && !w.killed {
				slots += w.slots
			}
		}
	}
	if s.app.servers != slots || s.cpu.servers != cores {
		t.Fatalf("%s: app counts %d slots, %d exist; cpu counts %d cores, %d exist", when, s.app.servers, slots, s.cpu.servers, cores)
	}
	if s.app.busy > s.app.servers || s.cpu.busy > s.cpu.servers {
		t.Fatalf("%s: app %d busy of %d, cpu %d busy of %d", when, s.app.busy, s.app.servers, s.cpu.busy, s.cpu.servers)
	}
}

// TestUtilizationNeverExceedsOne: after a change that takes servers
// away while they are busy (fewer cores, workers or nodes, a node down,
// a reload of every worker), in a window started by ResetStats as the
// dashboard starts one at every edit, the servers still finishing their
// work count until they go: no station is busier than it has servers.
func TestUtilizationNeverExceedsOne(t *testing.T) {
	for _, ch := range []topology.Change{
		{Action: topology.ActSet, Path: "app.cores", Value: "1"},
		{Action: topology.ActSet, Path: "app.cores", Value: "3"},
		{Action: topology.ActSet, Path: "app.cores", Value: "6"},
		{Action: topology.ActSet, Path: "app.workers", Value: "2"},
		{Action: topology.ActSet, Path: "app.workers", Value: "12"},
		{Action: topology.ActSet, Path: "app.model", Value: "threads"},
		{Action: topology.ActSet, Path: "app.nodes", Value: "1"},
		{Action: topology.ActSet, Path: "app.nodes", Value: "3"},
		{Action: topology.ActNodeDown, Node: 1},
	} {
		s, err := New(parse(t, saturatedCores), Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(3 * time.Second)
		if _, err := s.Do(ch); err != nil {
			t.Fatal(err)
		}
		s.ResetStats()
		checkServers(t, s, ch.String())
		for _, d := range []time.Duration{1, 5, 50, 500, 3000} {
			s.Advance(3*time.Second + d*time.Millisecond)
			when := ch.String() + " +" + (d * time.Millisecond).String()
			checkServers(t, s, when)
			for _, st := range s.Summary().Stations {
				if st.Utilization > 1+1e-12 {
					t.Errorf("%s: %s utilisation %v (busy %.3f on average of %d servers)", when, st.Name, st.Utilization, st.BusyMean, st.Servers)
				}
			}
		}
		checkConservation(t, s)
	}
}

// TestFewerCoresCarryNoMore: cores taken away finish the burst they run
// and go, even when their threads always have a next request at once
// (a saturated node's backlog): from then on, the nodes complete what
// their remaining cores can, 3 cores of 10 ms each per node.
func TestFewerCoresCarryNoMore(t *testing.T) {
	s, err := New(parse(t, saturatedCores), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(3 * time.Second)
	if _, err := s.Do(topology.Change{Action: topology.ActSet, Path: "app.cores", Value: "3"}); err != nil {
		t.Fatal(err)
	}
	s.Advance(4 * time.Second) // the cores taken away have gone
	s.ResetStats()
	s.Advance(27 * time.Second)
	sum := s.Summary()
	// saturated cores complete a Poisson stream of 600/s: over 20 s,
	// 12,000 with a standard deviation of about 110 (0.9%)
	if got := sum.ThroughputRPS; math.Abs(got-600)/600 > 0.04 {
		t.Errorf("throughput %.1f/s on 2 nodes of 3 cores of 10 ms pages, want 600/s within 4%%", got)
	}
	for _, st := range sum.Stations {
		if st.Name == "cpu" && (st.Servers != 6 || st.Utilization < 0.99) {
			t.Errorf("cpu: %d servers, utilisation %v; want 6, saturated", st.Servers, st.Utilization)
		}
	}
}

// TestDBUtilizationNeverExceedsOne: a database server given fewer cores
// while every core is busy keeps counting those still finishing their
// queries: its utilisation, and the database's, never exceed one.
func TestDBUtilizationNeverExceedsOne(t *testing.T) {
	for _, cores := range []string{"1", "2", "6"} {
		s, err := New(parse(t, `
workload: {rate: 900, requests: [{steps: [{cpu: 100us}, {db: exp(10ms)}]}]}
app: {workers: 64, cores: 4, backlog: unlimited}
db: {cores: 4}
`), Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(3 * time.Second)
		if _, err := s.Do(topology.Change{Action: topology.ActSet, Path: "db.cores", Value: cores}); err != nil {
			t.Fatal(err)
		}
		s.ResetStats()
		for _, d := range []time.Duration{1, 5, 50, 500, 3000} {
			s.Advance(3*time.Second + d*time.Millisecond)
			st := &s.stations[sidDB]
			if st.stats.busy > st.stats.servers || st.stats.servers != st.db.cs.present() {
				t.Fatalf("db.cores %s +%v: %d busy, %d servers counted, %d cores exist", cores, d*time.Millisecond, st.stats.busy, st.stats.servers, st.db.cs.present())
			}
			for _, ss := range s.Summary().Stations {
				if ss.Utilization > 1+1e-12 {
					t.Errorf("db.cores %s +%v: %s utilisation %v", cores, d*time.Millisecond, ss.Name, ss.Utilization)
				}
			}
		}
	}
}
