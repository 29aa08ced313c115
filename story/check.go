package story

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"scalesim/sim"
	"scalesim/sweep"
	"scalesim/topology"
)

// This file checks a story: each claim over every seed, and each claim
// again with its step's changes withheld (the ablation). A claim passes
// when it holds on every seed; it depends on its step when, withheld the
// step's changes, it fails on every seed. A claim of a step without
// changes cannot depend on it, and fails the check.

// Seeds returns n seeds from the story's own: Seed, Seed+1, ..., so
// that the run presented on stage is the first one checked.
func (st *Story) Seeds(n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = st.Seed + uint64(i)
	}
	return out
}

// Report is the result of a check, the same for the same story and
// seeds whatever the machine.
type Report struct {
	Story *Story
	Seeds []uint64
	// Steps are the steps with claims, in order.
	Steps []StepReport
}

// StepReport is one step's claims checked.
type StepReport struct {
	Step   int // 0-based
	Claims []ClaimReport
}

// ClaimReport is one claim: its value on each seed, the value of the
// step it compares with (relative claims), and the same without the
// step's changes.
type ClaimReport struct {
	Claim Claim
	// Values, Refs and Withheld have one entry per seed; NaN where the
	// measure has no value (no request answered, no cache lookup).
	Values   []float64
	Refs     []float64
	Withheld []float64
	// Holds and HoldsWithheld count the seeds where the claim holds.
	Holds, HoldsWithheld int
	// NoChanges is set when the step has no changes to withhold.
	NoChanges bool
}

// Passed reports whether the claim holds on every seed.
func (c *ClaimReport) Passed() bool { return c.Holds == len(c.Values) }

// Depends reports whether the claim fails on every seed without its
// step's changes.
func (c *ClaimReport) Depends() bool { return !c.NoChanges && c.HoldsWithheld == 0 }

// OK reports whether every claim passed and depends on its step.
func (r *Report) OK() bool {
	for _, s := range r.Steps {
		for i := range s.Claims {
			if c := &s.Claims[i]; !c.Passed() || !c.Depends() {
				return false
			}
		}
	}
	return true
}

// Check runs st headless once per seed, measuring each step with claims
// over its run, and once more per seed and step with claims, that
// step's changes withheld. Runs go in parallel on every core; the report
// does not depend on their order.
func Check(st *Story, seeds []uint64) (*Report, error) {
	if len(seeds) == 0 {
		return nil, fmt.Errorf("story: a check needs at least one seed")
	}
	var claimed []int
	for k, s := range st.Steps {
		if len(s.Expect) > 0 {
			claimed = append(claimed, k)
		}
	}
	rep := &Report{Story: st, Seeds: seeds}
	if len(claimed) == 0 {
		return rep, nil
	}
	last := claimed[len(claimed)-1]
	// the tasks: per seed, the whole story, then each ablation
	type task struct {
		seed    int
		withold int // -1: none
	}
	var tasks []task
	for i := range seeds {
		tasks = append(tasks, task{i, -1})
		for _, k := range claimed {
			if len(st.Steps[k].Changes) > 0 {
				tasks = append(tasks, task{i, k})
			}
		}
	}
	results := make([][]figures, len(tasks))
	errs := make([]error, len(tasks))
	parallel(len(tasks), func(i int) {
		tk := tasks[i]
		if tk.withold < 0 {
			results[i], errs[i] = st.measure(st.timeline(last, nil, -1), seeds[tk.seed], claimed)
		} else {
			results[i], errs[i] = st.measure(st.timeline(tk.withold, nil, tk.withold), seeds[tk.seed], []int{tk.withold})
		}
	})
	full := make([][]figures, len(seeds))     // [seed][step]
	withheld := make([][]figures, len(seeds)) // [seed][step]
	for i, tk := range tasks {
		if errs[i] != nil {
			return nil, fmt.Errorf("story: seed %d: %w", seeds[tk.seed], errs[i])
		}
		if tk.withold < 0 {
			full[tk.seed] = results[i]
		} else {
			if withheld[tk.seed] == nil {
				withheld[tk.seed] = make([]figures, len(st.Steps))
			}
			withheld[tk.seed][tk.withold] = results[i][tk.withold]
		}
	}
	for _, k := range claimed {
		sr := StepReport{Step: k}
		for _, c := range st.Steps[k].Expect {
			cr := ClaimReport{Claim: c, NoChanges: len(st.Steps[k].Changes) == 0}
			for i := range seeds {
				v := full[i][k].get(c.Measure)
				ref := math.NaN()
				if c.Rel >= 0 {
					ref = full[i][c.Rel].get(c.Measure)
				}
				cr.Values = append(cr.Values, v)
				cr.Refs = append(cr.Refs, ref)
				if c.holds(v, ref) {
					cr.Holds++
				}
				if !cr.NoChanges {
					w := withheld[i][k].get(c.Measure)
					cr.Withheld = append(cr.Withheld, w)
					if c.holds(w, ref) {
						cr.HoldsWithheld++
					}
				}
			}
			sr.Claims = append(sr.Claims, cr)
		}
		rep.Steps = append(rep.Steps, sr)
	}
	return rep, nil
}

// parallel calls f(0..n-1) on every core.
func parallel(n int, f func(int)) {
	workers := min(runtime.NumCPU(), n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// figures are one step's measures on one run, in the order of measures;
// nil for a step not measured.
type figures map[string]float64

func (f figures) get(name string) float64 {
	if v, ok := f[name]; ok {
		return v
	}
	return math.NaN()
}

// measure runs t with seed and returns the figures of the steps in
// want (sorted), each over its own run: the statistics restart at the
// step's start (the simulation's state is kept) and are read at its end.
func (st *Story) measure(t *topology.Topology, seed uint64, want []int) ([]figures, error) {
	t.Seed = seed
	s, err := sim.New(t, sim.Options{})
	if err != nil {
		return nil, err
	}
	out := make([]figures, len(st.Steps))
	for _, k := range want {
		s.Advance(st.Start(k))
		s.ResetStats()
		var before uint64
		if sum := s.Summary(); sum.Stock != nil {
			before = sum.Stock.Oversold
		}
		s.Advance(st.End(k))
		out[k] = figuresOf(s.Summary(), before)
	}
	return out, nil
}

// figuresOf are the measures of a window's summary; oversoldBefore is
// the oversold count at the window's start.
func figuresOf(sum sim.Summary, oversoldBefore uint64) figures {
	r := sweep.Result{Sum: sum}
	f := figures{
		"throughput": sum.ThroughputRPS,
		"goodput":    sum.GoodputRPS,
		"errors":     r.Errors(),
		"drops":      r.Drops(),
	}
	if sum.Window.Completed > 0 {
		f["mean"], f["p50"], f["p95"], f["p99"] = sum.LatencyMs.Mean, sum.LatencyMs.P50, sum.LatencyMs.P95, sum.LatencyMs.P99
	}
	if sum.Stock != nil {
		f["oversold"] = float64(sum.Stock.Oversold - min(oversoldBefore, sum.Stock.Oversold))
		f["sales"] = sum.Stock.SalesPerSec
	}
	if sum.Cache != nil && sum.Cache.Used {
		f["hit_ratio"] = sum.Cache.HitRatio
	}
	for _, s := range sum.Stations {
		switch s.Name {
		case "app", "cpu", "db", "offload":
			f[s.Name+"_util"] = s.Utilization
		}
	}
	return f
}
