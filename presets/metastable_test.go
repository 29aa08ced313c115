package presets

import (
	"math"
	"testing"
	"time"

	"scalesim/sim"
)

// goodput runs s from its clock to until and returns the answers per
// second clients got over that span.
func goodput(s *sim.Sim, until time.Duration) float64 {
	from, before := s.Now(), s.Totals().Logical.Goodput
	s.Advance(until)
	return float64(s.Totals().Logical.Goodput-before) / (until - from).Seconds()
}

// TestMetastablePresets shows the hysteresis the retry-storm preset
// teaches and the fix its sibling applies: the same 70 requests a second
// are served before the spike of its timeline (30 s to 40 s) and not
// after it, from a minute after the spike to seven minutes later,
// though the offered load is the same; with the retry budget they are
// served again. The tolerances are four standard errors of a Poisson
// count of 70 a second over the span.
func TestMetastablePresets(t *testing.T) {
	seeds := uint64(3)
	if testing.Short() {
		seeds = 1
	}
	for _, tc := range []struct {
		preset  string
		healthy bool
	}{{"retry-storm", false}, {"retry-budget", true}} {
		p, ok := Get(tc.preset)
		if !ok {
			t.Fatalf("no preset %s", tc.preset)
		}
		for seed := uint64(1); seed <= seeds; seed++ {
			top, err := p.Load()
			if err != nil {
				t.Fatal(err)
			}
			s, err := sim.New(top, sim.Options{Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			before := goodput(s, 30*time.Second)
			s.Advance(100 * time.Second) // the spike, and a minute to recover if it can
			after := goodput(s, 520*time.Second)
			if tol := 4 * math.Sqrt(70*30) / 30; math.Abs(before-70) > tol {
				t.Errorf("%s seed %d: goodput %.1f/s before the spike, want 70 within %.1f", tc.preset, seed, before, tol)
			}
			switch tol := 4 * math.Sqrt(70*420) / 420; {
			case tc.healthy && math.Abs(after-70) > tol:
				t.Errorf("%s seed %d: goodput %.1f/s after the spike, want 70 within %.1f, as before it", tc.preset, seed, after, tol)
			case !tc.healthy && after > 1:
				t.Errorf("%s seed %d: goodput %.1f/s after the spike, want a collapse below 1/s", tc.preset, seed, after)
			}
			c := s.Totals()
			if c.Arrived != c.Completed+c.Dropped+c.Failed+c.InFlight {
				t.Errorf("%s: conservation of attempts broken: %+v", tc.preset, c)
			}
			if s.Topology().Workload.Rate != 70 {
				t.Errorf("%s: rate %g after the timeline, want the 70 it started with", tc.preset, s.Topology().Workload.Rate)
			}
		}
	}
}
