package sim

import (
	"fmt"
	"math"
	"testing"
	"time"

	"scalesim/theory"
)

// These tests check the engine, the distributions and the statistics
// together against queueing theory. Each runs long enough that the
// standard error of the measured mean is a fraction of the tolerance; the
// comment on each says how the tolerance was chosen.

// mm1 is one sync worker on one core with an unlimited backlog: the
// worker slot is the single server, the backlog its queue.
func singleServer(rate float64, service string) string {
	return fmt.Sprintf(`
workload:
  rate: %g
  requests:
    - steps:
        - cpu: %s
app:
  workers: 1
  cores: 1
  backlog: unlimited
`, rate, service)
}

func TestMM1(t *testing.T) {
	long(t)
	// lambda = 800/s, mu = 1000/s, rho = 0.8: W = 1/(mu-lambda) = 5 ms,
	// Wq = rho/(mu-lambda) = 4 ms, Lq = rho^2/(1-rho) = 3.2.
	// Over ~1.6M customers the standard error of the mean response time
	// at rho = 0.8 is about sqrt(1976/N)/mu, 0.7% of W; 3% is > 4 sigma.
	s := simulate(t, parse(t, singleServer(800, "exp(1ms)")), 20*time.Second, 2000*time.Second)
	sum := s.Summary()
	expectNear(t, "mean latency (ms)", sum.LatencyMs.Mean, 5, 0.03)
	expectNear(t, "throughput", sum.ThroughputRPS, 800, 0.01)
	app := stationOf(t, sum, "app")
	expectNear(t, "app utilisation", app.Utilization, 0.8, 0.01)
	expectNear(t, "app wait (ms)", app.WaitMsMean, 4, 0.04)
	expectNear(t, "app queue", app.QueueMean, 3.2, 0.04)
	// P(Wq > t) = rho exp(-(mu-lambda) t): the 99th percentile wait is
	// ln(100 rho)/(mu-lambda)
	expectNear(t, "app p99 wait (ms)", app.WaitP99Ms, math.Log(80)/200*1e3, 0.04)
	// the median of an exponential response time with rate mu-lambda
	expectNear(t, "p50 latency (ms)", sum.LatencyMs.P50, 5*math.Ln2, 0.03)
	expectNear(t, "p99 latency (ms)", sum.LatencyMs.P99, 5*math.Log(100), 0.04)
}

func TestMMc(t *testing.T) {
	long(t)
	// c = 4, lambda = 3200/s, mu = 1000/s: rho = 0.8.
	// Wq = C(c,a) / (c mu - lambda). The standard error of the mean wait
	// over ~6M customers is well under 1%; the tolerance is 3%.
	const c, lambda, mu = 4, 3200.0, 1000.0
	wq := theory.MMc{Lambda: lambda, Mu: mu, C: c}.Wq().Seconds() * 1e3 // ms

	cases := []struct {
		name, text, station string
	}{
		{"sync workers on cores", `
workload: {rate: 3200, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 4, cores: 4, backlog: unlimited}
`, "app"},
		// the database's cores as the textbook's servers: first come,
		// first served, a switch to the next backend free
		{"database cores", `
workload: {rate: 3200, requests: [{steps: [{db: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
db: {cores: 4, scheduler: run_to_completion, switch_cost: 0s}
`, "db"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := simulate(t, parse(t, tc.text), 20*time.Second, 2000*time.Second)
			sum := s.Summary()
			st := stationOf(t, sum, tc.station)
			expectNear(t, "wait (ms)", st.WaitMsMean, wq, 0.03)
			expectNear(t, "utilisation", st.Utilization, 0.8, 0.01)
			expectNear(t, "mean latency (ms)", sum.LatencyMs.Mean, wq+1, 0.02)
			expectNear(t, "queue (Little)", st.QueueMean, lambda*wq/1e3, 0.03)
		})
	}
}

