package sim

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"scalesim/theory"
	"scalesim/topology"
)

// twoPopulations is a closed workload of two populations on one core of
// one node, with more sync workers than users, so that the core is the
// only queue.
func twoPopulations(na, nb int, za, zb, da, db, sched string) string {
	return fmt.Sprintf(`
workload:
  populations:
    - name: shoppers
      users: %d
      think: exp(%s)
      requests: [{name: browse, steps: [{cpu: exp(%s)}]}]
    - name: api
      users: %d
      think: exp(%s)
      requests: [{name: call, steps: [{cpu: exp(%s)}]}]
app: {cores: 1, workers: 32, %s}
`, na, za, da, nb, zb, db, sched)
}

// TestPopulationsAgainstMVA: two populations, each its own size, think
// time and class, against exact multi-class MVA on the product-form
// cases: processor sharing (slices of 50µs against bursts of 5 and
// 20 ms, no switch cost) with class-dependent service, and FCFS
// (run_to_completion) with the same service for both. Each is three
// seeds of 600 s (two of 200 s with -short), about 60,000 answers per
// class (14,000); the tolerance is five standard errors of a count that
// large (1/√n each, 2% or 4%), on each class's throughput and response
// time (whose cv is about 1). Conservation: Little's law for each
// population (users = throughput × (response + think)) and the
// utilisation law at the core (U = Σ X·D).
func TestPopulationsAgainstMVA(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sched string
		d     [2]float64
	}{
		{"processor sharing", "slice: 50us, tick: 0s, switch_cost: 0s", [2]float64{0.005, 0.020}},
		{"fcfs", "scheduler: run_to_completion, switch_cost: 0s", [2]float64{0.010, 0.010}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, z := [2]int{8, 3}, [2]float64{0.2, 0.05}
			text := twoPopulations(n[0], n[1], "200ms", "50ms", fmt.Sprint(tc.d[0]*1e3, "ms"), fmt.Sprint(tc.d[1]*1e3, "ms"), tc.sched)
			wantX, wantR := theory.MVAClasses(n[:], z[:], tc.d[:])
			var done [2]uint64
			var sumX, sumR [2]float64
			var util float64
			runs, span := seeds(3), 600*time.Second
			if testing.Short() {
				span = 200 * time.Second
			}
			for seed := uint64(1); seed <= runs; seed++ {
				top := parse(t, text)
				top.Seed = seed
				s := simulate(t, top, 10*time.Second, span)
				sum := s.Summary()
				if len(sum.Populations) != 2 || len(sum.Classes) != 2 {
					t.Fatalf("summary: %+v %+v", sum.Populations, sum.Classes)
				}
				for c := range 2 {
					p := sum.Populations[c]
					done[c] += p.Completed
					sumX[c] += p.ThroughputRPS
					sumR[c] += p.LatencyMs.Mean / 1e3
					if p.Completed != sum.Classes[c].Completed || p.Users != n[c] {
						t.Errorf("population %s: %+v, its class %+v", p.Name, p, sum.Classes[c])
					}
				}
				util += stationOf(t, sum, "cpu").Utilization
			}
			var gotX, gotR [2]float64
			for c := range 2 {
				gotX[c], gotR[c] = sumX[c]/float64(runs), sumR[c]/float64(runs)
				tol := 5 / math.Sqrt(float64(done[c]))
				t.Logf("class %d: X %.3f/s (MVA %.3f), R %.2f ms (MVA %.2f), %d answers, tolerance %.1f%%", c, gotX[c], wantX[c], gotR[c]*1e3, wantR[c]*1e3, done[c], 100*tol)
				expectNear(t, fmt.Sprintf("throughput of population %d", c), gotX[c], wantX[c], tol)
				expectNear(t, fmt.Sprintf("response time of population %d", c), gotR[c], wantR[c], tol)
				// Little's law over the population's cycle
				expectNear(t, fmt.Sprintf("users of population %d by Little's law", c), gotX[c]*(gotR[c]+z[c]), float64(n[c]), tol)
			}
			// the draws' mean strays from D by 1/√n (cv 1): four of those
			expectNear(t, "core utilisation against Σ X·D", util/float64(runs), gotX[0]*tc.d[0]+gotX[1]*tc.d[1], 4/math.Sqrt(float64(done[0]+done[1])))
		})
	}
}

// TestPopulationSizeLive: a population's size set by path while the
// simulation runs changes that population alone: its users join at once
// (or leave after their request), the other keeps its own.
func TestPopulationSizeLive(t *testing.T) {
	top := parse(t, twoPopulations(4, 2, "100ms", "100ms", "1ms", "1ms", "switch_cost: 0s"))
	s, err := New(top, Options{Warmup: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(65 * time.Second)
	before := s.Summary().Populations
	next, err := s.Topology().With(topology.Change{Action: topology.ActSet, Path: "workload.populations[1].users", Value: "8"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	s.ResetStats()
	s.Advance(125 * time.Second)
	after := s.Summary().Populations
	checkConservation(t, s)
	// with 1 ms pages and 100 ms think times there is little queueing:
	// each user sends about 1/0.101 a second; the tolerance is four
	// standard errors of the count of answers in 60 s
	per := 1 / 0.101
	within := func(rate float64) float64 { return 4 / math.Sqrt(rate*60) }
	for _, tc := range []struct {
		what string
		got  float64
		want float64
	}{
		{"shoppers before", before[0].ThroughputRPS, 4 * per},
		{"api before", before[1].ThroughputRPS, 2 * per},
		{"shoppers after", after[0].ThroughputRPS, 4 * per},
		{"api after", after[1].ThroughputRPS, 8 * per},
	} {
		expectNear(t, tc.what, tc.got, tc.want, within(tc.want))
	}
	if after[1].Users != 8 || s.Topology().Workload.Users != 12 {
		t.Errorf("after the edit: %+v, %d users", after, s.Topology().Workload.Users)
	}
	// removing the api population: its users leave, shoppers go on
	next = s.Topology().Clone()
	next.Workload.Populations = next.Workload.Populations[:1]
	next.Workload.Requests = next.Workload.Requests[:1]
	next.Workload.SyncPopulations()
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	s.ResetStats()
	s.Advance(185 * time.Second)
	sum := s.Summary()
	if len(sum.Populations) != 1 || len(sum.Classes) != 1 {
		t.Fatalf("after removing api: %+v", sum.Populations)
	}
	expectNear(t, "shoppers alone", sum.ThroughputRPS, 4*per, within(4*per))
	active := 0
	for _, in := range s.pops[1].users {
		if in {
			active++
		}
	}
	if active != 0 {
		t.Errorf("%d api users still in their cycle", active)
	}
	checkConservation(t, s)
}

// TestPopulationsAllocateNothing: users of several populations cycle
// without allocating (no drops or timeouts here, so no log lines; the
// slack is the runtime's own, as in TestSteadyStateAllocatesNothing).
func TestPopulationsAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what allocates")
	}
	s, err := New(parse(t, twoPopulations(20, 10, "100ms", "20ms", "2ms", "3ms", "switch_cost: 0s")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(20 * time.Second)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s.Advance(s.Now() + 30*time.Second)
	runtime.ReadMemStats(&after)
	if n := after.Mallocs - before.Mallocs; n > 8 {
		t.Fatalf("%d allocations in 30 s of %d events", n, s.Summary().Events)
	}
}
