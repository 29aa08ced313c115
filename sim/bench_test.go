package sim

import (
	"fmt"
	"testing"
	"time"
)

// benchRun simulates text in slices of 100 ms of simulated time after a
// warm-up of 5 s, and reports requests and events per wall-clock second
// and the wall-clock time per request.
func benchRun(b *testing.B, text string) { benchRunAfter(b, text, 5*time.Second) }

// benchRunAfter is benchRun after a warm-up of warm.
func benchRunAfter(b *testing.B, text string, warm time.Duration) {
	top := parse(b, text)
	s, err := New(top, Options{})
	if err != nil {
		b.Fatal(err)
	}
	s.Advance(warm) // warm the free lists
	b.ReportAllocs()
	b.ResetTimer()
	startEv, startReq := s.Events(), s.Totals().Arrived
	for i := 0; i < b.N; i++ {
		s.Advance(s.Now() + 100*time.Millisecond)
	}
	b.StopTimer()
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(s.Events()-startEv)/sec, "events/s")
	b.ReportMetric(float64(s.Totals().Arrived-startReq)/sec, "requests/s")
	b.ReportMetric(float64(s.Totals().Arrived-startReq)/float64(b.N), "requests/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(s.Totals().Arrived-startReq), "ns/request")
}

// BenchmarkMM1 is the bare single-server queue at rho = 0.8.
func BenchmarkMM1(b *testing.B) {
	benchRun(b, `
workload: {rate: 800000, requests: [{steps: [{cpu: exp(1us)}]}]}
app: {workers: 1, cores: 1, backlog: unlimited}
`)
}

// BenchmarkThreadsGIL is four threads workers of eight threads on two
// time-sliced cores, their GIL handed over every switch interval: CPU
// bursts with io between them, at 80% of the cores.
func BenchmarkThreadsGIL(b *testing.B) {
	benchRun(b, `
workload: {rate: 40000, requests: [{steps: [{cpu: exp(20us)}, {io: exp(100us)}, {cpu: exp(20us)}]}]}
app: {workers: 4, cores: 2, model: threads, concurrency: 8, switch_interval: 10us, slice: 10us, tick: 0s, switch_cost: 1us, backlog: unlimited}
`)
}

// BenchmarkCachedDjango is a Redis-cache topology: four nodes of gevent
// workers, a cache with an LRU over Zipf keys, and Postgres behind it.
func BenchmarkCachedDjango(b *testing.B) {
	benchRun(b, `
workload:
  rate: 150000
  requests:
    - steps: [{cpu: exp(100us)}, {cache: {miss: [{db: exp(300us)}]}}, {cpu: exp(50us)}]
app: {nodes: 4, cores: 8, workers: 8, model: gevent, concurrency: 50, backlog: unlimited}
lb: {policy: least_conn}
db: {cores: 16}
cache: {latency: 2us, keys: {count: 1000000, zipf: 0.99, capacity: 100000}}
`)
}

// BenchmarkNewLarge builds large topologies and reports the set-up cost
// per worker slot, which stays flat as the slots grow.
func BenchmarkNewLarge(b *testing.B) {
	for _, c := range []struct{ nodes, workers int }{{1, 1000}, {10, 1000}, {100, 1000}, {1, 10000}, {10, 10000}, {1000, 1000}} {
		b.Run(fmt.Sprintf("%dx%d", c.nodes, c.workers), func(b *testing.B) {
			top := bigNode(b, c.nodes, c.workers)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := New(top, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(c.nodes*c.workers), "ns/slot")
		})
	}
}

// BenchmarkApplyLarge applies live edits to a hundred nodes of a
// thousand workers, alternating one worker more and one less per node,
// and reports the cost per worker slot.
func BenchmarkApplyLarge(b *testing.B) {
	s, err := New(bigNode(b, 100, 1000), Options{})
	if err != nil {
		b.Fatal(err)
	}
	s.Advance(time.Second)
	more, less := s.Topology(), s.Topology()
	more.App.Workers++
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		next := more
		if i%2 == 1 {
			next = less
		}
		if err := s.Apply(next); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/slot")
}

// BenchmarkRetryStorm is a server in a retry storm: every request times
// out and is retried twice, the backlog full, most of the work wasted.
func BenchmarkRetryStorm(b *testing.B) {
	benchRun(b, `
workload:
  rate: 2000
  requests:
    - steps: [{cpu: exp(4ms)}]
      client: {timeout: 100ms, retry: {attempts: 3, backoff: 10ms, max_backoff: 100ms}}
app: {cores: 4, workers: 4, backlog: 1000}
`)
}

// BenchmarkLowRate is a queue at 50 requests a second: the engine's
// per-second work (the series' quantiles and resets) must cost in
// proportion to the latencies recorded, not to the histogram's size.
func BenchmarkLowRate(b *testing.B) {
	benchRun(b, `
workload: {rate: 50, requests: [{steps: [{cpu: exp(5ms)}, {io: exp(20ms)}]}]}
app: {workers: 4, cores: 2, backlog: unlimited}
`)
}

// BenchmarkClientTimeouts is a queue whose clients give up after a
// second, which none waits for: a deadline that passes unneeded must
// cost no event of its own.
func BenchmarkClientTimeouts(b *testing.B) {
	benchRun(b, `
workload:
  rate: 200000
  requests:
    - steps: [{cpu: exp(4us)}]
      client: {timeout: 1s}
app: {workers: 1, cores: 1, backlog: unlimited}
`)
}

// BenchmarkManyCores is one node of 256 cores at 80% of them, 300 sync
// workers: each CPU step looks for an idle core, a word of the idle set
// per 64 cores rather than a read of every core.
func BenchmarkManyCores(b *testing.B) {
	benchRun(b, `
workload: {rate: 204800, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 300, cores: 256, backlog: unlimited}
`)
}
