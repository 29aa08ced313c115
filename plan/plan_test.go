package plan

import (
	"math"
	"strconv"
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/sim"
	"scalesim/topology"
)

func simulate(t *testing.T, top *topology.Topology, warmup, d time.Duration) sim.Summary {
	t.Helper()
	s, err := sim.New(top, sim.Options{Warmup: warmup})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(warmup + d)
	return s.Summary()
}

func set(t *testing.T, top *topology.Topology, path, value string) *topology.Topology {
	t.Helper()
	nt, err := top.With(topology.Change{Action: topology.ActSet, Path: path, Value: value})
	if err != nil {
		t.Fatal(err)
	}
	return nt
}

// atRate is top at rate, with stock that cannot sell out (a sold-out
// item ends its buyers' requests early, a change of demand the plan of
// the file does not make), and without its timeline, autoscaler and
// failures, which change the topology while it runs: the plan is of the
// topology as written.
func atRate(t *testing.T, top *topology.Topology, rate float64) *topology.Topology {
	t.Helper()
	top = top.Clone()
	top.Events, top.Autoscale, top.Failures = nil, nil, nil
	top = set(t, top, "workload.rate", strconv.FormatFloat(rate, 'f', 3, 64))
	if top.Stock != nil {
		top = set(t, top, "stock.quantity", "1000000000")
	}
	return top
}

// runFor is long enough for 40,000 requests, so that a utilisation's
// standard error is under 1% of it.
func runFor(rate float64) time.Duration {
	return max(120*time.Second, time.Duration(40000/rate*float64(time.Second)))
}

// differ are the presets whose mechanism the plan does not count, by
// what it is; each is among the plan's caveats.
var differ = map[string]string{
	"flash-sale-optimistic": "conflicts retry",
	"retry-storm":           "clients time out and retry, even at low load",
}

// nearTie reports whether the plan puts station name's ceiling within 2%
// of the bottleneck's: a run's noise may make either the busier.
func nearTie(pl *Plan, name string) bool {
	for _, st := range pl.Stations {
		if st.Name == name {
			return st.MaxRPS <= pl.MaxRPS*1.02
		}
	}
	return false
}

// At 30% of the plan's ceiling each station's utilisation in the
// simulation is the plan's X·D/c: within 6% (many standard errors of
// runs of 40,000 requests) for stations of demand, and at least the
// plan's for worker slots and row locks, which are held for a residence
// that only grows with load. The bottleneck is the same: the station
// whose usable servers are the busiest, or one whose ceiling is within
// 2% of the bottleneck's.
func TestPlanMatchesTheSimulationAtLowLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a run of every preset; skipped with -short")
	}
	for _, p := range presets.List() {
		t.Run(p.Name, func(t *testing.T) {
			if why, ok := differ[p.Name]; ok {
				t.Skip("the plan does not count it: " + why)
			}
			top, err := p.Load()
			if err != nil {
				t.Fatal(err)
			}
			if len(top.Workload.Populations) > 0 {
				t.Skip("several populations: TestPopulationsPlanMatchesTheSimulationAtLowLoad")
			}
			ceiling, err := Analyse(top)
			if err != nil {
				t.Fatal(err)
			}
			low := atRate(t, top, 0.3*ceiling.MaxRPS)
			pl, err := Analyse(low)
			if err != nil {
				t.Fatal(err)
			}
			sum := simulate(t, low, 30*time.Second, runFor(low.Workload.Rate))
			busiest := checkUtilisations(t, pl, sum, 0.06)
			if pl.Bottleneck != "lock" && busiest != pl.Bottleneck && !nearTie(pl, busiest) {
				t.Errorf("the plan's bottleneck is %s, the simulation's busiest station %s", pl.Bottleneck, busiest)
			}
		})
	}
}

// checkUtilisations compares each station's utilisation in sum with
// the plan's, within tol of it for stations of demand and at least it
// for those of holding, and returns the simulation's busiest station
// (by its usable servers).
func checkUtilisations(t *testing.T, pl *Plan, sum sim.Summary, tol float64) string {
	t.Helper()
	busiest, most := "", -1.0
	for _, st := range pl.Stations {
		var got float64
		found := false
		for _, ss := range sum.Stations {
			if ss.Name == st.Name {
				got, found = ss.Utilization, true
			}
		}
		if st.Name == "lock" {
			// the summary gives locks in its stock
			if sum.Stock == nil {
				t.Fatal("a row-lock plan without a stock summary")
			}
			continue
		}
		if !found {
			t.Errorf("the simulation has no station %s", st.Name)
			continue
		}
		want := st.Utilization
		if st.Bound == "holding" {
			if got < want*0.94-0.002 {
				t.Errorf("%s utilisation %.4f, below the plan's lower bound %.4f", st.Name, got, want)
			}
		} else if math.Abs(got-want) > tol*want+0.002 {
			t.Errorf("%s utilisation %.4f, the plan says %.4f", st.Name, got, want)
		}
		if u := got * float64(st.Servers) / float64(st.Usable); u > most {
			busiest, most = st.Name, u
		}
	}
	return busiest
}

