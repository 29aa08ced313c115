package sim

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"scalesim/topology"
)

// TestTinyRatesNeverArrive: the gap to the first arrival at 1e-20 per
// second is longer than the clock can count, and at 1e-15 it is some
// thirty years: a run of seconds sees no arrival and processes only its
// ticks. The budget of events bounds the test, not a timer.
func TestTinyRatesNeverArrive(t *testing.T) {
	for _, rate := range []string{"1e-20", "1e-15", "1e-300"} {
		s, err := New(parse(t, "workload: {rate: "+rate+", requests: [{steps: [{cpu: 1ms}]}]}\napp: {}\n"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !s.AdvanceBudget(11*time.Second, 1000) {
			t.Fatalf("rate %s: 11 simulated seconds took more than 1000 events", rate)
		}
		if got := s.Totals().Arrived; got != 0 {
			t.Fatalf("rate %s: %d arrivals in 11s", rate, got)
		}
		if s.Now() != 11*time.Second {
			t.Fatalf("rate %s: the clock reads %v after 11s", rate, s.Now())
		}
		// a rate that can arrive starts the stream again
		next := s.Topology()
		next.Workload.Rate = 100
		if err := s.Apply(next); err != nil {
			t.Fatal(err)
		}
		if !s.AdvanceBudget(12*time.Second, 10000) || s.Totals().Arrived < 50 {
			t.Fatalf("rate %s then 100: %d arrivals in a second", rate, s.Totals().Arrived)
		}
		checkConservation(t, s)
	}
}

// TestWaitsBeyondTheClockNeverEnd: fixed latencies and timeouts longer
// than the clock can count from now never come due, and never wrap
// round into the past.
func TestWaitsBeyondTheClockNeverEnd(t *testing.T) {
	s, err := New(parse(t, `
workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}
app: {timeout: 2562047h}
lb: {latency: 2562047h}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.AdvanceBudget(10*time.Second, 10000) {
		t.Fatal("10 simulated seconds took more than 10000 events")
	}
	c := s.Totals()
	if c.Arrived == 0 || c.Completed != 0 || c.InFlight != c.Arrived {
		t.Fatalf("requests on a hop of 292 years: %+v", c)
	}
	if s.Now() != 10*time.Second {
		t.Fatalf("the clock reads %v", s.Now())
	}
}

// TestSlicingDoesNotChangeTheRun: a run advanced in one call, and the
// same run advanced in slices of a random number of events and random
// simulated times with snapshots read between them, end byte-identical:
// the mixed topology, and nogilMixed.
func TestSlicingDoesNotChangeTheRun(t *testing.T) {
	for _, text := range []string{mixed, nogilMixed} {
		const end = 20 * time.Second
		whole, err := New(parse(t, text), Options{Warmup: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		whole.Advance(end)
		want, _ := json.Marshal(whole.Summary())

		sliced, err := New(parse(t, text), Options{Warmup: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		calls := 0
		for sliced.Now() < end || !sliced.AdvanceBudget(end, 0) {
			calls++
			if rng.IntN(2) == 0 {
				sliced.AdvanceBudget(end, uint64(1+rng.IntN(1000)))
			} else {
				sliced.Advance(min(end, sliced.Now()+time.Duration(rng.IntN(200))*time.Millisecond))
			}
			if calls%7 == 0 {
				_ = sliced.Snapshot()
			}
		}
		got, _ := json.Marshal(sliced.Summary())
		if string(got) != string(want) {
			t.Fatalf("sliced in %d calls the run differs:\n%s\none call:\n%s", calls, got, want)
		}
		if calls < 100 {
			t.Fatalf("only %d slices", calls)
		}
	}
}

// TestExtremeDistributionsRun puts each family at the edge of what
// Validate accepts in every place a duration is drawn (cpu, io, db,
// offload, cache and stock queries, think time) and runs it in calls of
// a bounded number of events: each call returns, the clock only moves
// forward, every request is accounted for, and an open workload reaches
// three simulated seconds within its budget.
func TestExtremeDistributionsRun(t *testing.T) {
	long(t)
	for _, d := range []string{
		"0", "240h", "exp(1ns)", "exp(52h)", "'uniform(0s, 240h)'", "'lognormal(1ns, 100)'", "'lognormal(1s, 100)'",
		"'erlang(1000, 1ns)'", "'erlang(1, 50h)'", "'pareto(1ns, 1.13)'", "'pareto(10ms, 1.23)'", "'pareto(1h, 2)'",
	} {
		for _, workload := range []string{"rate: 1000", "users: 50\n  think: " + d} {
			text := `
workload:
  ` + workload + `
  requests:
    - steps: [{cpu: ` + d + `}, {io: ` + d + `}, {db: ` + d + `}, {offload: ` + d + `}, {cache: {miss: [{read: ` + d + `}]}}, {buy: ` + d + `}]
app: {nodes: 2, workers: 4, model: threads, concurrency: 4, timeout: 2s}
cache: {latency: ` + d + `}
offload: {speed: 2}
stock: {quantity: 100, query: ` + d + `}
`
			top, err := topology.Parse("extreme.yaml", []byte(text))
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			s, err := New(top, Options{})
			if err != nil {
				t.Fatal(err)
			}
			// a closed loop of users thinking 1ns sends billions of
			// requests a second: the budget bounds each call, not the run
			last, done := s.Now(), false
			for i := 0; i < 20 && !done; i++ {
				done = s.AdvanceBudget(3*time.Second, 10_000)
				if s.Now() < last {
					t.Fatalf("%s, %s: the clock went back from %v to %v", d, workload, last, s.Now())
				}
				last = s.Now()
			}
			if !done && workload == "rate: 1000" {
				t.Fatalf("%s, %s: 3s took more than 200000 events", d, workload)
			}
			checkConservation(t, s)
			checkActivities(t, s)
		}
	}
}
