package theory

import (
	"math"
	"time"
)

// MMcK is an M/M/c/K queue: M/M/c with room for K requests in all
// (C being served, K - C waiting). An arrival that finds K inside is
// refused: a node's worker slots with a finite backlog. It is always
// stable.
type MMcK struct {
	Lambda, Mu float64
	C, K       int
}

// dist returns, over n = c..K, the stationary probabilities as weights
// relative to a common scale: the probability of n ≤ c in all (lowSum),
// and of c + j inside for j = 1..K-c through the callback. p_n for
// n ≤ c is proportional to a^n/n!, above to a^c/c!·ρ^(n-c); the sum up
// to c is (a^c/c!)/B with B Erlang B, so every weight is relative to
// a^c/c! and scaled by ρ^-(K-c) when ρ > 1 to stay finite.
func (q MMcK) dist(each func(j int, w float64)) (low, total float64) {
	c, m := q.C, q.K-q.C
	a := q.Lambda / q.Mu
	rho := a / float64(c)
	lr := math.Log(rho)
	shift := 0.0
	if lr > 0 {
		shift = float64(m) * lr
	}
	b := ErlangB(c, a)
	low = math.Exp(-math.Log(b) - shift) // sum over n ≤ c
	total = low
	for j := 1; j <= m; j++ {
		w := math.Exp(float64(j)*lr - shift)
		if w == 0 && lr < 0 {
			break // the rest underflow too
		}
		if each != nil {
			each(j, w)
		}
		total += w
	}
	return low, total
}

func (q MMcK) valid() bool { return q.C > 0 && q.K >= q.C && q.Mu > 0 && q.Lambda >= 0 }

// PBlock is the probability that an arrival is refused: p_K.
func (q MMcK) PBlock() float64 {
	if !q.valid() {
		return math.NaN()
	}
	if q.Lambda == 0 {
		return 0
	}
	if q.K == q.C {
		return ErlangB(q.C, q.Lambda/q.Mu)
	}
	var last float64
	_, total := q.dist(func(j int, w float64) {
		if j == q.K-q.C {
			last = w
		}
	})
	return last / total
}

// Lq is the mean number waiting.
func (q MMcK) Lq() float64 {
	if !q.valid() || q.Lambda == 0 || q.K == q.C {
		return 0
	}
	sum := 0.0
	_, total := q.dist(func(j int, w float64) { sum += float64(j) * w })
	return sum / total
}

// Throughput is the rate of admitted arrivals, λ(1 - PBlock).
func (q MMcK) Throughput() float64 { return q.Lambda * (1 - q.PBlock()) }

// Utilisation is each server's busy fraction: admitted work over c.
func (q MMcK) Utilisation() float64 { return q.Throughput() / q.Mu / float64(q.C) }

// L is the mean number inside: Lq plus the mean number being served.
func (q MMcK) L() float64 { return q.Lq() + q.Throughput()/q.Mu }

// Wq is the mean wait of an admitted arrival: Lq over the admitted rate.
func (q MMcK) Wq() time.Duration {
	x := q.Throughput()
	if x <= 0 {
		return 0
	}
	return seconds(q.Lq() / x)
}
