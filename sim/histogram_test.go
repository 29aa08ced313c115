package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestHistogramQuantilesWithinOnePercent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h Histogram
	vals := make([]int64, 0, 100000)
	for i := 0; i < 100000; i++ {
		v := int64(math.Exp(rng.NormFloat64()*2 + 14)) // ns, spread over decades
		vals = append(vals, v)
		h.Record(v)
	}
	slices.Sort(vals)
	for _, q := range []float64{0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1} {
		exact := float64(vals[int(math.Ceil(q*float64(len(vals))))-1])
		got := h.Quantile(q)
		if rel := math.Abs(got-exact) / exact; rel > 0.01 {
			t.Errorf("q%.3f: got %.0f, exact %.0f (relative error %.4f)", q, got, exact, rel)
		}
	}
	if h.Count() != 100000 {
		t.Errorf("count %d", h.Count())
	}
}

func TestHistogramIndexMonotonicAndMidpointsInside(t *testing.T) {
	prev := -1
	for _, v := range []int64{0, 1, 127, 128, 129, 255, 256, 1000, 1 << 20, 1<<20 + 1, 1 << 40, 1 << 44, 1<<45 - 1} {
		i := histIndex(v)
		if i < prev {
			t.Fatalf("index of %d is %d, below %d", v, i, prev)
		}
		prev = i
		if v >= histSub {
			if mid := histMid(i); math.Abs(mid-float64(v))/float64(v) > 1.0/128 {
				t.Errorf("value %d in bucket %d with midpoint %.1f", v, i, mid)
			}
		}
	}
	if histIndex(1<<62) != histBuckets-1 {
		t.Errorf("huge values must land in the last bucket")
	}
}

// TestHistogramResetClearsEveryBucket: a reset clears only the buckets
// between the min's and the max's, which must be every bucket used, so
// that a reused histogram reads as a fresh one.
func TestHistogramResetClearsEveryBucket(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var reused Histogram
	for round := 0; round < 5; round++ {
		var fresh Histogram
		for i := 0; i < 10000; i++ {
			v := int64(math.Exp(rng.NormFloat64()*3 + float64(6+4*round)))
			if i == 0 {
				v = -5 // below the range: counted in the first bucket
			}
			if i == 1 {
				v = 1 << 50 // beyond it: counted in the last
			}
			reused.Record(v)
			fresh.Record(v)
		}
		if reused.counts != fresh.counts {
			t.Fatalf("round %d: a reset left counts behind", round)
		}
		for _, q := range []float64{0, 0.5, 0.99, 1} {
			if a, b := reused.Quantile(q), fresh.Quantile(q); a != b {
				t.Fatalf("round %d: q%.2f %v after a reset, %v fresh", round, q, a, b)
			}
		}
		reused.Reset()
		if reused.counts != ([histBuckets]uint64{}) || reused.Count() != 0 || reused.Mean() != 0 || reused.Max() != 0 {
			t.Fatalf("round %d: not empty after a reset", round)
		}
	}
}
