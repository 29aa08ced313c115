package lab

import (
	"go/parser"
	"strings"
	"testing"
	"time"

	"scalesim/lab/measured"
)

// TestResultsAreWhatTheFidelityTestReads: the row results.md writes for
// lab/measured is Go, carries each run's demand (the server processes'
// run time, not the core's busy time beside it), and predicts exactly the
// figures the lab predicted for its runs (the same topology, seeds and
// windows), so that the fidelity test passes and fails where the lab's
// table does; a figure beyond its target gets a gap that says it is not
// explained, the others none.
func TestResultsAreWhatTheFidelityTestReads(t *testing.T) {
	const warmup, span = 3 * time.Second, 5 * time.Second
	for _, c := range []labCase{cases[1], cases[7]} { // an open load and a closed one
		r := row{c: c, one: oneConn{service: 10.6, cv: 0.02, cpu: 10.2, net: 0.4}}
		if c.users == 0 {
			r.rate = 78.431
		}
		for seed, demand := range []float64{10.211, 10.384} {
			x := run{seed: uint64(seed + 1), procs: demand, core: demand + 0.1, busy: 0.8, steal: 0.001}
			var err error
			if x.pred, err = c.predict(model{service: demand, cv: r.one.cv, net: r.one.net, rate: r.rate}, x.seed, warmup, span); err != nil {
				t.Fatal(err)
			}
			// the real run as predicted, but for a p99 40% below
			x.tput, x.mean, x.p99 = x.pred.ThroughputRPS, x.pred.LatencyMs.Mean, x.pred.LatencyMs.P99/1.4
			r.runs = append(r.runs, x)
		}
		m := measuredRow(r, warmup, span, "today")
		got, err := predictRow(c, m)
		if err != nil {
			t.Fatal(err)
		}
		want := predicted{r.over(figures[0].pred).mean(), r.over(figures[1].pred).mean(), r.over(figures[2].pred).mean()}
		if got != want {
			t.Errorf("%s: the fidelity test predicts %+v from the row, the lab predicted %+v", c.name, got, want)
		}
		if len(m.Gaps) != 1 || !strings.Contains(m.Gaps[measured.P99], "+40% in the lab's run today") {
			t.Errorf("%s: gaps %q; want one, for the p99", c.name, m.Gaps)
		}
		lit := goRow(m)
		if _, err := parser.ParseExpr("[]measured.Row{\n" + lit + "}"); err != nil {
			t.Errorf("%s: the row for lab/measured is not Go: %v\n%s", c.name, err, lit)
		}
		for _, s := range []string{"Demands: []float64{10.211, 10.384}", "measured.P99: \"+40%", "Runs: 2, Warmup: 3 * time.Second, Span: 5 * time.Second"} {
			if !strings.Contains(lit, s) {
				t.Errorf("%s: the row for lab/measured lacks %q:\n%s", c.name, s, lit)
			}
		}
		tab := table([]row{r}, 1, 2, warmup, span, "today")
		for _, s := range []string{"| " + c.name + " | 10.60 ms, 10.20 ms (0.020), 0.40 ms | 10.30 (10.21-10.38) ms (10.40 (10.31-10.48)), 80.0% (0.1%) |", "(1.40)", "| " + c.name + " | 2 | 10.38 |", "(1.00, +0.0) |"} {
			if !strings.Contains(tab, s) {
				t.Errorf("%s: the table lacks %q:\n%s", c.name, s, tab)
			}
		}
	}
}
