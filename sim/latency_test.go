package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLifeBucketAgreesWithBounds: the whole run's bucket read from a
// Histogram bucket's table is the one the bounds give, for values at
// every bound and beside it, at the ends of the range and spread over
// it.
func TestLifeBucketAgreesWithBounds(t *testing.T) {
	vals := []int64{-7, 0, 1, 127, 128, 1 << 44, 1<<45 - 1, 1 << 45, 1 << 62, math.MaxInt64}
	for _, b := range latencyBoundsNs {
		for d := int64(-3); d <= 3; d++ {
			vals = append(vals, b+d)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 100000; i++ {
		vals = append(vals, int64(math.Exp(rng.Float64()*math.Log(1e12))))
	}
	for _, v := range vals {
		var h LatencyHistogram
		h.record(histIndex(v), v)
		if want := lifeIndex(v); h.Buckets[want] != 1 {
			t.Fatalf("%d ns counted in %v, want bucket %d", v, h.Buckets, want)
		}
	}
	cut := 0
	for _, b := range lifeBucket {
		if b < 0 {
			cut++
		}
	}
	if cut > len(latencyBoundsNs) {
		t.Errorf("%d buckets are cut by a bound, more than the %d bounds", cut, len(latencyBoundsNs))
	}
}

// TestHistSumReadsAsOne: two histograms read together give the figures
// of one that recorded every value, and so does one merged from them.
func TestHistSumReadsAsOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var a, b, all Histogram
	for i := 0; i < 20000; i++ {
		v := int64(math.Exp(rng.NormFloat64()*2 + 12))
		if i%3 == 0 {
			b.Record(v)
		} else {
			a.Record(v)
		}
		all.Record(v)
	}
	var merged Histogram
	merged.merge(&b)
	merged.merge(&a)
	for _, h := range []histSum{{&a, &b}, {&b, &a}, {&merged, &noValues}, {&noValues, &merged}} {
		if h.Count() != all.Count() || h.Mean() != all.Mean() || h.Max() != all.Max() {
			t.Errorf("count %d mean %v max %d, want %d %v %d", h.Count(), h.Mean(), h.Max(), all.Count(), all.Mean(), all.Max())
		}
		for _, q := range []float64{0, 0.01, 0.5, 0.99, 1} {
			if got, want := h.Quantile(q), all.Quantile(q); got != want {
				t.Errorf("q%.2f %v, want %v", q, got, want)
			}
		}
	}
	if merged.counts != all.counts {
		t.Errorf("merged counts differ")
	}
}
