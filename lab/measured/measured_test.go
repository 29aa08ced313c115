package measured

import (
	"slices"
	"testing"
)

// TestRowsAreWellFormed: every row is one case on one machine, with a
// service time, at least one figure, runs that have a window, and gaps
// only for figures it holds, each with a reason.
func TestRowsAreWellFormed(t *testing.T) {
	seen := map[[2]string]bool{}
	for _, r := range Rows {
		key := [2]string{r.Case, r.Machine}
		if seen[key] {
			t.Errorf("%s on %s: twice", r.Case, r.Machine)
		}
		seen[key] = true
		if got, ok := Find(r.Case, r.Machine); !ok || got.Case != r.Case || got.Machine != r.Machine {
			t.Errorf("Find(%q, %q) = %q, %v", r.Case, r.Machine, got.Case, ok)
		}
		if !slices.Contains(Machines, r.Machine) {
			t.Errorf("%s: machine %q is none of Machines", r.Case, r.Machine)
		}
		if r.Service <= 0 || r.CV < 0 || r.Net < 0 || r.Log < 0 || r.Log >= r.Service {
			t.Errorf("%s on %s: service %g ms, cv %g, net %g ms, log write %g ms", r.Case, r.Machine, r.Service, r.CV, r.Net, r.Log)
		}
		if r.Runs > 0 && (r.Span <= 0 || len(r.Demands) != 0 && len(r.Demands) != r.Runs) {
			t.Errorf("%s on %s: %d runs of %s with %d demands", r.Case, r.Machine, r.Runs, r.Span, len(r.Demands))
		}
		figures := map[string]bool{Throughput: r.Throughput > 0, Mean: r.Mean > 0, P99: r.P99 > 0, MeanVsFCFS: r.MeanVsFCFS[1] > 0}
		any := false
		for _, held := range figures {
			any = any || held
		}
		if !any {
			t.Errorf("%s on %s: no figure", r.Case, r.Machine)
		}
		for k, why := range r.Gaps {
			if !figures[k] {
				t.Errorf("%s on %s: a gap for %q, which the row does not hold", r.Case, r.Machine, k)
			}
			if why == "" {
				t.Errorf("%s on %s: the gap for %q gives no reason", r.Case, r.Machine, k)
			}
		}
	}
	if _, ok := Find("no such case", First); ok {
		t.Error("Find found a case that does not exist")
	}
}
