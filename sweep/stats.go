package sweep

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Confidence is the level of every interval a sweep or a search reports.
const Confidence = 0.95

// Interval is a figure's mean over the seeds of a point and the
// half-width of its two-sided confidence interval, from Student's t with
// n-1 degrees of freedom: each seed's run is one independent
// observation. With one seed the half-width is +Inf.
type Interval struct {
	Mean, Half float64
	N          int
}

// Lo and Hi are the interval's ends.
func (c Interval) Lo() float64 { return c.Mean - c.Half }
func (c Interval) Hi() float64 { return c.Mean + c.Half }

// Over returns the interval of xs at level (two-sided).
func Over(xs []float64, level float64) Interval {
	n := len(xs)
	if n == 0 {
		return Interval{Mean: math.NaN(), Half: math.Inf(1)}
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(n)
	if n == 1 {
		return Interval{Mean: m, Half: math.Inf(1), N: 1}
	}
	if !slices.ContainsFunc(xs, func(x float64) bool { return x != xs[0] }) {
		// The same figure on every seed (a p99 in the same histogram
		// bucket): the interval is that figure, exactly, not the
		// rounding of the sum over n (±3.46e-13).
		return Interval{Mean: xs[0], Half: 0, N: n}
	}
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	sd := math.Sqrt(v / float64(n-1))
	return Interval{Mean: m, Half: tQuantile(1-(1-level)/2, n-1) * sd / math.Sqrt(float64(n)), N: n}
}

// tQuantile is Student's t quantile p with df degrees of freedom.
func tQuantile(p float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}
