package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refLRU is the obvious LRU: a slice, most recently used first.
type refLRU struct {
	keys []int32
	exp  []int64
	cap  int
}

func (r *refLRU) find(k int32) int { return slices.Index(r.keys, k) }

func (r *refLRU) get(k int32, now int64) bool {
	i := r.find(k)
	if i < 0 {
		return false
	}
	if r.exp[i] <= now {
		r.keys = slices.Delete(r.keys, i, i+1)
		r.exp = slices.Delete(r.exp, i, i+1)
		return false
	}
	r.moveFront(i)
	return true
}

func (r *refLRU) moveFront(i int) {
	k, e := r.keys[i], r.exp[i]
	r.keys = slices.Insert(slices.Delete(r.keys, i, i+1), 0, k)
	r.exp = slices.Insert(slices.Delete(r.exp, i, i+1), 0, e)
}

func (r *refLRU) put(k int32, e int64) {
	if i := r.find(k); i >= 0 {
		r.exp[i] = e
		r.moveFront(i)
		return
	}
	if len(r.keys) >= r.cap {
		r.keys, r.exp = r.keys[:len(r.keys)-1], r.exp[:len(r.exp)-1]
	}
	r.keys = slices.Insert(r.keys, 0, k)
	r.exp = slices.Insert(r.exp, 0, e)
}

func (r *refLRU) resize(c int) {
	r.cap = c
	if len(r.keys) > c {
		r.keys, r.exp = r.keys[:c], r.exp[:c]
	}
}

func TestLRUMatchesReference(t *testing.T) {
	for _, keys := range []int{50, denseKeys + 1} {
		rng := rand.New(rand.NewPCG(uint64(keys), 1))
		var l lru
		l.setKeys(keys)
		l.resize(10)
		ref := refLRU{cap: 10}
		now := int64(0)
		for step := 0; step < 20000; step++ {
			now += int64(rng.IntN(3))
			k := int32(rng.IntN(50))
			switch op := rng.IntN(20); {
			case op < 10:
				if got, want := l.get(k, now), ref.get(k, now); got != want {
					t.Fatalf("keys %d step %d: get(%d) = %v, want %v", keys, step, k, got, want)
				}
			case op < 19:
				e := int64(math.MaxInt64)
				if rng.IntN(2) == 0 {
					e = now + int64(rng.IntN(40))
				}
				l.put(k, e)
				ref.put(k, e)
			default:
				c := 1 + rng.IntN(20)
				l.resize(c)
				ref.resize(c)
			}
			if l.size != len(ref.keys) {
				t.Fatalf("keys %d step %d: size %d, want %d", keys, step, l.size, len(ref.keys))
			}
		}
	}
}

func TestZipfFrequencies(t *testing.T) {
	// P(k) is proportional to 1/(k+1)^s; compare the first ranks.
	for _, s := range []float64{0.5, 0.99, 1.2} {
		const n, draws = 100, 400000
		z := newZipf(n, s)
		rng := rand.New(rand.NewPCG(1, 2))
		var counts [n]int
		for i := 0; i < draws; i++ {
			counts[z.sample(rng)]++
		}
		norm := 0.0
		for k := 1; k <= n; k++ {
			norm += math.Pow(float64(k), -s)
		}
		for k := 0; k < 5; k++ {
			want := math.Pow(float64(k+1), -s) / norm
			got := float64(counts[k]) / draws
			// binomial standard error at these counts is under 1%
			if math.Abs(got-want)/want > 0.03 {
				t.Errorf("s=%g: P(%d) = %.4f, want %.4f", s, k, got, want)
			}
		}
	}
}
