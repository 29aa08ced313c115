package topology

import (
	"math"
	"strings"
	"testing"
	"time"
)

func parseShape(t *testing.T, workload string) *Topology {
	t.Helper()
	top, err := Parse("shape.yaml", []byte("workload:\n"+workload+"  requests: [{steps: [{cpu: 1ms}]}]\napp: {}\n"))
	if err != nil {
		t.Fatalf("%v\n%s", err, workload)
	}
	return top
}

func TestStagesParseAndRoundTrip(t *testing.T) {
	top := parseShape(t, "  rate: 100\n  stages: [{duration: 30s, target: 500}, {duration: 0, target: 50}, {duration: 1m, target: 50}]\n")
	want := []Stage{{30 * time.Second, 500}, {0, 50}, {time.Minute, 50}}
	if len(top.Workload.Stages) != len(want) {
		t.Fatalf("stages %v, want %v", top.Workload.Stages, want)
	}
	for i := range want {
		if top.Workload.Stages[i] != want[i] {
			t.Fatalf("stage %d = %v, want %v", i, top.Workload.Stages[i], want[i])
		}
	}
	if got := top.Workload.StageTimes(); len(got) != 3 || got[0] != 30*time.Second || got[1] != 30*time.Second || got[2] != 90*time.Second {
		t.Errorf("StageTimes = %v", got)
	}
	for _, tc := range []struct {
		at   time.Duration
		want float64
	}{{0, 100}, {15 * time.Second, 300}, {30*time.Second - 1, 500}, {30 * time.Second, 50}, {time.Hour, 50}} {
		if got := top.Workload.LoadAt(tc.at); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("LoadAt(%v) = %g, want %g", tc.at, got, tc.want)
		}
	}
	assertRoundTrip(t, top)
	if !strings.Contains(mustMarshal(t, top), "stages:") {
		t.Error("Marshal dropped the stages")
	}
	// a ramp from nothing: rate may be left out
	from0 := parseShape(t, "  stages: [{duration: 10s, target: 100}]\n")
	if from0.Workload.Rate != 0 || from0.Workload.LoadAt(5*time.Second) != 50 {
		t.Errorf("ramp from 0: rate %g, load at 5s %g", from0.Workload.Rate, from0.Workload.LoadAt(5*time.Second))
	}
	assertRoundTrip(t, from0)
	closed := parseShape(t, "  users: 10\n  think: 1s\n  stages: [{duration: 1m, target: 100}]\n")
	if closed.Workload.LoadAt(30*time.Second) != 55 {
		t.Errorf("users at 30s = %g, want 55", closed.Workload.LoadAt(30*time.Second))
	}
	assertRoundTrip(t, closed)
}

func TestShorthandsCompileToStages(t *testing.T) {
	spike := parseShape(t, "  rate: 100\n  spike: {at: 60s, to: 5000, for: 30s, ramp: 5s}\n").Workload
	for _, tc := range []struct {
		at   time.Duration
		want float64
	}{{59 * time.Second, 100}, {62500 * time.Millisecond, 2550}, {70 * time.Second, 5000}, {97500 * time.Millisecond, 2550}, {200 * time.Second, 100}} {
		if got := spike.LoadAt(tc.at); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("spike at %v = %g, want %g", tc.at, got, tc.want)
		}
	}
	stairs := parseShape(t, "  rate: 100\n  staircase: {to: 500, count: 4, every: 10s}\n").Workload
	for _, tc := range []struct {
		at   time.Duration
		want float64
	}{{9 * time.Second, 100}, {10 * time.Second, 200}, {35 * time.Second, 400}, {40 * time.Second, 500}, {time.Hour, 500}} {
		if got := stairs.LoadAt(tc.at); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("staircase at %v = %g, want %g", tc.at, got, tc.want)
		}
	}
	day := parseShape(t, "  rate: 100\n  diurnal: {period: 24m, peak: 1100, cycles: 2}\n").Workload
	if n := len(day.Stages); n != 2*diurnalPoints {
		t.Fatalf("diurnal of 2 cycles: %d stages", n)
	}
	for _, tc := range []struct {
		at   time.Duration
		want float64
	}{{0, 100}, {12 * time.Minute, 1100}, {24 * time.Minute, 100}, {36 * time.Minute, 1100}, {6 * time.Minute, 600}, {time.Hour, 100}} {
		if got := day.LoadAt(tc.at); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("diurnal at %v = %g, want %g", tc.at, got, tc.want)
		}
	}
	// between the points the cycle stays within 3.5% of its swing of the cosine
	for s := 0; s < 24*60; s++ {
		at := time.Duration(s) * time.Second
		exact := 100 + 1000*(1-math.Cos(2*math.Pi*at.Minutes()/24))/2
		if d := math.Abs(day.LoadAt(at) - exact); d > 35 {
			t.Fatalf("diurnal at %v = %g, the cosine %g", at, day.LoadAt(at), exact)
		}
	}
	if day.Peak() != 1100 {
		t.Errorf("peak %g", day.Peak())
	}
}

