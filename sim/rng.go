package sim

import (
	"hash/fnv"
	"math"
	"math/rand/v2"

	"scalesim/topology"
)

// Random numbers follow the request, not the order of events.
//
// Every random choice the engine makes belongs to a stream, named by what
// it chooses ("class", "lb", "db/route", "cache/keys", a step's demand),
// and every draw on a stream is a pure function of the run's seed, the
// stream's name, the serial number of the request it is for and an
// occasion within that request (which step, which try). Nothing depends
// on how many draws other requests made before, or in which order events
// ran. So two runs that differ only in their topology give request N the
// same class, keys, rows and service demands: a before/after comparison
// sees the topology's effect, not a different roll of the dice.
//
// Use: make a stream once, at set-up (it allocates):
//
//	st := s.newStream("retry/jitter")
//
// and draw from it where the choice is made, re-keyed in place (no
// allocation):
//
//	rng := st.at(r.serial, uint64(attempt)) // a *rand.Rand
//	x := rng.Float64()
//
// The generator at returns is valid until the stream's next at; within
// one occasion it yields an ordinary sequence (a draw that needs several
// numbers, a Normal by ziggurat, two picks of power-of-two-choices, takes
// them in turn). Give every kind of choice its own stream, so that
// adding draws to one leaves the others alone. A choice that belongs to
// no request (a node's failure times, a user's first think) keys the
// stream by whatever identifies it (the node, the user) and a count of
// occasions.
//
// A request's serial (request.serial) is its logical request's number,
// from 0, counted over the whole run: every attempt of it (a client's
// retry) has the same serial, and request.try tells them apart. What a
// request is (its class, keys, rows, demands) is keyed by the serial
// alone, so a retry asks for the same work; where it goes (the load
// balancer's pick, a read's replica) and the client's backoff also mix in
// the attempt. The engine's own work (a queued order) carries the serial
// of the request that caused it. A choice that belongs to no request (a
// server's failure clock) uses a seqStream: its n-th occasion is its n-th
// draw.

// stream is one named source of random numbers that follow the request.
// Its generator is a counter-based SplitMix64: the key is a hash of the
// stream's id, the serial and the occasion, and the i-th number of an
// occasion is SplitMix64's output at state key+i*gamma. SplitMix64 passes
// BigCrush; keys are mixed by its finaliser, so nearby serials give
// unrelated sequences.
type stream struct {
	id    uint64 // hash of the seed and the name
	src   counter
	rng   *rand.Rand // over src
	ahead ahead      // expAt's next draw (see ahead)
}

// newStream returns the stream called name under seed. Different names
// give independent streams.
func newStream(seed uint64, name string) *stream {
	h := fnv.New64a()
	h.Write([]byte(name))
	st := &stream{id: mix64(seed ^ mix64(h.Sum64()))}
	st.rng = rand.New(&st.src)
	return st
}

// newStream returns the run's stream called name (see stream).
func (s *Sim) newStream(name string) *stream { return newStream(s.seed, name) }

// at re-keys the stream to occasion k of request serial and returns its
// generator, which starts that occasion's sequence from its beginning.
func (st *stream) at(serial, k uint64) *rand.Rand {
	st.src.state = st.key(serial, k)
	return st.rng
}

// key is the generator's state at the start of occasion k of request
// serial.
func (st *stream) key(serial, k uint64) uint64 {
	return mix64(mix64(st.id^(serial*0x9e3779b97f4a7c15)) + k*0xd1b54a32d192ed03)
}

// expAt is st.at(serial, k).ExpFloat64(), the first exponential draw
// (mean 1) of the occasion, as exp draws it. A stream drawn at serial
// after serial on one occasion (the arrivals' gaps) has each draw made
// one call ahead (see ahead).
func (st *stream) expAt(serial, k uint64) float64 {
	a := &st.ahead
	if !a.next(serial, k) {
		return st.exp(serial, k)
	}
	x := math.Float64frombits(a.x)
	if !a.have {
		x = st.exp(serial, k)
	}
	a.x, a.have = math.Float64bits(st.exp(serial+1, k)), true
	return x
}

// exp is st.at(serial, k).ExpFloat64() without the generator's interface
// calls: the ziggurat's fast path, which takes about 99 draws in 100,
// inline on the occasion's first number; the rest through the generator
// from the occasion's start, so that the numbers are ExpFloat64's
// exactly. It leaves the generator in no defined state.
func (st *stream) exp(serial, k uint64) float64 {
	key := st.key(serial, k)
	u := mix64(key + 0x9e3779b97f4a7c15)
	j := uint32(u)
	z := &zigExp[uint8(u>>32)]
	if j < z.k {
		return float64(j) * float64(z.w)
	}
	st.src.state = key
	return st.rng.ExpFloat64()
}

