package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

// TestScriptedSession drives a whole session of keys over simulated time
// and checks the outcome: requests are conserved (arrived = completed +
// dropped + failed + in flight) and the topology is the one the keys
// built, in the dashboard and in the simulation.
func TestScriptedSession(t *testing.T) {
	m, st := newTestModel(t, fixture(t, "cache"), "cache", 120, 40)
	steps := []struct {
		keys []string
		run  time.Duration
	}{
		{nil, 10 * time.Second},
		{[]string{"+", "+", "+"}, 10 * time.Second}, // 400 → 700 req/s
		{[]string{"n"}, 10 * time.Second},           // a third node
		{[]string{"x", "1"}, 5 * time.Second},       // node 1 down: its requests fail
		{[]string{"x", "1"}, 5 * time.Second},       // and back
		{[]string{"k"}, 10 * time.Second},           // cache off: the database saturates
		{[]string{"k", "h", "h"}, 5 * time.Second},  // cache on at 90%
		{[]string{"m", "t", "t", "t"}, 10 * time.Second},
		{[]string{"d", "W", "c"}, 10 * time.Second},
		{[]string{" ", ".", ".", " "}, 5 * time.Second},
		{[]string{">", ">", ">"}, 30 * time.Second}, // at 100x
	}
	for _, s := range steps {
		press(m, s.keys...)
		runFor(m, s.run)
		c := st.eng.sim.Snapshot().Totals
		if c.Arrived != c.Completed+c.Dropped+c.Failed+c.InFlight {
			t.Fatalf("after %v: arrived %d != completed %d + dropped %d + failed %d + in flight %d",
				s.keys, c.Arrived, c.Completed, c.Dropped, c.Failed, c.InFlight)
		}
	}

	want := fixture(t, "cache")
	want.Workload.Rate = 700
	want.App.Nodes = 3
	want.App.Model = topology.Gevent
	want.App.Concurrency = 800 // gevent at 100, doubled three times
	want.App.Workers = 3
	want.App.Cores = 5
	want.Cache.HitRatio = 0.9
	want.DB.Cores = 5
	if !reflect.DeepEqual(m.Topology(), want) {
		t.Errorf("dashboard topology\n%+v\nwant\n%+v", m.Topology(), want)
	}
	if got := st.eng.sim.Topology(); !reflect.DeepEqual(got, want) {
		t.Errorf("simulation topology\n%+v\nwant\n%+v", got, want)
	}
	snap := st.eng.sim.Snapshot()
	if snap.Totals.Failed == 0 {
		t.Error("no failures although node 1 was down")
	}
	var log []string
	for _, e := range snap.Log {
		log = append(log, e.Text)
	}
	all := strings.Join(log, "\n")
	for _, want := range []string{"you: rate 600 → 700 req/s", "node 1 down", "node 1 back up", "you: cache off", "you: db cores 4 → 5"} {
		if !strings.Contains(all, want) {
			t.Errorf("log lacks %q:\n%s", want, all)
		}
	}
	if d := snap.Now; d != 112*time.Second {
		t.Errorf("simulated %v, want 1m52s (110s run, 2s stepped)", d)
	}
}