func TestMMcKBlocking(t *testing.T) {
	long(t)
	// c = 2 servers, K = 5 in the system (backlog 3), a = lambda/mu = 3:
	// P(block) = p_K with p_n proportional to a^n/n! for n <= c and
	// a^n/(c! c^(n-c)) above. Over ~3M arrivals the standard error of
	// the blocking ratio is well under 1% of it.
	q := theory.MMcK{Lambda: 3000, Mu: 1000, C: 2, K: 5}
	block := q.PBlock()
	s := simulate(t, parse(t, `
workload: {rate: 3000, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 2, cores: 2, backlog: 3}
`), 10*time.Second, 1000*time.Second)
	w := s.Summary().Window
	got := float64(w.Dropped) / float64(w.Arrived)
	expectNear(t, "blocking probability", got, block, 0.02)
	app := stationOf(t, s.Summary(), "app")
	expectNear(t, "requests in the node (L)", app.QueueMean+app.BusyMean, q.L(), 0.02)
}

func TestMG1PollaczekKhinchine(t *testing.T) {
	long(t)
	// M/G/1 at lambda = 500/s with a 1 ms mean service: rho = 0.5 and
	// Wq = lambda E[S^2] / (2 (1 - rho)) with E[S^2] = m^2 (1 + cv^2).
	// The service distributions differ only in their CV, and so must the
	// waits. The heavier the tail the slower the convergence: the
	// tolerance is 3%, 4% for the lognormal.
	cases := []struct {
		dist string
		cv   float64
		tol  float64
	}{
		{"1ms", 0, 0.03},
		{"uniform(0s, 2ms)", 1 / math.Sqrt(3), 0.03},
		{"erlang(4, 1ms)", 0.5, 0.03},
		{"exp(1ms)", 1, 0.03},
		{"lognormal(1ms, 1.5)", 1.5, 0.04},
	}
	for _, tc := range cases {
		t.Run(tc.dist, func(t *testing.T) {
			const lambda = 500.0
			wq := theory.MG1{Lambda: lambda, Mean: time.Millisecond, CV: tc.cv}.Wq().Seconds() * 1e3
			s := simulate(t, parse(t, singleServer(lambda, tc.dist)), 10*time.Second, 2000*time.Second)
			sum := s.Summary()
			app := stationOf(t, sum, "app")
			expectNear(t, "wait (ms)", app.WaitMsMean, wq, tc.tol)
			expectNear(t, "service (ms)", app.ServiceMsMean, 1, 0.01)
			expectNear(t, "latency (ms)", sum.LatencyMs.Mean, wq+1, tc.tol)
		})
	}
}

func TestClosedNetworkMVA(t *testing.T) {
	long(t)
	// Users think exp(Z), then send a request. With one gevent worker the
	// GIL makes the CPU one FCFS server; the DB has one core, run to
	// completion with free switches: FCFS too. Exact MVA gives throughput
	// and response time. Over ~2M requests the
	// standard error is well under 1%; the tolerance is 2%.
	cases := []struct {
		name    string
		steps   string
		users   int
		think   float64
		demands []float64
	}{
		{"one station", "[{cpu: exp(2ms)}]", 10, 0.02, []float64{0.002}},
		{"one station, overloaded", "[{cpu: exp(2ms)}]", 40, 0.02, []float64{0.002}},
		{"cpu and database", "[{cpu: exp(2ms)}, {db: exp(3ms)}]", 20, 0.05, []float64{0.002, 0.003}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := fmt.Sprintf(`
workload:
  users: %d
  think: exp(%gms)
  requests: [{steps: %s}]
app: {workers: 1, model: gevent, concurrency: 1000, cores: 1, backlog: unlimited}
db: {cores: 1, scheduler: run_to_completion, switch_cost: 0s}
`, tc.users, tc.think*1e3, tc.steps)
			x, r := theory.MVA(tc.users, tc.think, tc.demands...)
			s := simulate(t, parse(t, text), 10*time.Second, 1000*time.Second)
			sum := s.Summary()
			expectNear(t, "throughput", sum.ThroughputRPS, x, 0.02)
			expectNear(t, "response time (ms)", sum.LatencyMs.Mean, r*1e3, 0.02)
		})
	}
}
