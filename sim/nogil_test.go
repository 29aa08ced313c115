package sim

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestNoGILStepsRunBesideTheGIL(t *testing.T) {
	// Eight users with no think time on one threads worker of four
	// threads and two cores; a request is 2 ms of Python and 8 ms of C
	// code. When the C code lets go of the GIL (nogil), the GIL is busy
	// only 2 ms a request and the two cores bound the throughput: 2 / 10
	// ms = 200 req/s. As Python (cpu) the whole 10 ms needs the GIL:
	// 100 req/s, one core's worth, the second idle. Without a GIL both
	// run on both cores.
	const text = `
workload: {users: 8, requests: [{steps: [{cpu: 2ms}, {%s: 8ms}]}]}
app: {cores: 2, workers: 1, model: threads, concurrency: 4, switch_cost: 0s, gil: %v}
`
	for _, c := range []struct {
		step string
		gil  bool
		want float64
	}{{"nogil", true, 200}, {"cpu", true, 100}, {"nogil", false, 200}, {"cpu", false, 200}} {
		s := simulate(t, parse(t, fmt.Sprintf(text, c.step, c.gil)), 2*time.Second, 60*time.Second)
		x := s.Summary().ThroughputRPS
		t.Logf("%s step, gil %v: %.1f req/s (want %.0f)", c.step, c.gil, x, c.want)
		if math.Abs(x/c.want-1) > 0.02 {
			t.Errorf("%s step, gil %v: %.1f req/s, want %.0f within 2%%", c.step, c.gil, x, c.want)
		}
	}
}

func TestNoGILWriteBesideAHog(t *testing.T) {
	long(t)
	// Two users share a threads worker of two threads on two cores: CPU
	// hogs (1 s of Python) and pages of 0.1 ms of Python and then 10 ms
	// of C code, half each, so a page nearly always runs beside a hog.
	// Its Python waits for the GIL a whole 5 ms interval, asks for a
	// drop and gets it; then:
	//   - nogil, its last step (a response's write): it writes on the
	//     second core while the hog holds the GIL again, and answers as
	//     the write ends: 5 + 0.1 + 10 ms.
	//   - cpu: the hog asks for the GIL back an interval later, and the
	//     two take turns each interval: the page's 10.1 ms of Python
	//     (its two cpu steps one stretch, the GIL kept across them) take
	//     twice as long, 5 + 0.1 + 20 ms.
	//   - nogil then 1 ms of io: after the C code the thread is back in
	//     Python and takes the GIL back before its sleep, and again after
	//     it before the page returns: an interval each, 5 + 0.1 + 10 + 5
	//     + 1 + 5 ms.
	const text = `
workload: {users: 2, requests: [{name: hog, steps: [{cpu: 1s}]}, {name: page, steps: [{cpu: 100us}, %s]}]}
app: {cores: 2, workers: 1, model: threads, concurrency: 2, switch_interval: 5ms, switch_cost: 0s}
`
	// The few pages that found no hog wait for no GIL: the lower bounds
	// allow them.
	for _, c := range []struct {
		steps  string
		lo, hi float64
	}{{"{nogil: 10ms}", 13.6, 15.6}, {"{cpu: 10ms}", 23.6, 25.6}, {"{nogil: 10ms}, {io: 1ms}", 24.6, 26.6}} {
		s := simulate(t, parse(t, fmt.Sprintf(text, c.steps)), 10*time.Second, 600*time.Second)
		page := s.Summary().Classes[1]
		t.Logf("page %s: %.2f ms (want %.1f-%.1f; %d pages)", c.steps, page.LatencyMs.Mean, c.lo, c.hi, page.Completed)
		if page.LatencyMs.Mean > c.hi || page.LatencyMs.Mean < c.lo {
			t.Errorf("page %s: %.2f ms, want %.1f-%.1f ms", c.steps, page.LatencyMs.Mean, c.lo, c.hi)
		}
	}
}

func TestResponseWriteWaitsForTheCoreItsReleaseGaveAway(t *testing.T) {
	long(t)
	// Four threads on one core at 80% load, pages of 10 ms of Python
	// (cv 0.15), preempted at the 4 ms tick. When a page's Python ends it
	// lets go of the GIL and signals a waiter, which has slept in its
	// timed wait and is owed service, so it often preempts the releaser
	// at once. A page that answers there has answered; one whose last
	// step is the response's write (nogil, 32 µs) must wait for the core
	// to write it, until the waiter's slice ends at a tick: its answer is
	// later by up to a tick, as often as a waiter preempted it. The same
	// CPU as Python (a cpu step of 10 ms + 32 µs, the same draws) answers
	// as its Python ends.
	const text = `
workload: {rate: 80, requests: [{steps: [{cpu: "lognormal(%s, 0.15)"}%s]}]}
app: {cores: 1, workers: 1, model: threads, concurrency: 4, backlog: 100}
`
	for seed := uint64(1); seed <= seeds(3); seed++ {
		mean := func(cpu, tail string) float64 {
			s, err := New(parse(t, fmt.Sprintf(text, cpu, tail)), Options{Seed: seed, Warmup: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			s.Advance(310 * time.Second)
			return s.Summary().LatencyMs.Mean
		}
		answer, write := mean("10.032ms", ""), mean("10ms", ", {nogil: 32us}")
		t.Logf("seed %d: %.2f ms answering as the Python ends, %.2f ms writing the response outside the GIL", seed, answer, write)
		// the same arrivals and draws: the difference is the write's wait
		// for the core, under a tick a page, and the queueing it adds
		if d := write - answer; d < 1 || d > 4 {
			t.Errorf("seed %d: the response's write makes the mean %.2f ms longer; want 1-4 ms, the wait for the core at a 4 ms tick", seed, d)
		}
	}
}
