package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"scalesim/topology"
)

// checkClients asserts that the logical requests' records agree with the
// attempts: every attempt a client waits for points back at its request.
func checkClients(t testing.TB, s *Sim) {
	t.Helper()
	live := map[int32]bool{}
	for _, lid := range s.cl.free {
		live[lid] = false
	}
	waiting := 0
	for lid := range s.cl.reqs {
		if _, freed := live[int32(lid)]; freed {
			continue
		}
		waiting++
		if cur := s.cl.reqs[lid].cur; cur >= 0 {
			if r := &s.reqs[cur]; r.state == stFree || r.lid != int32(lid) {
				t.Fatalf("logical request %d waits for attempt %d, which is not its (state %d, lid %d)", lid, cur, r.state, r.lid)
			}
		}
	}
	for id := range s.reqs {
		r := &s.reqs[id]
		if r.state != stFree && !r.internal && r.lid >= 0 && s.cl.reqs[r.lid].cur != int32(id) {
			t.Fatalf("attempt %d names logical request %d, which waits for %d", id, r.lid, s.cl.reqs[r.lid].cur)
		}
		if r.state != stFree && r.lid == lidSelf {
			waiting++ // its own logical request
		}
	}
	if waiting != s.cl.waiting {
		t.Fatalf("%d logical requests live, counted %d", waiting, s.cl.waiting)
	}
}

