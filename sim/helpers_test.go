package sim

import (
	"math"
	"testing"
	"time"

	"scalesim/topology"
)

// parse builds a topology from YAML text, failing the test on error.
func parse(t testing.TB, text string) *topology.Topology {
	t.Helper()
	top, err := topology.Parse("test.yaml", []byte(text))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	return top
}

// simulate runs top for warmup plus measure and returns the simulation.
func simulate(t testing.TB, top *topology.Topology, warmup, measure time.Duration) *Sim {
	t.Helper()
	s, err := New(top, Options{Warmup: warmup})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	s.Advance(warmup + measure)
	checkConservation(t, s)
	return s
}

// checkConservation asserts arrived = completed + dropped + failed +
// in_flight over the whole run.
func checkConservation(t testing.TB, s *Sim) {
	t.Helper()
	c := s.Totals()
	if c.Arrived != c.Completed+c.Dropped+c.Failed+c.InFlight {
		t.Errorf("conservation broken: arrived %d != completed %d + dropped %d + failed %d + in flight %d",
			c.Arrived, c.Completed, c.Dropped, c.Failed, c.InFlight)
	}
	l := c.Logical
	if l.Sent != l.Goodput+l.Dropped+l.Failed+l.Abandoned+l.Waiting {
		t.Errorf("conservation of logical requests broken: sent %d != goodput %d + dropped %d + failed %d + abandoned %d + waiting %d",
			l.Sent, l.Goodput, l.Dropped, l.Failed, l.Abandoned, l.Waiting)
	}
	if c.Arrived != l.Sent+c.Retries || c.Completed != l.Goodput+c.Wasted {
		t.Errorf("levels disagree: arrived %d != sent %d + retries %d, or completed %d != goodput %d + wasted %d",
			c.Arrived, l.Sent, c.Retries, c.Completed, l.Goodput, c.Wasted)
	}
}

// checkActivities asserts that every worker's activity counts agree with
// a walk over the requests on it.
func checkActivities(t testing.TB, s *Sim) {
	t.Helper()
	type key struct{ node, worker int32 }
	walk := map[key]*[numActivities]int32{}
	for id := range s.reqs {
		r := &s.reqs[id]
		if r.state == stFree || r.worker < 0 {
			continue
		}
		k := key{r.node, r.worker}
		if walk[k] == nil {
			walk[k] = new([numActivities]int32)
		}
		walk[k][activityOf(r.state, r.sid)]++
	}
	for ni, n := range s.nodes {
		for wi := range n.workers {
			w := &n.workers[wi]
			want := [numActivities]int32{}
			if c := walk[key{int32(ni), int32(wi)}]; c != nil {
				want = *c
			}
			if w.act != want {
				t.Fatalf("node %d worker %d: activity counts %v, walking the requests gives %v", ni, wi, w.act, want)
			}
		}
	}
	checkNodes(t, s)
}

// stationOf returns the named station's summary.
func stationOf(t testing.TB, sum Summary, name string) StationStats {
	t.Helper()
	for _, st := range sum.Stations {
		if st.Name == name {
			return st
		}
	}
	t.Fatalf("no station %q in %+v", name, sum.Stations)
	return StationStats{}
}

// near reports whether got is within rel (relative) of want.
func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func expectNear(t testing.TB, what string, got, want, rel float64) {
	t.Helper()
	if !near(got, want, rel) {
		t.Errorf("%s = %.5g, want %.5g within %.1f%% (off by %.2f%%)", what, got, want, 100*rel, 100*math.Abs(got-want)/math.Abs(want))
	}
}

// seeds is n, or 2 under -short: a property over seeds runs in the race
// run too, on fewer of them.
func seeds(n uint64) uint64 {
	if testing.Short() {
		return min(n, 2)
	}
	return n
}

// long skips a long statistical test under -short (the race run of CI,
// where the single-threaded engine has nothing to race on).
func long(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("long statistical test; skipped with -short")
	}
}
