package sweep

import (
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"scalesim/theory"
	"scalesim/topology"
)

func load(t *testing.T, path string) *topology.Topology {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	top, err := topology.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return top
}

func long(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("a search of many long runs; skipped with -short")
	}
}

// mmcSojourn returns the mean and the quantile q of the response time of
// an M/M/c queue, in ms (infinite when it is unstable).
func mmcSojourn(c int, lambda, mu, q float64) (mean, quantile float64) {
	m := theory.MMc{Lambda: lambda, Mu: mu, C: c}
	if !m.Stable() {
		return math.Inf(1), math.Inf(1)
	}
	return m.W().Seconds() * 1e3, m.ResponseQuantile(q).Seconds() * 1e3
}

// The smallest worker count find gives for an M/M/c file is the one
// Erlang C gives, for a target on the mean response time (the wait plus
// the service) and one on the p99. The targets are chosen with margins
// on both sides of the answer that are many standard errors of runs of
// 70,000 requests wide; the test checks those margins before it runs.
func TestFindWorkersIsErlangC(t *testing.T) {
	long(t)
	base := load(t, "testdata/mmc.yaml")
	const lambda, mu = 350.0, 100.0 // io: exp(10ms)
	for _, tc := range []struct {
		slo   string
		limit float64 // ms
		q     float64 // 0: the mean
	}{
		{"mean<15ms", 15, 0},
		{"p99<75ms", 75, 0.99},
	} {
		t.Run(tc.slo, func(t *testing.T) {
			fig := func(c int) float64 {
				m, p := mmcSojourn(c, lambda, mu, 0.99)
				if tc.q == 0 {
					return m
				}
				return p
			}
			want := 1
			for fig(want) >= tc.limit {
				want++
			}
			// margins: the answer meets the target by 15%, the one below
			// misses it by 15%, or the test is not one the runs decide
			if fig(want) > 0.85*tc.limit || fig(want-1) < 1.15*tc.limit {
				t.Fatalf("the target %s is too close to the theory: c=%d gives %.1f ms, c=%d %.1f ms", tc.slo, want, fig(want), want-1, fig(want-1))
			}
			slo, err := ParseSLO(tc.slo)
			if err != nil {
				t.Fatal(err)
			}
			s := Search{Base: base, Path: "app.workers", SLO: slo, Seeds: []uint64{1, 2, 3, 4}, MaxSeeds: 16,
				Run: Run{Warmup: 20 * time.Second, Duration: 200 * time.Second}}
			ans, err := s.Find()
			if err != nil {
				t.Fatal(err)
			}
			if !ans.Found || ans.Value != strconv.Itoa(want) {
				t.Errorf("find says %q (found %v), Erlang C says %d workers; trials: %+v", ans.Value, ans.Found, want, ans.Trials)
			}
			if ans.Next == nil || ans.Next.Value != strconv.Itoa(want-1) || ans.Next.Verdict != Fails {
				t.Errorf("the value below the answer should fail with confidence: %+v", ans.Next)
			}
		})
	}
}

// The highest rate find gives for an M/M/1 file and a target on the
// mean response time is the closed form: W = 1/(μ-λ) < L gives
// λ < μ - 1/L, 80/s for μ = 100/s and L = 50 ms. The search resolves
// the rate to 1%, and a candidate within about two standard errors of
// the boundary (runs of 160,000 requests: under 3% of W at ρ = 0.8) is
// undecided and counts as failing, so the answer lies within 4% below
// the closed form, and never above it by more than the precision.
func TestFindMaxRateIsTheClosedForm(t *testing.T) {
	long(t)
	base := load(t, "testdata/mm1.yaml")
	slo, err := ParseSLO("mean<50ms")
	if err != nil {
		t.Fatal(err)
	}
	s := Search{Base: base, Path: "workload.rate", Highest: true, Precision: 0.01, SLO: slo,
		Seeds: []uint64{1, 2, 3, 4}, MaxSeeds: 16, Run: Run{Warmup: 100 * time.Second, Duration: 2000 * time.Second}}
	ans, err := s.Find()
	if err != nil {
		t.Fatal(err)
	}
	const want = 100 - 1/0.050
	got, _ := strconv.ParseFloat(ans.Value, 64)
	if !ans.Found || got < 0.96*want || got > 1.01*want {
		t.Errorf("find says %q (found %v); the closed form is %.1f/s; trials: %+v", ans.Value, ans.Found, want, ans.Trials)
	}
}

