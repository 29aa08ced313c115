package theory

import (
	"math"
	"time"
)

// MG1 is an M/G/1 queue: Poisson arrivals at Lambda per second, one
// server, first come first served, service times of mean Mean and
// coefficient of variation CV (standard deviation over mean) of any
// distribution.
type MG1 struct {
	Lambda float64
	Mean   time.Duration
	CV     float64
}

// Utilisation is ρ = λ·E[S].
func (q MG1) Utilisation() float64 { return q.Lambda * q.Mean.Seconds() }

// Stable reports whether ρ < 1.
func (q MG1) Stable() bool { return q.Mean > 0 && q.Utilisation() < 1 }

// Wq is the Pollaczek-Khinchine mean wait, λE[S²] / (2(1 - ρ)) with
// E[S²] = E[S]²(1 + cv²).
func (q MG1) Wq() time.Duration {
	if !q.Stable() {
		return Forever
	}
	m := q.Mean.Seconds()
	return seconds(q.Lambda * m * m * (1 + q.CV*q.CV) / (2 * (1 - q.Utilisation())))
}

// Lq is the mean number waiting, λ·Wq.
func (q MG1) Lq() float64 {
	if !q.Stable() {
		return math.Inf(1)
	}
	return q.Lambda * q.Wq().Seconds()
}
