package sim

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

// bareMM1 is a hand-written M/M/1 event loop with nothing but the queue:
// a heap of (time, sequence) events, exponential gaps and services, a
// FIFO of arrival times and the sum of the latencies. It is the yardstick
// of the engine's speed: BenchmarkMM1VsBare runs the engine on the same
// queue beside it and reports the ratio, which the machine's load
// cancels out of.
type bareMM1 struct {
	now, seq  int64
	heap      []bareEvent
	rng       *rand.Rand
	gap, svc  float64 // means, ns
	arrivals  []int64 // ring of the arrival times of the requests in the system
	head, n   int
	completed uint64
	latency   float64 // sum, ns
}

type bareEvent struct {
	t, seq int64
	depart bool
}

func newBareMM1(rate float64, service time.Duration) *bareMM1 {
	q := &bareMM1{rng: rand.New(rand.NewPCG(1, 2)), gap: 1e9 / rate, svc: float64(service), arrivals: make([]int64, 1024)}
	q.push(bareEvent{t: int64(q.gap * q.rng.ExpFloat64())})
	return q
}

func (q *bareMM1) push(e bareEvent) {
	e.seq = q.seq
	q.seq++
	q.heap = append(q.heap, e)
	h := q.heap
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p].t < h[i].t || (h[p].t == h[i].t && h[p].seq < h[i].seq) {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (q *bareMM1) pop() bareEvent {
	h := q.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && (h[c+1].t < h[c].t || (h[c+1].t == h[c].t && h[c+1].seq < h[c].seq)) {
			c++
		}
		if h[i].t < h[c].t || (h[i].t == h[c].t && h[i].seq < h[c].seq) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	q.heap = h
	return top
}

// run processes every event up to until.
func (q *bareMM1) run(until int64) {
	for len(q.heap) > 0 && q.heap[0].t <= until {
		e := q.pop()
		q.now = e.t
		if e.depart {
			q.latency += float64(q.now - q.arrivals[q.head])
			q.head = (q.head + 1) & (len(q.arrivals) - 1)
			q.n--
			q.completed++
			if q.n > 0 {
				q.push(bareEvent{t: q.now + int64(q.svc*q.rng.ExpFloat64()), depart: true})
			}
			continue
		}
		q.push(bareEvent{t: q.now + int64(q.gap*q.rng.ExpFloat64())})
		if q.n == len(q.arrivals) {
			nb := make([]int64, 2*len(q.arrivals))
			for i := 0; i < q.n; i++ {
				nb[i] = q.arrivals[(q.head+i)&(len(q.arrivals)-1)]
			}
			q.arrivals, q.head = nb, 0
		}
		q.arrivals[(q.head+q.n)&(len(q.arrivals)-1)] = q.now
		q.n++
		if q.n == 1 {
			q.push(bareEvent{t: q.now + int64(q.svc*q.rng.ExpFloat64()), depart: true})
		}
	}
	q.now = until
}

// TestBareMM1 checks the yardstick against theory, so that the engine is
// compared with a queue that is right: at rho = 0.8 the mean time in the
// system is 1/(mu - lambda) = 5 us.
func TestBareMM1(t *testing.T) {
	q := newBareMM1(800_000, time.Microsecond)
	q.run(int64(2 * time.Second))
	mean := q.latency / float64(q.completed)
	// over 2 s (1.6 million requests) the mean's standard error is about
	// 0.5% (eight seeds spread by that much): 3% is six of them
	if mean < 4.85e3 || mean > 5.15e3 {
		t.Fatalf("mean time in system %.0f ns, want 5000 ns within 3%%", mean)
	}
}

const mm1Topology = `
workload: {rate: 800000, requests: [{steps: [{cpu: exp(1us)}]}]}
app: {workers: 1, cores: 1, backlog: unlimited}
`

// BenchmarkMM1Bare is the bare loop alone, in slices of 100 ms of
// simulated time like BenchmarkMM1.
func BenchmarkMM1Bare(b *testing.B) {
	q := newBareMM1(800_000, time.Microsecond)
	q.run(int64(5 * time.Second))
	b.ReportAllocs()
	b.ResetTimer()
	start := q.completed
	for i := 0; i < b.N; i++ {
		q.run(q.now + int64(100*time.Millisecond))
	}
	b.StopTimer()
	b.ReportMetric(float64(q.completed-start)/b.Elapsed().Seconds(), "requests/s")
}

// BenchmarkMM1VsBare runs the engine on M/M/1 with every statistic on
// and the bare loop on the same queue in alternating slices of 10 ms of
// simulated time, and reports each one's requests per second and their
// ratio, engine/bare. Each is timed by its thread's CPU time, so that
// other processes taking the core slow neither; what they leave in the
// caches slows both alike. On a busy machine the ratio still varies by a
// fifth from run to run: engine/bare-fast is the ratio of the two's
// fastest slices (the tenth percentile of each one's CPU time per
// request), which the slices another process disturbed do not reach.
func BenchmarkMM1VsBare(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s, err := New(parse(b, mm1Topology), Options{})
	if err != nil {
		b.Fatal(err)
	}
	q := newBareMM1(800_000, time.Microsecond)
	s.Advance(5 * time.Second)
	q.run(int64(5 * time.Second))
	b.ReportAllocs()
	b.ResetTimer()
	var engT, bareT time.Duration
	engN, bareN := s.Totals().Completed, q.completed
	var engS, bareS []float64 // ns per request in each slice
	for i := 0; i < b.N; i++ {
		for k := 0; k < 10; k++ {
			e0, b0 := s.Totals().Completed, q.completed
			t0 := threadTime()
			s.Advance(s.Now() + 10*time.Millisecond)
			t1 := threadTime()
			q.run(q.now + int64(10*time.Millisecond))
			t2 := threadTime()
			engT += t1 - t0
			bareT += t2 - t1
			engS = append(engS, float64(t1-t0)/float64(s.Totals().Completed-e0))
			bareS = append(bareS, float64(t2-t1)/float64(q.completed-b0))
		}
	}
	b.StopTimer()
	engRate := float64(s.Totals().Completed-engN) / engT.Seconds()
	bareRate := float64(q.completed-bareN) / bareT.Seconds()
	b.ReportMetric(engRate, "engine-req/s")
	b.ReportMetric(bareRate, "bare-req/s")
	b.ReportMetric(engRate/bareRate, "engine/bare")
	b.ReportMetric(fastest(bareS)/fastest(engS), "engine/bare-fast")
}

// fastest is the tenth percentile of xs, which it sorts.
func fastest(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/10]
}
