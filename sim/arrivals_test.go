package sim

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestArrivalsAreTheSimulations: Arrivals gives, to the nanosecond, the
// arrival times a simulation of the same topology and seed makes, at a
// constant rate and under stages, for the topology's seed and another;
// a different seed gives other times.
func TestArrivalsAreTheSimulations(t *testing.T) {
	const d = 20 * time.Second
	for _, text := range []string{
		arrivalsOnly,
		`
workload: {rate: 50, stages: [{duration: 5s, target: 300}, {duration: 5s, target: 300}, {duration: 4s, target: 20}], requests: [{steps: [{cpu: 1us}]}]}
app: {cores: 64, workers: 64, backlog: unlimited}
`,
	} {
		top := parse(t, text)
		for _, seed := range []uint64{0, 7} {
			s, err := New(top, Options{Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			var want []time.Duration
			s.testArrival = func(at int64) { want = append(want, time.Duration(at)) }
			s.Advance(d)
			got, err := Arrivals(top, seed, d)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < 500 {
				t.Fatalf("seed %d: only %d arrivals in %s: too few to test", seed, len(want), d)
			}
			if !slices.Equal(got, want) {
				n := 0
				for n < min(len(got), len(want)) && got[n] == want[n] {
					n++
				}
				t.Fatalf("seed %d: Arrivals gives %d times, the simulation %d; they part at arrival %d", seed, len(got), len(want), n)
			}
		}
		one, _ := Arrivals(top, 1, d)
		other, _ := Arrivals(top, 2, d)
		if slices.Equal(one, other) {
			t.Fatal("seeds 1 and 2 give the same arrivals")
		}
	}
}

// TestArrivalsRefusesWhatDependsOnTheRun: a closed workload has no
// arrival times, and a timeline that sets the rate moves them.
func TestArrivalsRefusesWhatDependsOnTheRun(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{`
workload: {users: 5, requests: [{steps: [{cpu: 1ms}]}]}
app: {cores: 1}
`, "closed"},
		{`
workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}
app: {cores: 1}
events: [{at: 5s, set: {workload.rate: 20}}]
`, "workload.rate"},
	} {
		if _, err := Arrivals(parse(t, c.text), 1, time.Minute); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Arrivals: error %v, want one that says %q", err, c.want)
		}
	}
	// a timeline that changes something else leaves them alone
	top := parse(t, `
workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}
app: {cores: 1}
events: [{at: 5s, set: {app.workers: 2}}]
`)
	if got, err := Arrivals(top, 1, time.Minute); err != nil || len(got) < 400 {
		t.Errorf("Arrivals with a timeline of app.workers: %d times, error %v", len(got), err)
	}
}
