package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"scalesim/topology"
)

func TestSamplersReproduceMeanAndCV(t *testing.T) {
	// One million draws: the standard error of the mean is cv/1000 of
	// it, of the CV a little more; heavy tails (the lognormal with cv 3,
	// the Pareto) converge slowest, hence their wider tolerance.
	cases := []struct {
		dist string
		tol  float64
	}{
		{"15ms", 0.001},
		{"exp(15ms)", 0.01},
		{"uniform(5ms, 25ms)", 0.01},
		{"lognormal(8ms, 1.5)", 0.02},
		{"lognormal(8ms, 3)", 0.06},
		{"erlang(4, 10ms)", 0.01},
		{"pareto(10ms, 3.5)", 0.06},
	}
	for _, tc := range cases {
		t.Run(tc.dist, func(t *testing.T) {
			d, err := topology.ParseDist(tc.dist)
			if err != nil {
				t.Fatal(err)
			}
			s := newSampler(d, 1, newStream(1, tc.dist))
			const n = 1000000
			var sum, sum2 float64
			for i := 0; i < n; i++ {
				x := float64(s.sample(uint64(i), 0)) / 1e9
				sum += x
				sum2 += x * x
			}
			mean := sum / n
			sd := math.Sqrt(sum2/n - mean*mean)
			expectNear(t, "mean (s)", mean, d.MeanSeconds(), tc.tol)
			if cv := d.CoefVar(); cv == 0 {
				if sd > 1e-4*mean {
					t.Errorf("constant with sd %g", sd)
				}
			} else {
				expectNear(t, "cv", sd/mean, cv, 3*tc.tol)
			}
		})
	}
}

func TestSpeedScalesDraws(t *testing.T) {
	d, _ := topology.ParseDist("10ms")
	s := newSampler(d, 4, newStream(1, "x"))
	if got := s.sample(0, 0); got != 2500000 {
		t.Fatalf("10ms at speed 4 = %dns, want 2.5ms", got)
	}
}

// TestSamplersSaturate draws from every family at the edges of its
// parameters, and from parameters no valid file has, at speeds from
// absurdly slow to absurdly fast: every draw is a whole number of
// nanoseconds from 0 to MaxDraw, never negative, NaN or wrapped.
func TestSamplersSaturate(t *testing.T) {
	huge := time.Duration(math.MaxInt64)
	dists := []topology.Dist{
		{Kind: topology.Const},
		{Kind: topology.Const, Mean: topology.MaxDraw},
		{Kind: topology.Const, Mean: huge},
		{Kind: topology.Exp, Mean: 1},
		{Kind: topology.Exp, Mean: huge},
		{Kind: topology.Uniform, Max: huge},
		{Kind: topology.Uniform, Min: huge, Max: huge},
		{Kind: topology.LogNormal, Mean: 1, CV: 100},
		{Kind: topology.LogNormal, Mean: huge, CV: 100},
		{Kind: topology.LogNormal, Mean: huge, CV: 1e300},
		{Kind: topology.Erlang, K: 1000, Mean: 1},
		{Kind: topology.Erlang, K: 1, Mean: huge},
		{Kind: topology.Pareto, Mean: 1, Alpha: 1.0000001},
		{Kind: topology.Pareto, Mean: 10 * time.Millisecond, Alpha: 1.0000001},
		{Kind: topology.Pareto, Mean: huge, Alpha: 1.0000001},
		{Kind: topology.Pareto, Mean: huge, Alpha: 1e300},
		{Kind: topology.Pareto, Mean: 1, Alpha: 1e-300},
	}
	for _, d := range dists {
		for _, speed := range []float64{1, 1e-300, 1e-3, 1e3, 1e300, math.Inf(1)} {
			s := newSampler(d, speed, newStream(1, d.String()))
			for i := 0; i < 2000; i++ {
				if x := s.sample(uint64(i), 0); x < 0 || x > int64(topology.MaxDraw) {
					t.Fatalf("%v at speed %g: draw %d is outside [0, %d]", d, speed, x, int64(topology.MaxDraw))
				}
			}
		}
	}
}

var sinkDraw float64

// BenchmarkDraw compares an exponential draw keyed by request (re-keying
// the stream, then the ziggurat) with one from a sequential PCG stream.
func BenchmarkDraw(b *testing.B) {
	b.Run("per-request", func(b *testing.B) {
		st := newStream(1, "x")
		for i := 0; i < b.N; i++ {
			sinkDraw += st.at(uint64(i), 3).ExpFloat64()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/draw")
	})
	b.Run("sequential-pcg", func(b *testing.B) {
		r := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < b.N; i++ {
			sinkDraw += r.ExpFloat64()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/draw")
	})
}

// TestExpAt checks the inline exponential draw against math/rand/v2's
// ExpFloat64 on the same occasion, bit for bit, on both of its paths:
// common random numbers across versions of scalesim rest on it.
func TestExpAt(t *testing.T) {
	st := newStream(7, "exp")
	slow := 0
	for serial := uint64(0); serial < 200_000; serial++ {
		for k := uint64(0); k < 3; k++ {
			got := st.expAt(serial, k)
			want := st.at(serial, k).ExpFloat64()
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("serial %d occasion %d: expAt %v, ExpFloat64 %v", serial, k, got, want)
			}
			u := mix64(st.key(serial, k) + 0x9e3779b97f4a7c15)
			if uint32(u) >= zigExp[uint8(u>>32)].k {
				slow++
			}
		}
	}
	// about 1.1% of draws leave the ziggurat's fast path
	if slow < 3000 {
		t.Fatalf("only %d of 600000 draws took the slow path: it is not tested", slow)
	}
}

// TestDrawsAheadAreTheDrawsAsked calls expAt and every family's sample
// in runs of consecutive serials (where the next draw is made ahead),
// repeats (a retry), jumps back and forth and changes of occasion, and
// checks every answer against the draw made afresh: a draw made ahead
// is the occasion's draw, whatever the order of the calls.
func TestDrawsAheadAreTheDrawsAsked(t *testing.T) {
	type call struct{ serial, k uint64 }
	var calls []call
	rng := rand.New(rand.NewPCG(3, 4))
	serial := uint64(0)
	for len(calls) < 20_000 {
		switch rng.IntN(6) {
		case 0: // a retry: the same occasion again
		case 1:
			serial = rng.Uint64N(1 << 20)
		case 2:
			serial -= min(serial, rng.Uint64N(4))
		default:
			serial++
		}
		k := uint64(0)
		if rng.IntN(8) == 0 {
			k = rng.Uint64N(3)
		}
		calls = append(calls, call{serial, k})
	}
	st := newStream(5, "ahead")
	for i, c := range calls {
		got := st.expAt(c.serial, c.k)
		want := newStream(5, "ahead").at(c.serial, c.k).ExpFloat64()
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("call %d (%d, %d): expAt %v, want %v", i, c.serial, c.k, got, want)
		}
	}
	for _, dist := range []string{"15ms", "exp(15ms)", "uniform(5ms, 25ms)", "lognormal(8ms, 1.5)", "erlang(4, 10ms)", "pareto(10ms, 3.5)"} {
		d, err := topology.ParseDist(dist)
		if err != nil {
			t.Fatal(err)
		}
		s := newSampler(d, 1.5, newStream(6, dist))
		for i, c := range calls {
			fresh := newSampler(d, 1.5, newStream(6, dist))
			if got, want := s.sample(c.serial, c.k), fresh.sample(c.serial, c.k); got != want {
				t.Fatalf("%s: call %d (%d, %d): %d ns, want %d", dist, i, c.serial, c.k, got, want)
			}
		}
	}
}
