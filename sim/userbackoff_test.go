package sim

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// TestUserBackoffDoublesAndResets: a user without think time waits,
// after each error in a row, a draw between half and all of 1ms, 2ms,
// 4ms, ... up to 1s, and after an answer goes on at once; an error after
// the answer starts again at 1ms. An answer at the very instant it was
// sent waits 1ms.
func TestUserBackoffDoublesAndResets(t *testing.T) {
	s, err := New(parse(t, "workload: {users: 1, requests: [{steps: [{cpu: 1ms}]}]}\napp: {}\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pop := &s.pops[0]
	s.now = int64(time.Second)
	sent := s.now - int64(time.Millisecond)
	check := func(what string, got, lo, hi int64) {
		t.Helper()
		if got < lo || got > hi {
			t.Errorf("%s: waits %v, want %v to %v", what, time.Duration(got), time.Duration(lo), time.Duration(hi))
		}
	}
	serial := uint64(0)
	errors := func(n int) {
		t.Helper()
		for k := range n {
			b := min(int64(time.Millisecond)<<k, int64(time.Second))
			serial++
			check(fmt.Sprintf("error %d in a row", k+1), s.userBackoff(pop, 0, sent, serial, true), b/2, b)
		}
	}
	errors(14)
	serial++
	check("an answer", s.userBackoff(pop, 0, sent, serial, false), 0, 0)
	errors(3)
	serial++
	check("an answer at once", s.userBackoff(pop, 0, s.now, serial, false), int64(time.Millisecond), int64(time.Millisecond))
	errors(1)

	// the draw follows the request: the same serial and run of errors
	// wait the same, another serial not
	pop.errs[0] = 5
	a := s.userBackoff(pop, 0, sent, 7, true)
	pop.errs[0] = 5
	if b := s.userBackoff(pop, 0, sent, 7, true); a != b {
		t.Errorf("request 7's sixth error waits %v, then %v", time.Duration(a), time.Duration(b))
	}
	pop.errs[0] = 5
	if c := s.userBackoff(pop, 0, sent, 8, true); a == c {
		t.Errorf("requests 7 and 8 wait the same %v", time.Duration(a))
	}
}

// TestRefusedUsersBackOff: users without think time far beyond what a
// full backlog holds are refused again and again, but each at most
// twice a simulated second once its run of errors has reached the 1s
// back-off (draws of 0.5 to 1 s, 0.75 s on average): the run's events per
// simulated second are bounded by its users. The draws spread them, so
// the backlog never empties between them and the cores stay busy: the
// server does its 200 requests a second.
func TestRefusedUsersBackOff(t *testing.T) {
	const users, measure = 20000, 10 * time.Second
	s := simulate(t, parse(t, fmt.Sprintf(`
workload: {users: %d, think: 0, requests: [{steps: [{cpu: 10ms}]}]}
app: {cores: 2, workers: 4, backlog: 100, switch_cost: 0s}
`, users)), 2*time.Second, measure)
	sum, w := s.Summary(), s.winCounts
	if w.Dropped == 0 || w.Failed != 0 {
		t.Fatalf("want refusals only: %+v", w)
	}
	expectNear(t, "throughput", sum.ThroughputRPS, 200, 0.01)
	if u := stationOf(t, sum, "cpu").Utilization; u < 0.995 {
		t.Errorf("cores %.1f%% busy: the refused users came back together and left them idle", 100*u)
	}
	// each user at the cap is refused 1/0.75s a second: at least once a
	// second and at most twice; a user answered starts its run of errors
	// again, a dozen refusals within its first second
	secs := measure.Seconds()
	lo, hi := float64(users)*secs, 2*float64(users)*secs+12*float64(w.Completed)
	if d := float64(w.Dropped); d < lo || d > hi {
		t.Errorf("%d refusals in %v, want %.0f to %.0f", w.Dropped, measure, lo, hi)
	}
	// More closely: a user at the cap is a renewal process of U(0.5 s,
	// 1 s) gaps, mean m = 0.75 s, variance v = 0.5²/12 s², so it is
	// refused secs/m times, with variance secs·v/m³, independently of
	// the others (each draw follows its request). The users in the
	// backlog or on a worker (at most 104) are not refused meanwhile; a
	// user answered restarts its run of errors, at most a dozen more
	// refusals each. Three standard errors either side.
	const m, v, held = 0.75, 0.25 / 12, 104
	sd := math.Sqrt(users * secs * v / (m * m * m))
	lo, hi = (users-held)*secs/m-3*sd, users*secs/m+12*float64(w.Completed)+3*sd
	if d := float64(w.Dropped); d < lo || d > hi {
		t.Errorf("%d refusals in %v, want %.0f to %.0f (users / 0.75 s, less the users held, plus the answered users' new runs)", w.Dropped, measure, lo, hi)
	}
}

// TestManyRefusedUsersMoveTheClock: users without think time by the
// hundred thousand against a backlog of 100 (a million took 20 s for
// 49 ms of simulated time) reach 2 simulated seconds within 16 events per
// user a second.
func TestManyRefusedUsersMoveTheClock(t *testing.T) {
	const users = 100000
	s, err := New(parse(t, fmt.Sprintf(`
workload: {users: %d, think: 0, requests: [{steps: [{cpu: 10ms}]}]}
app: {cores: 2, workers: 4, backlog: 100}
`, users)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.AdvanceBudget(2*time.Second, 2*16*users) {
		t.Fatalf("the clock at %v after %d events (%d refusals): refused users spin", s.Now(), 2*16*users, s.Totals().Dropped)
	}
	checkConservation(t, s)
}

// TestReturningUserBacksOffAfresh: a user who left the workload (it
// shrank) during a run of errors and is started again when it grows back
// is a new user: its first error waits a draw of 0.5-1 ms, not the
// back-off its old run of errors had reached.
func TestReturningUserBacksOffAfresh(t *testing.T) {
	s, err := New(parse(t, "workload: {users: 2, requests: [{steps: [{cpu: 1ms}]}]}\napp: {}\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pop := &s.pops[0]
	s.now = int64(time.Second)
	sent := s.now - int64(time.Millisecond)
	for serial := range uint64(12) { // user 1's errors in a row: its back-off at 1 s
		s.userBackoff(pop, 1, sent, serial, true)
	}
	s.setPopulation(0, 1)
	s.userDone(userID(0, 1), sent, 12, true) // beyond the target: it leaves
	s.setPopulation(0, 2)
	if got := s.userBackoff(pop, 1, sent, 13, true); got < int64(time.Millisecond)/2 || got > int64(time.Millisecond) {
		t.Errorf("the user started again waits %v after its first error; want 0.5-1ms", time.Duration(got))
	}
}