// TestConservationWithRetries checks both levels' conservation laws at
// many instants of a run where every way of ending happens: completions,
// wasted completions, 503 drops, harakiri, a node taken down, retries
// throttled by a budget, and clients that give up.
func TestConservationWithRetries(t *testing.T) {
	top := parse(t, `
workload:
  rate: 300
  requests:
    - name: page
      share: 3
      steps: [{cpu: exp(10ms)}, {io: exp(100ms)}]
      client:
        timeout: 250ms
        retry: {attempts: 4, backoff: 20ms, multiplier: 2, max_backoff: 200ms}
    - name: api
      steps: [{cpu: exp(5ms)}]
      client:
        timeout: 1s
        retry: {attempts: 3, on: [dropped, failed]}
        budget: {tokens: 10, ratio: 0.1}
    - name: plain
      steps: [{cpu: 2ms}, {io: exp(100ms)}]
app: {nodes: 2, cores: 2, workers: 16, backlog: 20, timeout: 300ms}
`)
	s, err := New(top, Options{Warmup: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 300; i++ {
		s.Advance(time.Duration(i) * 100 * time.Millisecond)
		switch i {
		case 100:
			s.SetNodeUp(1, false)
		case 150:
			s.SetNodeUp(1, true)
		}
		checkConservation(t, s)
		if i%50 == 0 {
			checkClients(t, s)
		}
	}
	c, w := s.Totals(), s.Summary().Window
	for name, n := range map[string]uint64{
		"retries": c.Retries, "wasted": c.Wasted, "goodput": c.Logical.Goodput, "abandoned": c.Logical.Abandoned,
		"dropped requests": c.Logical.Dropped, "failed requests": c.Logical.Failed,
		"503 drops": c.DroppedBy.BacklogFull, "harakiri": c.FailedBy.Timeout, "node down": c.FailedBy.NodeDown,
	} {
		if n == 0 {
			t.Errorf("no %s: the test does not exercise every ending (%+v)", name, c)
		}
	}
	// the window's identities hold too: both sides are counted at once
	if w.Arrived != w.Logical.Sent+w.Retries || w.Completed != w.Logical.Goodput+w.Wasted {
		t.Errorf("window levels disagree: %+v", w)
	}
	sum := s.Summary()
	if !(sum.GoodputRPS < sum.ThroughputRPS) || !near(sum.GoodputRPS, float64(w.Logical.Goodput)/sum.DurationS, 1e-9) {
		t.Errorf("goodput %.1f/s, throughput %.1f/s", sum.GoodputRPS, sum.ThroughputRPS)
	}
}

// TestClientTimeoutWastesWork: clients that give up before any answer
// comes get none, and the server still does all the work.
func TestClientTimeoutWastesWork(t *testing.T) {
	top := parse(t, `
workload:
  rate: 50
  requests: [{steps: [{cpu: 100ms}], client: {timeout: 50ms}}]
app: {cores: 8, workers: 8}
`)
	s := simulate(t, top, 0, 60*time.Second)
	c, sum := s.Totals(), s.Summary()
	if c.Logical.Goodput != 0 || c.Wasted != c.Completed || c.Logical.Abandoned+c.Logical.Waiting != c.Logical.Sent || c.Retries != 0 {
		t.Errorf("want every request abandoned and every completion wasted: %+v", c)
	}
	// the server's throughput is the offered load: 50/s, Poisson over 60 s
	expectNear(t, "throughput", sum.ThroughputRPS, 50, 4*math.Sqrt(50*60)/(50*60))
	if sum.GoodputRPS != 0 || sum.LatencyMs.P50 != 0 {
		t.Errorf("goodput %.1f/s, p50 %.1fms: nobody got an answer", sum.GoodputRPS, sum.LatencyMs.P50)
	}
}

// allDown is a closed workload of one user, thinking 0, whose every
// attempt fails at once: no node is up.
func allDown(t *testing.T, client string) *Sim {
	t.Helper()
	top := parse(t, "workload:\n  users: 1\n  requests: [{steps: [{cpu: 1ms}], client: "+client+"}]\napp: {}\n")
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetNodeUp(0, false)
	return s
}

// TestRetryBackoff: without jitter, the user's cycle is the backoffs
// exactly: 100ms, 200ms, then capped at 250ms.
func TestRetryBackoff(t *testing.T) {
	s := allDown(t, "{retry: {attempts: 4, backoff: 100ms, multiplier: 2, max_backoff: 250ms, jitter: none}}")
	const cycle = 550 * time.Millisecond
	s.Advance(100*cycle - time.Millisecond)
	c := s.Totals()
	if c.Logical.Sent != 100 || c.Logical.Failed != 99 || c.Retries != 3*99+2 || c.FailedBy.NoNodeUp != c.Arrived {
		t.Errorf("after 100 cycles less 1ms: %+v", c)
	}
	checkConservation(t, s)
}

// TestRetryFullJitter: with full jitter each backoff is uniform below
// its cap, so a cycle averages half the caps' sum, 275ms, with a
// variance of the sum of cap²/12.
func TestRetryFullJitter(t *testing.T) {
	s := allDown(t, "{retry: {attempts: 4, backoff: 100ms, multiplier: 2, max_backoff: 250ms}}")
	const n = 2000
	for s.Totals().Logical.Failed < n {
		s.Advance(s.Now() + time.Second)
	}
	// the n-th failure's time, to the second, over n cycles
	mean := s.Now().Seconds() / n
	sd := math.Sqrt((0.1*0.1 + 0.2*0.2 + 0.25*0.25) / 12)
	if tol := 4*sd/math.Sqrt(n) + 1.0/n; math.Abs(mean-0.275) > tol {
		t.Errorf("mean cycle %.4fs, want 0.275s within %.4fs", mean, tol)
	}
}

// TestRetryBudget: gRPC's throttling lets retries through while more
// than half the tokens are left. Every attempt fails: the failures take
// the tokens from 10 to 9, 8, 7, 6 with a retry each, the fifth leaves 5
// and stops retries for good, as no success ever gives a token back.
// The user, refused at once with no retry, backs off at most
// backoffMax: over a minute it sends at least 60 requests.
func TestRetryBudget(t *testing.T) {
	s := allDown(t, "{retry: {attempts: 10, backoff: 1ms}, budget: {tokens: 10, ratio: 0.1}}")
	s.Advance(time.Minute)
	c := s.Totals()
	if c.Retries != 4 || c.Logical.Throttled != c.Logical.Failed || c.Logical.Failed < 60 {
		t.Errorf("want 4 retries, then every request throttled: %+v", c.Logical)
	}
	if b := s.cl.cfg[0].budget; b.tokens != 0 {
		t.Errorf("tokens %g, want 0", b.tokens)
	}
}

// TestRetryOnlyListedOutcomes: a policy retrying only drops does not
// retry failures, and one retrying only timeouts does not retry drops.
func TestRetryOnlyListedOutcomes(t *testing.T) {
	s := allDown(t, "{retry: {attempts: 3, backoff: 1ms, on: [dropped]}}")
	s.Advance(time.Second)
	if c := s.Totals(); c.Retries != 0 || c.Logical.Failed == 0 {
		t.Errorf("failures retried by a policy of drops: %+v", c)
	}
	top := parse(t, `
workload:
  rate: 200
  requests: [{steps: [{cpu: 10ms}], client: {timeout: 10s, retry: {attempts: 3, on: [timeout]}}}]
app: {backlog: 0}
`)
	sim := simulate(t, top, 0, 10*time.Second)
	if c := sim.Totals(); c.Retries != 0 || c.Logical.Dropped != c.Dropped || c.Dropped == 0 {
		t.Errorf("drops retried by a policy of timeouts: %+v", c)
	}
}

// metastable is a server of capacity 100/s (4 cores, 4 workers, 40ms
// each) under 70 requests/s, whose clients time out after 1s and try
// three times: healthy, but three attempts of every request would be
// 210/s.
func metastable(t *testing.T, budget string) *topology.Topology {
	return parse(t, `
workload:
  rate: 70
  requests:
    - steps: [{cpu: exp(40ms)}]
      client:
        timeout: 1s
        retry: {attempts: 3, backoff: 100ms, multiplier: 2, max_backoff: 1s}`+budget+`
app: {cores: 4, workers: 4, backlog: 1000}
`)
}

// goodputOver runs s from its clock to until and returns the goodput
// per second over that span.
func goodputOver(s *Sim, until time.Duration) float64 {
	from, before := s.Now(), s.Totals().Logical.Goodput
	s.Advance(until)
	return float64(s.Totals().Logical.Goodput-before) / (until - from).Seconds()
}

// TestMetastableRetryStorm shows the hysteresis of a metastable failure
// (Bronson et al., HotOS 2021): 70 requests/s are served before a
// 10-second spike to 200/s and not after it, for as long as the test
// runs, though the offered load is the same; the spike is the trigger,
// the retries the sustaining effect. A retry budget removes it.
func TestMetastableRetryStorm(t *testing.T) {
	for _, tc := range []struct {
		name, budget string
		healthy      bool
	}{
		{"no budget", "", false},
		{"budget", "\n        budget: {tokens: 10, ratio: 0.1}", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= seeds(5); seed++ {
				top := metastable(t, tc.budget)
				s, err := New(top, Options{Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				before := goodputOver(s, 60*time.Second)
				spike := top.Clone()
				spike.Workload.Rate = 200
				if err := s.Apply(spike); err != nil {
					t.Fatal(err)
				}
				s.Advance(70 * time.Second)
				if err := s.Apply(top); err != nil {
					t.Fatal(err)
				}
				s.Advance(130 * time.Second) // a minute to recover, if it can
				after := goodputOver(s, 530*time.Second)
				checkConservation(t, s)
				// 70/s over a minute: a Poisson count's 4 standard errors
				if tol := 4 * math.Sqrt(70*60) / 60; math.Abs(before-70) > tol {
					t.Errorf("seed %d: goodput %.1f/s before the spike, want 70 within %.1f", seed, before, tol)
				}
				switch {
				case tc.healthy && math.Abs(after-70) > 4*math.Sqrt(70*400)/400:
					t.Errorf("seed %d: goodput %.1f/s from 1 to 8 minutes after the spike, want 70 as before", seed, after)
				case !tc.healthy && after > 1:
					t.Errorf("seed %d: goodput %.1f/s from 1 to 8 minutes after the spike, want a collapse (below 1/s)", seed, after)
				}
				if c := s.Totals(); !tc.healthy && c.Wasted < 90*400 {
					t.Errorf("seed %d: %d wasted completions, want the server busy with work nobody waits for", seed, c.Wasted)
				}
			}
		})
	}
}

// TestRetryStormAllocatesNothing: in a retry storm's steady state
// (timeouts, retries, drops, wasted work) the logical requests and
// deadlines reuse their records.
func TestRetryStormAllocatesNothing(t *testing.T) {
	top := metastable(t, "")
	top.Workload.Rate = 200
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(60 * time.Second)
	allocs := testing.AllocsPerRun(5, func() { s.Advance(s.Now() + time.Second) })
	if allocs > 0 {
		t.Fatalf("%.1f allocations per simulated second in a retry storm", allocs)
	}
	if c := s.Totals(); c.Retries == 0 || c.Wasted == 0 {
		t.Fatalf("no storm: %+v", c)
	}
}

// TestClientPolicyComesAndGoesMidRun: an attempt sent while no client
// times out or retries is its own logical request, with no record; an
// edit that gives its client retries and a timeout while it is in flight
// must end it as the policy then in force says, as if it had had a record
// from the start. So a run whose clients have no policy until 10 s must
// give, figure for figure, what a run whose clients wait 1 h from the
// start (every attempt with a record, a deadline that never comes) gives
// under the same changes: at 10 s retries and a 250 ms timeout, and node
// 1 crashes with attempts of both kinds in flight; at 20 s the policy
// goes again and node 1 comes back.
func TestClientPolicyComesAndGoesMidRun(t *testing.T) {
	const file = `
workload:
  rate: 300
  requests:
    - name: page
      steps: [{cpu: exp(10ms)}, {io: exp(100ms)}]
%s
app: {nodes: 2, cores: 2, workers: 16, backlog: 20}
`
	run := func(client string) (*Sim, int) {
		s, err := New(parse(t, fmt.Sprintf(file, client)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		do := func(c topology.Change) {
			t.Helper()
			if _, err := s.Do(c); err != nil {
				t.Fatal(err)
			}
		}
		s.Advance(10 * time.Second)
		self := 0
		for i := range s.reqs {
			if r := &s.reqs[i]; r.state != stFree && r.lid == lidSelf {
				self++
			}
		}
		do(topology.Change{Action: topology.ActSet, Path: "workload.requests[page].client",
			Value: "{timeout: 250ms, retry: {attempts: 3, on: [timeout, failed]}}"})
		do(topology.Change{Action: topology.ActNodeDown, Node: 1})
		checkClients(t, s)
		for i := 1; i <= 100; i++ {
			s.Advance(10*time.Second + time.Duration(i)*100*time.Millisecond)
			checkConservation(t, s)
		}
		checkClients(t, s)
		do(topology.Change{Action: topology.ActSet, Path: "workload.requests[page].client", Value: "null"})
		do(topology.Change{Action: topology.ActNodeUp, Node: 1})
		s.Advance(30 * time.Second)
		checkConservation(t, s)
		checkClients(t, s)
		return s, self
	}
	plain, self := run("")
	recorded, selfRecorded := run("      client: {timeout: 1h}")
	if self == 0 || selfRecorded != 0 {
		t.Fatalf("at the edit %d attempts of the run without a policy were their own record (want some), %d of the run with one (want none)", self, selfRecorded)
	}
	if !plain.cl.direct || !recorded.cl.direct {
		t.Errorf("with the policy gone, the clients need no record again: %v, %v", plain.cl.direct, recorded.cl.direct)
	}
	c := plain.Totals()
	if c.Retries == 0 || c.Logical.Abandoned == 0 || c.FailedBy.NodeDown == 0 {
		t.Fatalf("the policy was not exercised: %+v", c)
	}
	a, b := plain.Summary(), recorded.Summary()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) || plain.Totals() != recorded.Totals() {
		t.Errorf("without a policy until 10 s:\n%s\n%+v\nwith records from the start:\n%s\n%+v", ja, plain.Totals(), jb, recorded.Totals())
	}
}