// ahead holds a draw made one call before it is asked for, on the guess
// that the next call is for the next serial on the same occasion, as it
// is for the arrivals' gaps and for a step's demands in a workload of one
// class. A draw is three dependent finalisers and the ziggurat, whose
// result the event heap's comparisons wait for; made ahead, it is ready,
// and its own latency overlaps the rest of the event's work. Draws are a
// pure function of the occasion, so a guess that misses costs only time,
// never a different number.
type ahead struct {
	serial, k uint64 // the occasion that continues the last call's in sequence
	x         uint64 // the draw for (serial, k), if have
	have      bool
}

// next reports whether (serial, k) continues the last call's sequence,
// and records the occasion that would continue this one; on false, the
// draw held is dropped.
func (a *ahead) next(serial, k uint64) bool {
	ok := serial == a.serial && k == a.k
	a.serial, a.k = serial+1, k
	if !ok {
		a.have = false
	}
	return ok
}

// counter is SplitMix64 as a rand.Source.
type counter struct{ state uint64 }

func (c *counter) Uint64() uint64 {
	c.state += 0x9e3779b97f4a7c15
	return mix64(c.state)
}

// mix64 is SplitMix64's finaliser (Stafford's variant 13): a bijection of
// 64-bit words with full avalanche.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// sampler draws durations in nanoseconds from one distribution, on its
// own stream.
type sampler struct {
	kind  topology.DistKind
	a, b  float64 // kind-specific parameters, see newSampler
	k     int
	scale float64 // divides every draw (a CPU speed factor); 1 if none
	st    *stream
	c     int64 // a constant's draw
	ahead ahead // an exponential's or a Pareto's next draw, in ns
}

func newSampler(d topology.Dist, scale float64, st *stream) sampler {
	s := sampler{kind: d.Kind, k: d.K, scale: scale, st: st}
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
	s.c = nanos(s.a / s.scale)
	return s
}

// sample returns the draw for occasion k of request serial in
// nanoseconds, rounded to the nearest one. An exponential's and a
// Pareto's are made one call ahead when the calls go serial after serial
// (see ahead).
func (s *sampler) sample(serial, k uint64) int64 {
	switch s.kind {
	case topology.Const:
		return s.c
	case topology.Exp, topology.Pareto:
		a := &s.ahead
		if !a.next(serial, k) {
			return s.one(serial, k)
		}
		x := int64(a.x)
		if !a.have {
			x = s.one(serial, k)
		}
		// one(serial+1, k), inline
		var next float64
		if s.kind == topology.Exp {
			next = s.a * s.st.exp(serial+1, k)
		} else {
			next = s.a * math.Exp(s.st.exp(serial+1, k)/s.b)
		}
		a.x, a.have = uint64(nanos(next/s.scale)), true
		return x
	}
	return nanos(s.draw(s.st.at(serial, k)) / s.scale)
}

// one is the draw of an exponential or a Pareto for occasion k of
// request serial, in ns.
func (s *sampler) one(serial, k uint64) int64 {
	var x float64
	if s.kind == topology.Exp {
		x = s.a * s.st.exp(serial, k)
	} else {
		x = s.a * math.Exp(s.st.exp(serial, k)/s.b)
	}
	return nanos(x / s.scale)
}

// draw is a draw of the kinds that take more than one exponential, on
// rng.
func (s *sampler) draw(rng *rand.Rand) float64 {
	var x float64
	switch s.kind {
	case topology.Uniform:
		x = s.a + (s.b-s.a)*rng.Float64()
	case topology.LogNormal:
		x = math.Exp(s.a + s.b*rng.NormFloat64())
	case topology.Erlang:
		for i := 0; i < s.k; i++ {
			x += rng.ExpFloat64()
		}
		x *= s.a
	}
	return x
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

// Occasions within a request beyond its program counter: a step's draws
// use the step's position (r.pc); a buy step's sub-steps and tries, and
// the order it queues, get their own.
const occOrder = 1 << 40 // the queued order's query

// buyOccasion numbers the sub-step request r runs now within its buy
// step: the same position, phase and try give the same draw.
func buyOccasion(r *request) uint64 {
	return uint64(r.pc) | uint64(r.phase)<<32 | uint64(r.tries)<<36
}

// demandAt passes the CPU demand d of request id's current step through
// the test hook, if one is set, and returns it.
func (s *Sim) demandAt(id int32, d int64) int64 {
	if s.testDemand != nil {
		s.testDemand(s.reqs[id].serial, s.reqs[id].pc, d)
	}
	return d
}

// occFirstThink keys a user's first think time, drawn on the think stream
// by the user's number rather than a request's serial.
const occFirstThink = 1 << 41

// seqStream is a stream drawn in sequence, for choices that belong to no
// request (a server's failure clock): its n-th occasion is the n-th draw,
// whatever else happens in the run.
type seqStream struct {
	st *stream
	n  uint64
}

// next returns the generator of the stream's next occasion.
func (q *seqStream) next() *rand.Rand {
	q.n++
	return q.st.at(0, q.n)
}
