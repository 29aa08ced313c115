package theory

import (
	"math"
	"math/big"
	"testing"
)

// near fails unless got is within rel (relative) of want.
func near(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > rel*math.Abs(want) {
		t.Errorf("%s = %.6g, want %.6g (within %.2g%%)", what, got, want, rel*100)
	}
}

// The published Erlang B table (traffic in erlangs that N trunks carry
// at a grade of service): N = 5 at 1% is 1.361 E, N = 10 at 1% is
// 4.461 E and at 2% 5.084 E, N = 100 at 1% is 84.06 E. The table rounds
// the traffic to four digits, so the blocking is checked to 0.2%.
func TestErlangBTable(t *testing.T) {
	for _, tc := range []struct {
		c      int
		a, gos float64
	}{
		{5, 1.361, 0.01},
		{10, 4.461, 0.01},
		{10, 5.084, 0.02},
		{100, 84.06, 0.01},
	} {
		near(t, "ErlangB", ErlangB(tc.c, tc.a), tc.gos, 0.002)
	}
	// closed forms: B(1, a) = a/(1+a); B(2, a) = a²/(2 + 2a + a²)
	near(t, "B(1, 3)", ErlangB(1, 3), 0.75, 1e-12)
	near(t, "B(2, 2)", ErlangB(2, 2), 4.0/10, 1e-12)
	if ErlangB(0, 5) != 1 || ErlangB(3, 0) != 0 {
		t.Errorf("B(0, a) must be 1 and B(c, 0) 0: %g, %g", ErlangB(0, 5), ErlangB(3, 0))
	}
}

// exactErlangC sums the definition in exact rational arithmetic: the
// reference the recursion must agree with.
func exactErlangC(c int, a *big.Rat) float64 {
	sum, term := new(big.Rat), big.NewRat(1, 1)
	for k := 0; k < c; k++ {
		sum.Add(sum, term)
		term.Mul(term, a)
		term.Quo(term, big.NewRat(int64(k+1), 1))
	}
	// term = a^c/c!; top = term · c/(c-a)
	cr := big.NewRat(int64(c), 1)
	top := new(big.Rat).Mul(term, cr)
	top.Quo(top, new(big.Rat).Sub(cr, a))
	f, _ := new(big.Rat).Quo(top, sum.Add(sum, top)).Float64()
	return f
}

// Erlang C against published values and exact sums: c = 10 servers
// offered 8 erlangs wait with probability 0.4092 (the call-centre
// tables' 40.9%); c = 2 lines at 1.5 erlangs (150 packets/s of 10 ms
// each) 9/14; c = 3 at 2 erlangs 4/9; c = 1 is M/M/1, where C = ρ.
func TestErlangCPublished(t *testing.T) {
	near(t, "C(10, 8)", ErlangC(10, 8), 0.4092, 0.0005)
	near(t, "C(2, 1.5)", ErlangC(2, 1.5), 9.0/14, 1e-12)
	near(t, "C(3, 2)", ErlangC(3, 2), 4.0/9, 1e-12)
	for _, rho := range []float64{0.1, 0.5, 0.8, 0.99} {
		near(t, "C(1, ρ)", ErlangC(1, rho), rho, 1e-12)
	}
	for _, tc := range []struct {
		c    int
		a    *big.Rat
		aval float64
	}{
		{4, big.NewRat(32, 10), 3.2},
		{20, big.NewRat(18, 1), 18},
		{50, big.NewRat(45, 1), 45},
		{200, big.NewRat(190, 1), 190},
	} {
		near(t, "ErlangC against the exact sum", ErlangC(tc.c, tc.aval), exactErlangC(tc.c, tc.a), 1e-10)
	}
}

// A huge c: the direct formula overflows a float64 beyond c = 170
// (171! > 1.8e308); the recursion does not. At c = 10,000 and ρ = 0.99
// the probability of waiting is finite, strictly between 0 and 1, and
// by the square-root staffing rule (Halfin-Whitt) about that of the
// limit with β = (1-ρ)√c = 1: 1/(1 + β Φ(β)/φ(β)) = 0.2066, to within
// the O(1/√c) correction.
func TestErlangCHugeC(t *testing.T) {
	c, rho := 10000, 0.99
	got := ErlangC(c, rho*float64(c))
	beta := (1 - rho) * math.Sqrt(float64(c))
	phi := math.Exp(-beta*beta/2) / math.Sqrt(2*math.Pi)
	Phi := 0.5 * (1 + math.Erf(beta/math.Sqrt2))
	hw := 1 / (1 + beta*Phi/phi)
	if math.IsNaN(got) || got <= 0 || got >= 1 {
		t.Fatalf("C(%d, %g) = %g, not a probability", c, rho*float64(c), got)
	}
	near(t, "C against Halfin-Whitt", got, hw, 0.02)
	if g := ErlangC(1_000_000, 999_000); math.IsNaN(g) || g <= 0 || g >= 1 {
		t.Errorf("C(1e6, 999000) = %g, not a probability", g)
	}
}

func TestErlangCUnstable(t *testing.T) {
	for _, a := range []float64{4, 4.5, 100} {
		if got := ErlangC(4, a); got != 1 {
			t.Errorf("C(4, %g) = %g: at a ≥ c every arrival waits, want 1", a, got)
		}
	}
	if ErlangC(4, 0) != 0 {
		t.Errorf("no load, no wait: C(4, 0) = %g", ErlangC(4, 0))
	}
}
