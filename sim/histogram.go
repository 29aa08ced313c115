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
// length. The sum of the values is kept exactly (a 128-bit integer), so
// that histograms added together (merge) read as one that recorded
// every value itself.
type Histogram struct {
	counts [histBuckets]uint64
	n      uint64
	sum    area
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
func (h *Histogram) Record(v int64) { h.record(histIndex(v), v) }

// record adds value v, whose bucket is i (histIndex(v)): a caller that
// records one value in several places computes its bucket once.
func (h *Histogram) record(i int, v int64) {
	h.counts[i]++
	if h.n == 0 {
		h.min, h.max = v, v
	} else {
		h.min = min(h.min, v)
		h.max = max(h.max, v)
	}
	h.n++
	h.sum.addInt(v)
}

// merge adds o's values to h, walking only o's occupied buckets.
func (h *Histogram) merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	lo, hi := o.occupied()
	for i, c := range o.counts[lo : hi+1] {
		h.counts[lo+i] += c
	}
	if h.n == 0 {
		h.min, h.max = o.min, o.max
	} else {
		h.min = min(h.min, o.min)
		h.max = max(h.max, o.max)
	}
	h.n += o.n
	h.sum = h.sum.plus(o.sum)
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
	h.n, h.sum, h.min, h.max = 0, area{}, 0, 0
}

// Count is the number of recorded values.
func (h *Histogram) Count() uint64 { return h.n }

// Mean is the exact mean of the recorded values (0 if none).
func (h *Histogram) Mean() float64 { return histSum{h, &noValues}.Mean() }

// Max is the exact largest recorded value.
func (h *Histogram) Max() int64 { return h.max }

// Quantile returns the q-quantile (0 <= q <= 1), within 0.4% of a
// recorded value, clamped to the exact min and max (0 if empty).
func (h *Histogram) Quantile(q float64) float64 { return histSum{h, &noValues}.Quantile(q) }

// noValues is an empty histogram, which nothing records in.
var noValues Histogram

// histSum reads two histograms as the one that recorded the values of
// both, without building it: a span's latencies are the part folded
// into its own histogram plus those recorded since (latency.go). A
// read walks their occupied buckets once.
type histSum struct{ a, b *Histogram }

// Count is the number of values.
func (h histSum) Count() uint64 { return h.a.n + h.b.n }

// Mean is the exact mean of the values (0 if none).
func (h histSum) Mean() float64 {
	n := h.Count()
	if n == 0 {
		return 0
	}
	return h.a.sum.plus(h.b.sum).float() / float64(n)
}

// bounds are the exact min and max of the values (n > 0).
func (h histSum) bounds() (lo, hi int64) {
	switch {
	case h.a.n == 0:
		return h.b.min, h.b.max
	case h.b.n == 0:
		return h.a.min, h.a.max
	}
	return min(h.a.min, h.b.min), max(h.a.max, h.b.max)
}

// Max is the exact largest value (0 if none).
func (h histSum) Max() int64 {
	if h.Count() == 0 {
		return 0
	}
	_, hi := h.bounds()
	return hi
}

// Quantile returns the q-quantile (0 <= q <= 1), within 0.4% of a
// value, clamped to the exact min and max (0 if empty).
func (h histSum) Quantile(q float64) float64 {
	n := h.Count()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	vmin, vmax := h.bounds()
	var seen uint64
	for i, hi := histIndex(vmin), histIndex(vmax); i <= hi; i++ {
		seen += h.a.counts[i] + h.b.counts[i]
		if seen >= rank {
			v := histMid(i)
			return math.Min(math.Max(v, float64(vmin)), float64(vmax))
		}
	}
	return float64(vmax)
}
