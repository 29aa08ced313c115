package metrics

import (
	"math"
	"slices"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"scalesim/sim"
	"scalesim/topology"
)

// TestClassSeriesFollowTheirNames: a live edit that reorders the
// request classes keeps each class's latency histogram its own: its
// count never goes backwards, and no class takes the other's requests
// (a page waits exactly 10 ms, an api call 2 s, with no queue).
func TestClassSeriesFollowTheirNames(t *testing.T) {
	top, err := topology.Parse("two.yaml", []byte(`
workload:
  rate: 20
  requests:
    - {name: page, steps: [{io: 10ms}]}
    - {name: api, steps: [{io: 2s}]}
app: {workers: 200}
`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(20 * time.Second)
	before := classHistograms(Live("r", ptr(s.Snapshot())).List)
	next := s.Topology().Clone()
	slices.Reverse(next.Workload.Requests)
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	s.Advance(40 * time.Second)
	after := classHistograms(Live("r", ptr(s.Snapshot())).List)
	for _, name := range []string{"page", "api"} {
		b, a := before[name], after[name]
		if b == nil || a == nil || a.GetSampleCount() <= b.GetSampleCount() {
			t.Fatalf("class %s: %v then %v", name, b, a)
		}
	}
	pages, api := after["page"], after["api"]
	mean := func(h *dto.Histogram) float64 { return h.GetSampleSum() / float64(h.GetSampleCount()) }
	if math.Abs(mean(pages)-0.01) > 1e-9 || math.Abs(mean(api)-2) > 1e-9 {
		t.Errorf("mean latency: page %.3fs, api %.3fs; the classes' figures are mixed up",
			mean(pages), mean(api))
	}
}

func classHistograms(fams []*dto.MetricFamily) map[string]*dto.Histogram {
	out := map[string]*dto.Histogram{}
	for _, f := range fams {
		if f.GetName() != "scalesim_request_duration_seconds" {
			continue
		}
		for _, m := range f.Metric {
			out[label(m, "class")] = m.Histogram
		}
	}
	return out
}
