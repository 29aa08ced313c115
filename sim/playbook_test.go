package sim

import (
	"fmt"
	"testing"
	"time"
)

// The playbook's claims, as behaviour of the mechanism.

// saturated runs text (a format string taking one int) for each value and
// returns the measured throughputs. A saturated server of exponential
// service completes about a Poisson count in a window: over 400 s at 50/s
// its standard error is 0.7%, so the 3% tolerances below are over four
// of them (100 s gave under two).
func throughputs(t *testing.T, format string, values ...int) []float64 {
	t.Helper()
	var out []float64
	for _, v := range values {
		s := simulate(t, parse(t, fmt.Sprintf(format, v)), 5*time.Second, 400*time.Second)
		out = append(out, s.Summary().ThroughputRPS)
	}
	return out
}

func TestWorkersBeyondCoresDoNotHelpCPUBoundWork(t *testing.T) {
	long(t)
	// 2 cores, 10 ms of CPU per request, far more offered than served:
	// throughput grows with workers up to the cores (100/s each), then
	// stays at 200/s.
	x := throughputs(t, `
workload: {rate: 1000, requests: [{steps: [{cpu: exp(10ms)}]}]}
app: {cores: 2, workers: %d, backlog: 50}
`, 1, 2, 4, 8)
	expectNear(t, "1 worker", x[0], 100, 0.03)
	for i, w := range []int{2, 4, 8} {
		expectNear(t, fmt.Sprintf("%d workers", w), x[i+1], 200, 0.03)
	}
}

func TestGreenletsHelpIOBoundNotCPUBound(t *testing.T) {
	long(t)
	// I/O-bound: 2 ms of CPU and 50 ms of waiting. One greenlet serves
	// 1/52ms = 19/s; a hundred overlap their waits until the GIL, held
	// 2 ms per request, caps the worker at 500/s.
	io := throughputs(t, `
workload: {rate: 2000, requests: [{steps: [{cpu: exp(2ms)}, {io: 50ms}]}]}
app: {cores: 2, workers: 1, model: gevent, concurrency: %d, backlog: 100}
`, 1, 100)
	expectNear(t, "io-bound, 1 greenlet", io[0], 1/0.052, 0.05)
	expectNear(t, "io-bound, 100 greenlets", io[1], 500, 0.03)

	// CPU-bound: 20 ms of CPU. The GIL lets one greenlet run at a time,
	// so a hundred serve what one does: 50/s.
	cpu := throughputs(t, `
workload: {rate: 1000, requests: [{steps: [{cpu: exp(20ms)}]}]}
app: {cores: 2, workers: 1, model: gevent, concurrency: %d, backlog: 100}
`, 1, 100)
	expectNear(t, "cpu-bound, 1 greenlet", cpu[0], 50, 0.03)
	expectNear(t, "cpu-bound, 100 greenlets", cpu[1], 50, 0.03)
}

func TestThreadsShareTheGILButNotWithoutIt(t *testing.T) {
	long(t)
	// Four threads of CPU-bound work in one process on four cores: with a
	// GIL they take turns (100/s at 10 ms each); without one they use
	// all four cores (400/s).
	base := `
workload: {rate: 2000, requests: [{steps: [{cpu: exp(10ms)}]}]}
app: {cores: 4, workers: 1, model: threads, concurrency: 4, backlog: 100, gil: %v}
`
	for _, tc := range []struct {
		gil  bool
		want float64
	}{{true, 100}, {false, 400}} {
		s := simulate(t, parse(t, fmt.Sprintf(base, tc.gil)), 5*time.Second, 100*time.Second)
		expectNear(t, fmt.Sprintf("throughput with gil=%v", tc.gil), s.Summary().ThroughputRPS, tc.want, 0.03)
	}
}

func TestCacheHitRatioCutsDatabaseLoad(t *testing.T) {
	long(t)
	// A hit ratio h leaves (1-h) of the reads to the database.
	text := `
workload: {rate: 500, requests: [{steps: [{cpu: 1ms}, {cache: {miss: [{db: exp(2ms)}]}}]}]}
app: {cores: 4, workers: 16}
db: {cores: 8}
cache: {hit_ratio: %g}
`
	for _, h := range []float64{0, 0.5, 0.8, 0.95} {
		s := simulate(t, parse(t, fmt.Sprintf(text, h)), 5*time.Second, 200*time.Second)
		sum := s.Summary()
		db := stationOf(t, sum, "db")
		expectNear(t, fmt.Sprintf("db load at h=%g", h), db.ThroughputRPS, 500*(1-h), 0.05)
		expectNear(t, "measured hit ratio", sum.Cache.HitRatio+1, h+1, 0.01)
	}
}

func TestKeySpaceHitRatioEmerges(t *testing.T) {
	long(t)
	// An LRU holding every key hits on all but the first read of each
	// key; one holding few of many uniformly read keys hits about
	// capacity/count of the time.
	text := `
workload: {rate: 2000, requests: [{steps: [{cache: {miss: [{db: 1ms}]}}]}]}
app: {cores: 4, workers: 1, model: gevent, concurrency: 1000}
db: {cores: 16}
cache: {keys: {count: 10000, zipf: %g, capacity: %d}}
`
	s := simulate(t, parse(t, fmt.Sprintf(text, 0.0, 10000)), 20*time.Second, 100*time.Second)
	expectNear(t, "hit ratio, all keys fit", s.Summary().Cache.HitRatio, 1, 0.001)
	s = simulate(t, parse(t, fmt.Sprintf(text, 0.0, 1000)), 20*time.Second, 200*time.Second)
	expectNear(t, "hit ratio, 10% of uniform keys fit", s.Summary().Cache.HitRatio, 0.1, 0.05)
	// skew makes a small cache worth more than its size
	s = simulate(t, parse(t, fmt.Sprintf(text, 1.0, 1000)), 20*time.Second, 100*time.Second)
	if h := s.Summary().Cache.HitRatio; h < 0.6 {
		t.Errorf("zipf 1.0, 10%% of keys cached: hit ratio %.3f, want above 0.6", h)
	}
}

