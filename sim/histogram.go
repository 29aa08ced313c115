package sim

import (
	"math"
	"math/bits"
)

// Histogram records durations in nanoseconds in log-linear buckets: each
// power of two is split into 128 equal buckets, so any recorded value is
// known to within 1/256 of itself (0.4%) when read back as its bucket's
// midpoint. Values up to 2^45 ns (about 9.8 hours) are kept; larger ones
// count in the last bucket. Its memory is fixed: 40 KiB whatever the run
// length.
type Histogram struct {
	counts [histBuckets]uint64
	n      uint64
	sum    float64
	min    int64
	max    int64
}

const (
	histSubBits = 7
	histSub     = 1 << histSubBits
	histMaxExp  = 45
	histBuckets = (histMaxExp - histSubBits + 1) * histSub
)

func histIndex(v int64) int {
	if v < histSub {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	msb := bits.Len64(uint64(v)) - 1
	if msb >= histMaxExp {
		return histBuckets - 1
	}
	shift := msb - histSubBits
	return (shift+1)*histSub + int(uint64(v)>>uint(shift)) - histSub
}

// histMid returns the midpoint of bucket i.
func histMid(i int) float64 {
	if i < histSub {
		return float64(i)
	}
	shift := i/histSub - 1
	lo := uint64(i%histSub+histSub) << uint(shift)
	return float64(lo) + float64(uint64(1)<<uint(shift))/2
}

// Record adds one value.
func (h *Histogram) Record(v int64) {
	h.counts[histIndex(v)]++
	if h.n == 0 {
		h.min, h.max = v, v
	} else {
		h.min = min(h.min, v)
		h.max = max(h.max, v)
	}
	h.n++
	h.sum += float64(v)
}

// occupied is the range of buckets that can hold counts: those of the
// exact min and max and between them (empty when nothing is recorded).
func (h *Histogram) occupied() (lo, hi int) {
	if h.n == 0 {
		return 0, -1
	}
	return histIndex(h.min), histIndex(h.max)
}

// Reset empties the histogram, clearing only the buckets it used.
func (h *Histogram) Reset() {
	lo, hi := h.occupied()
	clear(h.counts[lo : hi+1])
	h.n, h.sum, h.min, h.max = 0, 0, 0, 0
}

// Count is the number of recorded values.
func (h *Histogram) Count() uint64 { return h.n }

// Mean is the exact mean of the recorded values (0 if none).
func (h *Histogram) Mean() float64 {
	if h.n == 0 {
		return 0
	}
	return h.sum / float64(h.n)
}

// Max is the exact largest recorded value.
func (h *Histogram) Max() int64 { return h.max }

// Quantile returns the q-quantile (0 <= q <= 1), within 0.4% of a
// recorded value, clamped to the exact min and max (0 if empty).
func (h *Histogram) Quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	lo, hi := h.occupied()
	for i := lo; i <= hi; i++ {
		seen += h.counts[i]
		if seen >= rank {
			v := histMid(i)
			return math.Min(math.Max(v, float64(h.min)), float64(h.max))
		}
	}
	return float64(h.max)
}
