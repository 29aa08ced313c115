package sim

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestIntegralIsExact: an integral kept as the sum of its changes times
// their instants reads, at any time, the area under the count computed
// piece by piece in exact arithmetic, for changes of either sign and
// any size, counts that go negative, and times near the clock's end.
func TestIntegralIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, start := range []int64{0, 1 << 40, never - 1<<50} {
		var g integral
		n, now := 0, start
		g.change(now, 0)
		want := new(big.Int)
		toBig := func(a area) *big.Int {
			v := new(big.Int).SetUint64(a.hi)
			v.Lsh(v, 64).Add(v, new(big.Int).SetUint64(a.lo))
			if int64(a.hi) < 0 {
				v.Sub(v, new(big.Int).Lsh(big.NewInt(1), 128))
			}
			return v
		}
		// the integral from the start: g holds it from time 0 with the
		// count 0 there, so it is the same
		for i := 0; i < 20000; i++ {
			dt := rng.Int64N(1 << 30)
			want.Add(want, new(big.Int).Mul(big.NewInt(int64(n)), big.NewInt(dt)))
			now += dt
			d := []int{1, -1, 1, -1, 7, -300, 1 << 20, -(1 << 20)}[rng.IntN(8)]
			g.change(now, d)
			n += d
			if got := toBig(g.at(now, n)); got.Cmp(want) != 0 {
				t.Fatalf("start %d, change %d: integral %v, want %v", start, i, got, want)
			}
		}
	}
}
