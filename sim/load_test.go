package sim

import (
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

// arrivalsOf runs text for d and returns the open workload's arrival
// times; change, if not nil, runs at time at.
func arrivalsOf(t *testing.T, text string, d time.Duration, at time.Duration, change *topology.Change) (*Sim, []int64) {
	t.Helper()
	s, err := New(parse(t, text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var times []int64
	s.testArrival = func(at int64) { times = append(times, at) }
	if change != nil {
		s.Advance(at)
		if _, err := s.Do(*change); err != nil {
			t.Fatal(err)
		}
	}
	s.Advance(d)
	return s, times
}

const arrivalsOnly = `
workload: {rate: 100, requests: [{steps: [{cpu: 1us}]}]}
app: {cores: 64, workers: 64, backlog: unlimited}
`

// TestRateChangeRetimesThePendingArrival: a rate set at 5 s leaves every
// arrival before it as it was, and the pending one keeps its gap: the
// part the old rate used up stays used, the rest runs at the new rate.
// The gaps after it are the same unit-rate draws, scaled by the new rate.
func TestRateChangeRetimesThePendingArrival(t *testing.T) {
	const at = int64(5 * time.Second)
	_, base := arrivalsOf(t, arrivalsOnly, 10*time.Second, 0, nil)
	set := topology.Change{Action: topology.ActSet, Path: "workload.rate", Value: "400", Source: "test"}
	_, fast := arrivalsOf(t, arrivalsOnly, 10*time.Second, 5*time.Second, &set)
	k := sort.Search(len(base), func(i int) bool { return base[i] > at })
	if k < 100 || k >= len(base)-50 {
		t.Fatalf("%d of %d arrivals before the change: the run is too short to test", k, len(base))
	}
	for i := 0; i < k; i++ {
		if base[i] != fast[i] {
			t.Fatalf("arrival %d at %dns without the change, %dns with it", i, base[i], fast[i])
		}
	}
	prev := base[k-1]
	// the pending gap: 100/s × (at - prev) + 400/s × (fast - at) = 100/s × (base - prev)
	used := 100 * float64(at-prev) / 1e9
	if got, want := used+400*float64(fast[k]-at)/1e9, 100*float64(base[k]-prev)/1e9; math.Abs(got-want) > 1e-6 {
		t.Fatalf("pending arrival re-timed to %dns: its unit gap %g, drawn %g", fast[k], got, want)
	}
	if fast[k] == base[k] {
		t.Fatal("the pending arrival was not re-timed")
	}
	for i := k + 1; i < k+50; i++ {
		g0 := 100 * float64(base[i]-base[i-1]) / 1e9
		g1 := 400 * float64(fast[i]-fast[i-1]) / 1e9
		if math.Abs(g0-g1) > 1e-5 {
			t.Fatalf("gap %d: unit gap %g without the change, %g with it: redrawn", i, g0, g1)
		}
	}
}

// A shape with every kind of segment: a ramp up from nothing, a hold, a
// ramp down, a jump up, a ramp to nothing, a pause, and a hold.
const shaped = `
workload:
  stages:
    - {duration: 20s, target: 3000}
    - {duration: 10s, target: 3000}
    - {duration: 15s, target: 500}
    - {duration: 0, target: 2000}
    - {duration: 10s, target: 0}
    - {duration: 5s, target: 0}
    - {duration: 0, target: 1000}
  requests: [{steps: [{cpu: 1us}]}]
app: {cores: 64, workers: 64, backlog: unlimited}
`

// TestShapedArrivalsArePoisson: counts in windows of 250 ms match a
// Poisson law of mean the integrated rate (a chi-square over the
// windows), and the time-rescaled gaps, the integrated rate between
// consecutive arrivals, pass a Kolmogorov-Smirnov test against Exp(1).
func TestShapedArrivalsArePoisson(t *testing.T) {
	const span = 80 * time.Second
	s, times := arrivalsOf(t, shaped, span, 0, nil)
	sh := &s.load.shape
	const win = int64(250 * time.Millisecond)
	windows := int(int64(span) / win)
	counts := make([]float64, windows)
	for _, at := range times {
		if w := int(at / win); w < windows {
			counts[w]++
		}
	}
	chi2, dof := 0.0, 0
	for w := range counts {
		mean := sh.integral(int64(w)*win, int64(w+1)*win)
		if mean == 0 {
			if counts[w] != 0 {
				t.Fatalf("window %d: %g arrivals where the rate is 0", w, counts[w])
			}
			continue
		}
		chi2 += (counts[w] - mean) * (counts[w] - mean) / mean
		dof++
	}
	// chi2 has mean dof and standard deviation sqrt(2 dof): 4 of them
	if math.Abs(chi2-float64(dof)) > 4*math.Sqrt(2*float64(dof)) {
		t.Errorf("chi-square %.0f over %d windows: not Poisson with the integrated rate", chi2, dof)
	}
	total := sh.integral(0, int64(span))
	expectNear(t, "arrivals", float64(len(times)), total, 4/math.Sqrt(total))

	// time rescaling (Brown et al., 2002): the integrated rate between
	// arrivals is Exp(1)
	gaps := make([]float64, 0, len(times))
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, sh.integral(times[i-1], times[i]))
	}
	sort.Float64s(gaps)
	d := 0.0
	n := float64(len(gaps))
	for i, g := range gaps {
		f := 1 - math.Exp(-g)
		d = math.Max(d, math.Max(math.Abs(f-float64(i)/n), math.Abs(float64(i+1)/n-f)))
	}
	// the Kolmogorov distribution's 0.1% point is 1.95/sqrt(n)
	if d > 1.95/math.Sqrt(n) {
		t.Errorf("KS distance %.4f over %d rescaled gaps, above %.4f", d, len(gaps), 1.95/math.Sqrt(n))
	}
	if len(gaps) < 50000 {
		t.Fatalf("only %d gaps", len(gaps))
	}
}

// TestInverseOfTheIntegratedRate checks the inversion on each kind of
// segment: the integral from the start to the time found is the mass.
func TestInverseOfTheIntegratedRate(t *testing.T) {
	s, err := New(parse(t, shaped), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sh := &s.load.shape
	for _, from := range []time.Duration{0, 5 * time.Second, 29 * time.Second, 44 * time.Second, 54 * time.Second, 56 * time.Second} {
		for _, mass := range []float64{1e-3, 0.5, 1, 7, 300, 5000} {
			at := sh.inverse(int64(from), mass)
			if got := sh.integral(int64(from), at); math.Abs(got-mass) > 1e-5*math.Max(1, mass) {
				t.Errorf("from %v, mass %g: at %v the integral is %g", from, mass, time.Duration(at), got)
			}
		}
	}
	flat := loadShape{start: []int64{0}, v0: []float64{0}, v1: []float64{0}}
	if flat.inverse(0, 1) != never {
		t.Error("a rate of 0 gives an arrival")
	}
}

// TestUsersFollowTheirStages: a closed workload's population is its
// target rounded, as it ramps up, holds and ramps down; the users beyond
// it leave after their current request.
func TestUsersFollowTheirStages(t *testing.T) {
	s, err := New(parse(t, `
workload:
  users: 2
  think: exp(50ms)
  stages: [{duration: 10s, target: 40}, {duration: 5s, target: 40}, {duration: 5s, target: 3}]
  requests: [{steps: [{cpu: 1ms}]}]
app: {cores: 8, workers: 64}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := s.topo.Workload
	for at := 100 * time.Millisecond; at <= 25*time.Second; at += 100 * time.Millisecond {
		s.Advance(at)
		want := int(math.Floor(w.LoadAt(at) + 0.5))
		if s.pops[0].target != want {
			t.Fatalf("at %v: %d users, the target is %.2f", at, s.pops[0].target, w.LoadAt(at))
		}
		active := 0
		for _, in := range s.pops[0].users {
			if in {
				active++
			}
		}
		// users above the target finish their request (a few ms) first
		if active < want || active > want+3 {
			t.Fatalf("at %v: %d users in their cycle, the target is %d", at, active, want)
		}
	}
	checkConservation(t, s)
}

// TestStagesArePhases: each stage boundary cuts the phases, labelled with
// the stage that begins.
func TestStagesArePhases(t *testing.T) {
	s, err := New(parse(t, `
workload:
  rate: 100
  spike: {at: 10s, to: 1000, for: 5s, ramp: 2s}
  requests: [{steps: [{cpu: 1ms}]}]
app: {cores: 8, workers: 16}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(30 * time.Second)
	ph := s.Phases()
	var ends []float64
	for _, p := range ph {
		ends = append(ends, p.ToS)
	}
	want := []float64{10, 12, 17, 19, 30}
	if len(ph) != len(want) {
		t.Fatalf("phases end at %v, want %v", ends, want)
	}
	for i := range want {
		if math.Abs(ph[i].ToS-want[i]) > 1e-9 {
			t.Fatalf("phases end at %v, want %v", ends, want)
		}
	}
	if !strings.HasPrefix(ph[1].Label, "stage 2: 100 → 1000/s over 2s") || !strings.HasPrefix(ph[4].Label, "after the stages: 100/s") {
		t.Errorf("labels %q, %q", ph[1].Label, ph[4].Label)
	}
	// the hold at the top serves about 1000/s
	expectNear(t, "throughput at the top", ph[2].ThroughputRPS, 1000, 0.1)
}
