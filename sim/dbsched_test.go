package sim

import (
	"fmt"
	"testing"
	"time"

	"scalesim/topology"
)

// shortAndLongQueries is an open stream of requests that each run one
// query on a one-core database: half of them 10 ms, half 90 ms (mean
// 50 ms), at 10/s: rho = 0.5. A gevent worker with room for every
// request keeps the app out of the way.
func shortAndLongQueries(sched string) string {
	return fmt.Sprintf(`
workload:
  rate: 10
  requests:
    - {name: short, steps: [{db: 10ms}]}
    - {name: long, steps: [{db: 90ms}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
db: {cores: 1, %s}
`, sched)
}

func classMean(t *testing.T, sum Summary, name string) float64 {
	t.Helper()
	for _, c := range sum.Classes {
		if c.Name == name {
			return c.LatencyMs.Mean
		}
	}
	t.Fatalf("no class %s in %+v", name, sum.Classes)
	return 0
}

func TestDBTimeSlicingIsProcessorSharing(t *testing.T) {
	long(t)
	// M/G/1-PS: a query of size x takes x/(1-rho) on average, whatever
	// the other queries' sizes: 20 ms for the short, 180 ms for the long
	// (FCFS would make them 51 ms and 131 ms). The mean over both is
	// E[S]/(1-rho) = 100 ms, the M/M/1 figure. A slice of 100us is 1/100
	// of the short query, so round robin is within about 1% of processor
	// sharing. Over 2000 s, seeds spread the means by about 2.5% (the
	// busy periods are long); over 6000 s (30k queries of each size)
	// the standard error is about 1.5%, and 5% is over 3 sigma. No
	// switch cost: processor sharing shares for free.
	s := simulate(t, parse(t, shortAndLongQueries("slice: 100us, tick: 0s, switch_cost: 0s")), 20*time.Second, 6000*time.Second)
	sum := s.Summary()
	expectNear(t, "short query's latency (ms)", classMean(t, sum, "short"), 10/(1-0.5), 0.05)
	expectNear(t, "long query's latency (ms)", classMean(t, sum, "long"), 90/(1-0.5), 0.05)
	expectNear(t, "mean latency (ms)", sum.LatencyMs.Mean, 50/(1-0.5), 0.05)
	if sw := s.stations[sidDB].db.cs.switches; sw < 10_000 {
		t.Errorf("%d switches: the queries should take turns on the core", sw)
	}
}

func TestDBRunToCompletionIsFCFS(t *testing.T) {
	long(t)
	// The same queries run to completion: M/G/1 FCFS, every query waits
	// Wq = lambda E[S^2] / (2 (1 - rho)) = 10/s × (10² + 90²)/2 ms² / 1
	// = 41 ms whatever its size: 51 ms for the short, 131 ms for the
	// long. Over 2000 s seeds spread the wait by about 3%; over 8000 s
	// (80k queries) its standard error is about 1.5%, and 6% is 4
	// sigma; the latencies follow.
	s := simulate(t, parse(t, shortAndLongQueries("scheduler: run_to_completion, switch_cost: 0s")), 20*time.Second, 8000*time.Second)
	sum := s.Summary()
	const wq = 10 * (10*10 + 90*90) / 2.0 / 1e3 / (2 * (1 - 0.5)) // ms
	expectNear(t, "db wait (ms)", stationOf(t, sum, "db").WaitMsMean, wq, 0.06)
	expectNear(t, "short query's latency (ms)", classMean(t, sum, "short"), 10+wq, 0.05)
	expectNear(t, "long query's latency (ms)", classMean(t, sum, "long"), 90+wq, 0.03)
}

func TestDBDefaultSchedulerOnShortQueries(t *testing.T) {
	// Queries shorter than Linux's slice (2.8 ms on 8 cores, preempted at
	// a 4 ms tick) are never preempted: the default runs them first come,
	// first served, and only the switch to each query's backend costs:
	// a core does 1 ms + 50us per query.
	s := simulate(t, parse(t, `
workload: {users: 64, requests: [{steps: [{db: 1ms}]}]}
app: {workers: 1, model: gevent, concurrency: 1000, cores: 1}
db: {cores: 8}
`), time.Second, 20*time.Second)
	expectNear(t, "throughput", s.Summary().ThroughputRPS, 8/(1e-3+50e-6), 0.01)
	db := &s.stations[sidDB].db
	if sw, done := db.cs.switches, s.stations[sidDB].stats.completions; sw < done {
		t.Errorf("%d switches for %d queries: each query's backend is switched to", sw, done)
	}
}

func TestDBSchedulerChangeLive(t *testing.T) {
	// Live changes of db.scheduler and db.cores during a flash sale with
	// row locks keep every request accounted for, never oversell, and
	// the database goes on serving.
	top := parse(t, `
workload: {rate: 600, requests: [{steps: [{cpu: 1ms}, {buy: 2ms}, {db: exp(3ms)}]}]}
app: {cores: 4, workers: 4, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 2, latency: 200us}
stock: {quantity: 100000000, strategy: row_lock, items: 50, query: exp(1ms)}
`)
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []topology.Change{
		{Action: topology.ActSet, Path: "db.scheduler", Value: "run_to_completion"},
		{Action: topology.ActSet, Path: "db.cores", Value: "6"},
		{Action: topology.ActSet, Path: "db.scheduler", Value: "linux"},
		{Action: topology.ActSet, Path: "db.slice", Value: "50us"},
		{Action: topology.ActSet, Path: "db.cores", Value: "1"},
		{Action: topology.ActSet, Path: "db.cores", Value: "4"},
	} {
		s.Advance(time.Duration(i+1) * 2 * time.Second)
		if _, err := s.Do(c); err != nil {
			t.Fatal(err)
		}
		checkConservation(t, s)
		checkActivities(t, s)
		if got := s.Topology().DB; i == 0 && got.CPU.Scheduler != topology.RunToCompletion {
			t.Fatalf("db.scheduler is %s after the change", got.CPU.Scheduler)
		}
	}
	before := s.Totals().Completed
	s.Advance(16 * time.Second)
	checkConservation(t, s)
	checkActivities(t, s)
	if done := s.Totals().Completed - before; done < 3000 {
		t.Errorf("only %d completed in the last 4s", done)
	}
	if st := s.Summary().Stock; st.Oversold != 0 || st.Sold == 0 {
		t.Errorf("sold %d, oversold %d", st.Sold, st.Oversold)
	}
}
