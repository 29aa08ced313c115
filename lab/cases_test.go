package lab

import (
	"math"
	"testing"

	"scalesim/topology"
)

// TestThreadsPagesEndWithTheirWrites: a threads case's page ends with
// its writes as nogil steps, the log line's (when it logs) and uWSGI's
// of the response, their CPU taken out of the measured CPU per request;
// a sync case's page is its CPU alone.
func TestThreadsPagesEndWithTheirWrites(t *testing.T) {
	find := func(name string) labCase {
		for _, c := range cases {
			if c.name == name {
				return c
			}
		}
		t.Fatalf("no case %q", name)
		return labCase{}
	}
	m := model{service: 10.2, cv: 0.02, rate: 78, log: 0.030}
	for _, c := range []struct {
		name  string
		kinds []topology.StepKind
		durs  []float64 // ms
	}{
		{"threads 4 si 20ms log, cpu 10ms, open 80%", []topology.StepKind{topology.StepCPU, topology.StepNoGIL, topology.StepNoGIL}, []float64{10.2 - 0.030 - uwsgiWrite, 0.030, uwsgiWrite}},
		{"threads 4 si 20ms, cpu 10ms, open 80%", []topology.StepKind{topology.StepCPU, topology.StepNoGIL}, []float64{10.2 - uwsgiWrite, uwsgiWrite}},
		{"threads 4, cpu 10ms + io 40ms, 8 users", []topology.StepKind{topology.StepCPU, topology.StepIO, topology.StepNoGIL}, []float64{10.2 - uwsgiWrite, 40, uwsgiWrite}},
		{"sync 4, cpu 10ms, open 80%", []topology.StepKind{topology.StepCPU}, []float64{10.2}},
	} {
		top, err := find(c.name).topology(m)
		if err != nil {
			t.Fatal(err)
		}
		steps := top.Workload.Requests[0].Steps
		if len(steps) != len(c.kinds) {
			t.Fatalf("%s: %d steps, want %d", c.name, len(steps), len(c.kinds))
		}
		for i, st := range steps {
			if got := st.Dist.MeanSeconds() * 1e3; st.Kind != c.kinds[i] || math.Abs(got-c.durs[i]) > 0.0005 {
				t.Errorf("%s: step %d is %s of %.4f ms, want %s of %.4f ms", c.name, i, st.Kind, got, c.kinds[i], c.durs[i])
			}
		}
	}
}