func TestShapeErrors(t *testing.T) {
	for _, tc := range []struct{ workload, want string }{
		{"  rate: 100\n  stages: [{duration: -5s, target: 10}]\n", "shape.yaml:3:23: workload.stages[0].duration: must not be negative, got -5s; a stage's duration is its own length; 0 jumps at once"},
		{"  rate: 100\n  stages: [{duration: 5s}]\n", "shape.yaml:3:12: workload.stages[0]: missing target; a stage says the load it ends at, e.g. target: 500"},
		{"  rate: 100\n  stages: [{target: 5}]\n", "shape.yaml:3:12: workload.stages[0]: missing duration"},
		{"  rate: 100\n  stages: [{duration: 5s, target: -1}]\n", "workload.stages[0].target: a rate must be from 0 to"},
		{"  rate: 100\n  stages: 5\n", "shape.yaml:3:11: workload.stages: expected a list of stages"},
		{"  rate: 100\n  stages: [{duration: 5s, target: 1}]\n  spike: {at: 1s, to: 5, for: 1s}\n", "shape.yaml:4:3: workload.spike: stages and spike both shape the load; keep one of them"},
		{"  rate: 100\n  spike: {at: 1s, for: 1s}\n", "shape.yaml:3:3: workload.spike.to: missing to; to is the load at the top of the spike"},
		{"  rate: 100\n  spike: {at: -1s, to: 5, for: 1s}\n", "workload.spike.at: must not be negative, got -1s"},
		{"  rate: 100\n  staircase: {to: 5, count: 0, every: 1s}\n", "workload.staircase.count: must be between 1 and 500, got 0"},
		{"  rate: 100\n  diurnal: {period: 1m, peak: 5, cycles: 100}\n", "workload.diurnal.cycles: must be between 1 and 83, got 100"},
		{"  users: 5\n  stages: [{duration: 5s, target: 2000000}]\n", "workload.stages[0].target: users must be from 0 to 1000000"},
		{"  rate: 100\n  stages: [{duration: 5000h, target: 1}, {duration: 5000h, target: 1}]\n", "workload.stages: last 10000h in all; at most 8784h; shorten the stages"},
	} {
		_, err := Parse("shape.yaml", []byte("workload:\n"+tc.workload+"  requests: [{steps: [{cpu: 1ms}]}]\napp: {}\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.workload, err, tc.want)
		}
	}
	var b strings.Builder
	b.WriteString("  rate: 1\n  stages:\n")
	for i := 0; i <= MaxStages; i++ {
		b.WriteString("    - {duration: 1s, target: 1}\n")
	}
	if _, err := Parse("shape.yaml", []byte("workload:\n"+b.String()+"  requests: [{steps: [{cpu: 1ms}]}]\napp: {}\n")); err == nil || !strings.Contains(err.Error(), "1001 stages; at most 1000 are allowed; merge stages") {
		t.Errorf("too many stages: %v", err)
	}
}

func TestScaleShape(t *testing.T) {
	w := parseShape(t, "  rate: 100\n  stages: [{duration: 30s, target: 500}]\n").Workload
	w.Scale(2)
	if w.Rate != 200 || w.Stages[0].Target != 1000 {
		t.Errorf("scaled ×2: rate %g, target %g", w.Rate, w.Stages[0].Target)
	}
	c := parseShape(t, "  users: 3\n  stages: [{duration: 30s, target: 7}]\n").Workload
	c.Scale(0.1)
	if c.Users != 1 || c.Stages[0].Target != 1 {
		t.Errorf("users scaled ×0.1: %d, target %g", c.Users, c.Stages[0].Target)
	}
}