func TestMoreNodesScaleUntilTheDatabaseSaturates(t *testing.T) {
	long(t)
	// Each node serves 4 cores / 10 ms = 400/s; the database 4 cores /
	// (2 ms + a 50us switch to each query's backend) = 1950/s. Offered
	// 5000/s: 1, 2 and 4 nodes scale linearly, 8 nodes stop at the
	// database.
	x := throughputs(t, `
workload: {rate: 5000, requests: [{steps: [{cpu: exp(10ms)}, {db: exp(2ms)}]}]}
app: {nodes: %d, cores: 4, workers: 8, backlog: 20, timeout: 5s}
lb: {policy: least_conn}
db: {cores: 4}
`, 1, 2, 4, 8)
	for i, n := range []int{1, 2, 4} {
		expectNear(t, fmt.Sprintf("%d nodes", n), x[i], 400*float64(n), 0.04)
	}
	expectNear(t, "8 nodes", x[3], 4/(2e-3+50e-6), 0.03)
}

func TestOffloadRemovesTheGILBottleneck(t *testing.T) {
	long(t)
	// 50 ms of CPU per request in Python: 4 cores serve 80/s. Sent to a
	// service 10x faster with 8 cores, the same work takes 5 ms and the
	// greenlets only wait: the service serves 1600/s; offered 400/s.
	inPython := simulate(t, parse(t, `
workload: {rate: 400, requests: [{steps: [{cpu: exp(50ms)}]}]}
app: {cores: 4, workers: 4, backlog: 50}
`), 5*time.Second, 100*time.Second).Summary()
	offloaded := simulate(t, parse(t, `
workload: {rate: 400, requests: [{steps: [{offload: exp(50ms)}]}]}
app: {cores: 4, workers: 4, model: gevent, concurrency: 50, backlog: 50}
offload: {cores: 8, speed: 10, latency: 1ms}
`), 5*time.Second, 100*time.Second).Summary()
	expectNear(t, "in Python", inPython.ThroughputRPS, 80, 0.04)
	expectNear(t, "offloaded", offloaded.ThroughputRPS, 400, 0.03)
	off := stationOf(t, offloaded, "offload")
	expectNear(t, "offload service time (ms)", off.ServiceMsMean, 5, 0.02)
}

func TestLittlesLawAtEveryStation(t *testing.T) {
	long(t)
	// L = lambda W at each station, for a mixed topology with threads,
	// the GIL's switch interval, a cache, a database and network hops.
	s := simulate(t, parse(t, `
workload:
  rate: 300
  requests:
    - {share: 3, steps: [{cpu: exp(4ms)}, {io: exp(20ms)}, {cache: {miss: [{db: exp(3ms)}]}}, {cpu: exp(2ms)}]}
    - {share: 1, steps: [{cpu: "lognormal(12ms, 1.5)"}, {db: exp(5ms)}]}
app: {nodes: 2, cores: 2, workers: 2, model: threads, concurrency: 4, backlog: unlimited}
lb: {policy: p2c, latency: 1ms}
db: {cores: 2, latency: 500us}
cache: {hit_ratio: 0.7, net_latency: 200us}
`), 10*time.Second, 500*time.Second)
	sum := s.Summary()
	for _, st := range sum.Stations {
		lambda := float64(st.Completions) / sum.DurationS
		if !near(st.QueueMean, lambda*st.WaitMsMean/1e3, 0.03) {
			t.Errorf("%s: queue %.4f, lambda*W = %.4f", st.Name, st.QueueMean, lambda*st.WaitMsMean/1e3)
		}
		if !near(st.BusyMean, lambda*st.ServiceMsMean/1e3, 0.03) {
			t.Errorf("%s: busy %.4f, lambda*S = %.4f", st.Name, st.BusyMean, lambda*st.ServiceMsMean/1e3)
		}
	}
}

func TestThreadsTakeTurnsOnTheGILGreenletsDoNot(t *testing.T) {
	long(t)
	// One worker with two slots on one core, and two users who each
	// always have a request out: long ones of 100 ms of CPU, short ones
	// of 1 ms. A thread asks for the GIL after one 5 ms switch interval
	// of waiting, so a short request slips in after at most one interval,
	// plus the wait for a core to start waiting on (up to a 4 ms tick
	// after the long one's 0.7 ms base slice), plus its own 1 ms and a
	// few switches: at most 10.9 ms. A greenlet keeps the GIL until its
	// next wait, so a short request behind a long one waits for all of
	// it.
	text := `
workload:
  users: 2
  think: 0s
  requests:
    - {name: long, share: 1, steps: [{cpu: 100ms}]}
    - {name: short, share: 1, steps: [{cpu: 1ms}]}
app: {cores: 1, workers: 1, model: %s, concurrency: 2, backlog: unlimited}
`
	p50 := map[string]float64{}
	for _, model := range []string{"threads", "gevent"} {
		s := simulate(t, parse(t, fmt.Sprintf(text, model)), 10*time.Second, 1000*time.Second)
		p50[model] = s.Summary().LatencyMs.P50
	}
	if p50["threads"] > 10.9 {
		t.Errorf("median latency with threads %.1f ms: a short request should wait at most one 5 ms switch interval and a tick", p50["threads"])
	}
	if p50["gevent"] < 100 {
		t.Errorf("median latency with greenlets %.1f ms: a short request should wait for the long one", p50["gevent"])
	}
}