// Where the model is product-form (exponential demands, no locks, a
// closed loop of worker slots at most), an overloaded simulation carries
// the plan's ceiling, within 3%: the cores of nginx-nodes idle for the
// moments when all 12 workers of a node are in I/O at once (MVA of the
// node's closed loop puts that under 2%).
func TestCeilingMatchesAnOverloadedSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("long overloaded runs; skipped with -short")
	}
	for _, name := range []string{"single-worker", "nginx-nodes", "read-replicas", "connection-pooler"} {
		t.Run(name, func(t *testing.T) {
			p, _ := presets.Get(name)
			top, err := p.Load()
			if err != nil {
				t.Fatal(err)
			}
			pl, err := Analyse(top)
			if err != nil {
				t.Fatal(err)
			}
			over := atRate(t, top, 2*pl.MaxRPS)
			sum := simulate(t, over, 30*time.Second, runFor(pl.MaxRPS))
			if math.Abs(sum.ThroughputRPS-pl.MaxRPS) > 0.03*pl.MaxRPS {
				t.Errorf("overloaded at %.0f/s the simulation carries %.1f/s; the plan's ceiling is %.1f/s (%s)",
					over.Workload.Rate, sum.ThroughputRPS, pl.MaxRPS, pl.Bottleneck)
			}
		})
	}
}

// The plan's lifts are real changes, the best first.
func TestLiftsAreChangesThatRaiseTheCeiling(t *testing.T) {
	p, _ := presets.Get("nginx-nodes")
	top, _ := p.Load()
	pl, err := Analyse(top)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Bottleneck != "cpu" || math.Abs(pl.MaxRPS-400) > 1e-6 {
		t.Fatalf("nginx-nodes: 2 nodes of 4 cores at 20 ms a request carry 400/s, the plan says %.1f at %s", pl.MaxRPS, pl.Bottleneck)
	}
	if len(pl.Lifts) == 0 || pl.Lifts[0].Change != "app.nodes = 3" || math.Abs(pl.Lifts[0].MaxRPS-600) > 1e-6 {
		t.Errorf("lifts %+v; want app.nodes = 3 first, at 600/s", pl.Lifts)
	}
	for i := 1; i < len(pl.Lifts); i++ {
		if pl.Lifts[i].MaxRPS > pl.Lifts[i-1].MaxRPS {
			t.Errorf("lifts out of order: %+v", pl.Lifts)
		}
	}
}

// Needs is the smallest value of a field whose ceiling is above the
// load: 8 workers a node, each held 44 ms, carry 181.8/s a node, so
// 3,000/s needs 17 nodes (16 carry 2,909/s).
func TestNeedsCarryTheLoad(t *testing.T) {
	p, _ := presets.Get("nginx-nodes")
	top, _ := p.Load()
	top = set(t, set(t, set(t, top, "workload.rate", "3000"), "db.cores", "16"), "app.workers", "8")
	pl, err := Analyse(top)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Needs) != 1 || pl.Needs[0].Change != "app.nodes = 17" || pl.Needs[0].Bottleneck != "app" {
		t.Errorf("needs %+v; want app.nodes = 17, with the worker slots binding", pl.Needs)
	}
}

func TestNoGILStepsRunBesideTheGIL(t *testing.T) {
	// four threads of one worker on two cores: C code outside the GIL
	// runs on the second core while a thread holds the GIL, so the cores
	// bound all of the CPU and the GIL the Python part; the simulation
	// does 200 req/s with 2 ms of Python and 8 ms of C
	// (sim's TestNoGILStepsRunBesideTheGIL)
	for _, c := range []struct {
		steps      string
		max        float64
		bottleneck string
	}{{"[{cpu: 2ms}, {nogil: 8ms}]", 200, "cpu"}, {"[{cpu: 8ms}, {nogil: 2ms}]", 125, "gil"}, {"[{cpu: 10ms}]", 100, "cpu"}} {
		top, err := topology.Parse("t.yaml", []byte("workload: {rate: 50, requests: [{steps: "+c.steps+"}]}\napp: {cores: 2, workers: 1, model: threads, concurrency: 4}\n"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Analyse(top)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(p.MaxRPS-c.max) > 1e-6 || p.Bottleneck != c.bottleneck {
			t.Errorf("%s: ceiling %.1f/s set by %s, want %.0f/s by %s", c.steps, p.MaxRPS, p.Bottleneck, c.max, c.bottleneck)
		}
	}
}