// An overloaded candidate is stopped early rather than run to the end.
func TestOverloadedCandidateStopsEarly(t *testing.T) {
	base := load(t, "testdata/mm1.yaml")
	over, err := base.With(topology.Change{Action: topology.ActSet, Path: "workload.rate", Value: "300"})
	if err != nil {
		t.Fatal(err)
	}
	slo, _ := ParseSLO("p99<50ms")
	s := Search{Base: base, SLO: slo, Run: Run{Warmup: time.Second, Duration: 1000 * time.Second}}
	r := Run{Warmup: time.Second, Duration: 1000 * time.Second, Stop: func() StopRule { return s.stopRule(over) }}
	res, err := r.One(over, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped == "" || res.Sum.DurationS > 100 {
		t.Errorf("a queue growing by 200 a second ran %.0f s of 1000 (stopped: %q)", res.Sum.DurationS, res.Stopped)
	}
	// a stable queue is never stopped by the rule
	ok, _ := base.With(topology.Change{Action: topology.ActSet, Path: "workload.rate", Value: "80"})
	r.Stop = func() StopRule { return s.stopRule(ok) }
	if res, _ := r.One(ok, 1); res.Stopped != "" {
		t.Errorf("a stable M/M/1 at ρ = 0.8 was stopped: %s", res.Stopped)
	}
}

// Each run of a candidate has its own stop rule: a seed's run stops
// where it stops alone, whichever seeds run beside it and however many
// at once. (One rule shared by the seeds' runs mixed their counts, so a
// search printed other stopping times from one run to the next.)
func TestEachRunHasItsOwnStopRule(t *testing.T) {
	base := load(t, "testdata/mm1.yaml")
	over, err := base.With(topology.Change{Action: topology.ActSet, Path: "workload.rate", Value: "300"})
	if err != nil {
		t.Fatal(err)
	}
	slo, _ := ParseSLO("p99<50ms")
	s := Search{Base: base, SLO: slo}
	r := Run{Warmup: time.Second, Duration: 1000 * time.Second, Stop: func() StopRule { return s.stopRule(over) }}
	seeds := []uint64{1, 2, 3, 4}
	var alone []string
	for _, seed := range seeds {
		res, err := r.One(over, seed)
		if err != nil {
			t.Fatal(err)
		}
		alone = append(alone, res.Stopped)
	}
	for _, jobs := range []int{1, 4} {
		err := r.Parallel([]Job{{Topology: over}}, seeds, jobs, func(d Done) error {
			for i, res := range d.Results {
				if res.Stopped != alone[i] || res.Stopped == "" {
					t.Errorf("jobs %d, seed %d: %q, alone %q", jobs, seeds[i], res.Stopped, alone[i])
				}
			}
			return d.Err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A run that answered nothing in its window (a rate too low for the
// window, or a stalled system) reads as a latency of 0: it must not
// count as meeting a latency objective, however low its "p99".
func TestNoAnswersDoNotMeetALatencyObjective(t *testing.T) {
	slo, err := ParseSLO("p99<200ms")
	if err != nil {
		t.Fatal(err)
	}
	s := Search{SLO: slo}
	answered := func(n uint64, p99 float64) Result {
		var r Result
		r.Sum.Window.Completed = n
		r.Sum.LatencyMs.P99 = p99
		return r
	}
	for _, c := range []struct {
		name    string
		results []Result
		want    Verdict
	}{
		{"every run answered", []Result{answered(100, 50), answered(90, 52), answered(95, 51)}, Meets},
		{"none answered", []Result{answered(0, 0), answered(0, 0), answered(0, 0)}, Unsure},
		{"one answered nothing", []Result{answered(100, 50), answered(0, 0), answered(95, 51)}, Unsure},
	} {
		tr := &Trial{}
		s.judge(tr, c.results)
		if tr.Verdict != c.want {
			t.Errorf("%s: %s, want %s", c.name, tr.Verdict, c.want)
		}
	}
}
