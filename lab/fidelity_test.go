package lab

import (
	"math"
	"testing"
)

// quiet is what a real uWSGI server measured in some of the lab's cases on
// a quiet core (the README's "Fidelity to real servers"), with the service
// time its pages had at one connection: 10 ms of CPU, coefficient of
// variation about 0.15.
var quiet = []struct {
	name       string  // a case of cases
	tput, mean float64 // req/s and ms; 0 where not measured
	// gap says why scalesim is known to miss the target in this case
	// (the README names it too); "" where it must meet it
	gap string
}{
	{name: "sync 4, cpu 10ms + io 40ms, 8 users", tput: 68.8},
	{name: "threads 4, cpu 10ms + io 40ms, 8 users", tput: 78.6},
	{name: "threads 4 si 1ms, cpu 10ms, open 80%", mean: 59, gap: "threads' CPU-bound latency"},
	{name: "threads 4, cpu 10ms, open 80%", mean: 61, gap: "threads' CPU-bound latency"},
	{name: "threads 4 si 20ms, cpu 10ms, open 80%", mean: 68, gap: "threads' CPU-bound latency"},
}

// The targets: throughput within 5% of the measurement, the mean latency
// within 15%.
const (
	tputTarget = 0.05
	meanTarget = 0.15
)

// TestFidelityToQuietMeasurements runs scalesim on the lab's own
// topologies for the cases measured on a quiet core and checks them
// against the targets, except where a known gap is named: those are
// logged with their error, so the README's list of differences can be
// checked against the run.
func TestFidelityToQuietMeasurements(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 300 s of simulated time per case; skipped with -short")
	}
	const service, cv = 10.0, 0.15
	byName := map[string]labCase{}
	for _, c := range cases {
		byName[c.name] = c
	}
	for _, m := range quiet {
		c, ok := byName[m.name]
		if !ok {
			t.Fatalf("%q is not a lab case", m.name)
		}
		rate := 0.0
		if c.users == 0 {
			rate = c.load * 1000 / service
		}
		got, err := c.predict(service, cv, rate)
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, got, want, tol float64) {
			if want == 0 {
				return
			}
			off := got/want - 1
			switch {
			case m.gap != "":
				t.Logf("%s: %s %.1f, measured %.1f (%+.0f%%): known gap, %s", m.name, what, got, want, 100*off, m.gap)
			case math.Abs(off) > tol:
				t.Errorf("%s: %s %.1f, measured %.1f: %+.1f%%, beyond the %.0f%% target", m.name, what, got, want, 100*off, 100*tol)
			default:
				t.Logf("%s: %s %.1f, measured %.1f (%+.1f%%)", m.name, what, got, want, 100*off)
			}
		}
		check("req/s", got.ThroughputRPS, m.tput, tputTarget)
		check("mean ms", got.LatencyMs.Mean, m.mean, meanTarget)
	}
}
