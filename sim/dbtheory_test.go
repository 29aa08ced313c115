package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"scalesim/theory"
)

// dbStation is Poisson queries to one database server with the presets'
// scheduler (Linux's slice for its cores, a 4 ms tick, a 50us switch to
// each query's backend) and their queries: lognormal with cv 0.2. The
// rate gives the cores util, counting one switch per query.
func dbStation(cores int, queryMs, util float64) string {
	rate := util * float64(cores) / ((queryMs + 0.05) / 1e3)
	return fmt.Sprintf(`
workload: {rate: %.1f, requests: [{steps: [{db: 'lognormal(%gms, 0.2)'}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
db: {cores: %d}
`, rate, queryMs, cores)
}

// The presets' database servers, time-sliced and paying a switch per
// query, are given an approximation chosen by their queries' length
// against the slice, and it agrees with the simulation within its error
// (found over these and other loads) plus four standard errors of the
// seeds' spread.
func TestSlicedDatabaseApproximations(t *testing.T) {
	long(t)
	cases := []struct {
		name  string
		text  string
		model string
		// approx is the approximation's error allowed in the response
		// and the number inside; Allen and Cunneen's wait, a small part
		// of the response here, is allowed 15% (it is 11% low on 8
		// cores at cv 0.2, as without slices)
		approx float64
	}{
		// flash sales' primary: 1 ms queries in a 2.8 ms slice (8
		// cores) are never cut: first come, first served (within 1%
		// up to 90% load)
		{"flash sale's primary", dbStation(8, 1, 0.7), theory.NameMGc, 0.02},
		// the cache preset's primary: 20 ms queries, 9.5 slices of
		// 2.1 ms (4 cores), are processor sharing within 3% to 90%
		{"the cache preset's primary", dbStation(4, 20, 0.75), theory.NameMGcPS, 0.04},
		// a read replica: 8 ms, 3.8 slices, close to the bound: round
		// robin with a coarse quantum does better than sharing, within
		// 7% at this load and 10% at 90%
		{"a read replica", dbStation(4, 8, 0.72), theory.NameMGcPS, 0.08},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			top := parse(t, tc.text)
			var resp, inside, wait, pResp, pInside, pWait []float64
			for seed := uint64(1); seed <= seeds(4); seed++ {
				top.Seed = seed
				s := simulate(t, top, 10*time.Second, 120*time.Second)
				q := queueOf(t, s.Summary(), "primary")
				if q.Model != tc.model || !strings.HasPrefix(q.Why, "approximate") {
					t.Fatalf("model %q (%s), want %s as an approximation", q.Model, q.Why, tc.model)
				}
				if q.SwitchMs < 0.05*0.98 || q.SwitchMs > 0.05*8 {
					t.Fatalf("%.3g ms of switches per query folded, want one or more of 50us", q.SwitchMs)
				}
				p := predictOf(t, q)
				resp, pResp = append(resp, q.ResponseMs), append(pResp, p.w.Seconds()*1e3)
				inside, pInside = append(inside, q.InsideMean), append(pInside, p.l)
				if p.wait {
					wait, pWait = append(wait, q.WaitMs), append(pWait, p.wq.Seconds()*1e3)
				}
				if math.Abs(p.util-q.Utilization) > 0.01 {
					t.Errorf("utilisation %.3f measured, %.3f predicted: the switches are CPU the model must count", q.Utilization, p.util)
				}
			}
			for _, f := range []struct {
				name       string
				meas, pred []float64
			}{{"response (ms)", resp, pResp}, {"inside", inside, pInside}, {"wait (ms)", wait, pWait}} {
				if len(f.meas) == 0 {
					continue
				}
				m, se := meanSE(f.meas)
				want, _ := meanSE(f.pred)
				approx := tc.approx
				if f.name == "wait (ms)" {
					approx = 0.15
				}
				if d := math.Abs(m - want); d > approx*want+4*se {
					t.Errorf("%s: measured %.4g ± %.2g, %s approximates %.4g: off by more than %.0f%% and 4 standard errors",
						f.name, m, se, tc.model, want, 100*approx)
				}
			}
		})
	}
}

// Between the two regimes, and where the app holds queries back, the
// database says why it has no model.
func TestSlicedDatabaseRefusals(t *testing.T) {
	cases := []struct {
		name, text, why string
	}{
		// the connection pooler's primary: 2 ms queries against a 2.8 ms
		// slice, the longer ones cut
		{"queries about a slice long", dbStation(8, 2, 0.7), "queries of 2ms (cv 0.2) against a 2.8ms slice: some are cut at the slice and some are not"},
		{"5 ms against 2.1 ms", dbStation(4, 5, 0.7), "queries of 5ms (cv 0.2) against a 2.1ms slice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := simulate(t, parse(t, tc.text), time.Second, 10*time.Second)
			q := queueOf(t, s.Summary(), "primary")
			if q.Model != "" || !strings.Contains(q.Why, tc.why) {
				t.Errorf("model %q, why %q; want none, because %q", q.Model, q.Why, tc.why)
			}
		})
	}
}

// Run to completion with a switch cost is first come, first served with
// each query longer by its switch: Allen and Cunneen's approximation with
// the switch folded in, and the measured switches per query are one.
func TestRunToCompletionFoldsTheSwitch(t *testing.T) {
	s := simulate(t, parse(t, strings.Replace(dbStation(4, 1, 0.8), "db: {cores: 4}", "db: {cores: 4, scheduler: run_to_completion}", 1)), time.Second, 20*time.Second)
	q := queueOf(t, s.Summary(), "primary")
	if q.Model != theory.NameMGc || !strings.Contains(q.Why, "1 switch per query at 50us folded into each query's service") {
		t.Fatalf("model %q, why %q", q.Model, q.Why)
	}
	p := predictOf(t, q)
	if math.Abs(p.util-q.Utilization) > 0.01 {
		t.Errorf("utilisation %.3f measured, %.3f predicted", q.Utilization, p.util)
	}
}
