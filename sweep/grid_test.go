package sweep

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseSetValues(t *testing.T) {
	cases := []struct {
		arg  string
		want []string
	}{
		{"app.workers=1,2,4", []string{"1", "2", "4"}},
		{"app.workers=1..4", []string{"1", "2", "3", "4"}},
		{"workload.rate=100..500:200", []string{"100", "300", "500"}},
		{"workload.rate=100..550:200", []string{"100", "300", "500"}},
		{"app.speed=0.1..0.5:0.1", []string{"0.1", "0.2", "0.3", "0.4", "0.5"}},
		{"app.workers=1..2,8", []string{"1", "2", "8"}},
		{"workload.requests[0].steps[0].cpu=exp(10ms),uniform(1ms, 2ms)", []string{"exp(10ms)", "uniform(1ms, 2ms)"}},
		{"app.model=sync,gevent", []string{"sync", "gevent"}},
		// exponents: the values keep the digits they need, no more
		{"cache.hit_ratio=1e-1..3e-1:1e-1", []string{"0.1", "0.2", "0.3"}},
		{"workload.rate=10..15:2.5e0", []string{"10.0", "12.5", "15.0"}},
		{"workload.rate=1e3..3e3:1e3", []string{"1000", "2000", "3000"}},
		{"workload.rate=1e308..1e308", []string{"1e+308"}},
	}
	for _, tc := range cases {
		ax, err := ParseSet(tc.arg)
		if err != nil {
			t.Errorf("%s: %v", tc.arg, err)
			continue
		}
		if !slices.Equal(ax.Values, tc.want) {
			t.Errorf("%s: %q, want %q", tc.arg, ax.Values, tc.want)
		}
	}
}

// A range too long to sweep says how long, in digits a reader takes in.
func TestParseSetRefusesHugeRanges(t *testing.T) {
	for arg, want := range map[string]string{
		"workload.rate=1..100000000":  `range "1..100000000": 100000000 values; at most 1000000; use a larger step`,
		"workload.rate=1..1e308:1":    `range "1..1e308:1": 1e+308 values; at most 1000000; use a larger step`,
		"workload.rate=0..2:0.000001": `range "0..2:0.000001": 2000001 values; at most 1000000; use a larger step`,
	} {
		_, err := ParseSet(arg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", arg, err, want)
		}
	}
}

// The last axis varies fastest, and each point carries its changes.
func TestGridPoints(t *testing.T) {
	g := Grid{Axes: []Axis{{Path: "a", Values: []string{"1", "2"}}, {Path: "b", Values: []string{"x", "y", "z"}}}}
	var got []string
	for i := range g.Len() {
		p := g.Point(i)
		got = append(got, p.Values[0]+p.Values[1])
		if p.Changes[1].Path != "b" || p.Changes[1].Value != p.Values[1] {
			t.Errorf("point %d changes %+v", i, p.Changes)
		}
	}
	if want := []string{"1x", "1y", "1z", "2x", "2y", "2z"}; !slices.Equal(got, want) {
		t.Errorf("points %q, want %q", got, want)
	}
	// shards are interleaved and cover every point once
	seen := map[int]int{}
	for k := 1; k <= 4; k++ {
		for i := range g.Len() {
			if (Shard{K: k, N: 4}).Has(i) {
				seen[i]++
				if i%4 != k-1 {
					t.Errorf("point %d in shard %d/4", i, k)
				}
			}
		}
	}
	for i := range g.Len() {
		if seen[i] != 1 {
			t.Errorf("point %d is in %d shards", i, seen[i])
		}
	}
}

// The interval is Student's t: with two observations 1 and 3 the mean
// is 2, the standard deviation √2 and t(0.975, 1) = 12.706.
func TestIntervalIsStudentT(t *testing.T) {
	iv := Over([]float64{1, 3}, 0.95)
	if iv.Mean != 2 || math.Abs(iv.Half-12.7062*math.Sqrt2/math.Sqrt2) > 1e-3 {
		t.Errorf("interval %+v, want 2 ± 12.706", iv)
	}
	// the same figure on every seed is that figure, ± exactly 0, though
	// summing three of it and dividing by three does not give it back
	if iv := Over([]float64{694.2, 694.2, 694.2}, 0.95); iv.Mean != 694.2 || iv.Half != 0 {
		t.Errorf("interval of one value thrice %+v, want 694.2 ± 0", iv)
	}
	if q := tQuantile(0.975, 1_000_000); math.Abs(q-1.95996) > 1e-4 {
		t.Errorf("t(0.975, ∞) = %v, want the normal's 1.95996", q)
	}
}
