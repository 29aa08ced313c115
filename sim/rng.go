package sim

import (
	"hash/fnv"
	"math"
	"math/rand/v2"

	"scalesim/topology"
)

// stream returns the random stream called name. Every source of
// randomness has its own stream, derived from the seed and a stable name,
// so that changing one part of a topology leaves the others' sequences
// alone: the arrivals of a run with three workers are the arrivals of the
// same run with four (common random numbers).
func stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// sampler draws durations in nanoseconds from one distribution, on its
// own stream.
type sampler struct {
	kind  topology.DistKind
	a, b  float64 // kind-specific parameters, see newSampler
	k     int
	scale float64 // divides every draw (a CPU speed factor); 1 if none
	rng   *rand.Rand
}

func newSampler(d topology.Dist, scale float64, rng *rand.Rand) sampler {
	s := sampler{kind: d.Kind, k: d.K, scale: scale, rng: rng}
	switch d.Kind {
	case topology.Const, topology.Exp:
		s.a = float64(d.Mean)
	case topology.Uniform:
		s.a, s.b = float64(d.Min), float64(d.Max)
	case topology.LogNormal:
		// mean m and coefficient of variation cv give
		// sigma^2 = ln(1+cv^2) and mu = ln(m) - sigma^2/2.
		sigma2 := math.Log1p(d.CV * d.CV)
		s.a = math.Log(float64(d.Mean)) - sigma2/2
		s.b = math.Sqrt(sigma2)
	case topology.Erlang:
		s.a = float64(d.Mean) / float64(d.K)
	case topology.Pareto:
		// a Pareto with scale xm and shape alpha has mean
		// xm*alpha/(alpha-1).
		s.a = float64(d.Mean) * (d.Alpha - 1) / d.Alpha
		s.b = d.Alpha
	}
	if s.scale <= 0 {
		s.scale = 1
	}
	return s
}

// sample returns one draw in nanoseconds, rounded to the nearest one.
func (s *sampler) sample() int64 {
	var x float64
	switch s.kind {
	case topology.Const:
		x = s.a
	case topology.Exp:
		x = s.a * s.rng.ExpFloat64()
	case topology.Uniform:
		x = s.a + (s.b-s.a)*s.rng.Float64()
	case topology.LogNormal:
		x = math.Exp(s.a + s.b*s.rng.NormFloat64())
	case topology.Erlang:
		for i := 0; i < s.k; i++ {
			x += s.rng.ExpFloat64()
		}
		x *= s.a
	case topology.Pareto:
		x = s.a * math.Exp(s.rng.ExpFloat64()/s.b)
	}
	return nanos(x / s.scale)
}

// maxDraw is topology.MaxDraw in nanoseconds: the longest draw. Validate
// refuses distributions whose mean the cut would change.
const maxDraw = float64(topology.MaxDraw)

// nanos converts a duration in float nanoseconds to the clock's integer
// ones, rounded, saturating: anything above maxDraw (+Inf included) is
// maxDraw, anything below 0 is 0, and NaN (which no valid parameters
// give) is 0, so that no draw can wrap around or reach the clock as
// garbage.
func nanos(x float64) int64 {
	switch {
	case x >= maxDraw:
		return int64(maxDraw)
	case x > 0:
		return int64(x + 0.5)
	}
	return 0
}
