package theory

import (
	"fmt"
	"math"
	"time"
)

// The models Predict knows, by the names a measured station gives.
const (
	NameMMc   = "M/M/c"
	NameMMcK  = "M/M/c/K"
	NameMG1   = "M/G/1"
	NameMMcPS = "M/M/c-PS"
	NameMGcPS = "M/G/c-PS"
	NameMGc   = "M/G/c"
)

// Figures are what a model predicts of a station in steady state.
type Figures struct {
	Model       string  `json:"model"`
	Stable      bool    `json:"stable"`
	Utilisation float64 `json:"utilization"`
	// Wq and W are the mean wait before service and the mean response
	// (wait plus service); Forever when the queue is unstable. Lq and L
	// the mean numbers waiting and inside; +Inf when unstable (JSON
	// cannot say +Inf: they are written as null then).
	Wq time.Duration `json:"-"`
	W  time.Duration `json:"-"`
	Lq float64       `json:"-"`
	L  float64       `json:"-"`
	// Refused is the fraction of arrivals refused for lack of room
	// (M/M/c/K).
	Refused float64 `json:"refused"`
	// Wait says whether Wq and Lq mean anything: under processor
	// sharing no request waits apart from the others, they all advance
	// together, and only L and W are the model's.
	Wait bool `json:"wait_defined"`
}

// Predict gives model's figures for Poisson arrivals at lambda per
// second, services of mean mean and coefficient of variation cv, c
// servers and room k in all (M/M/c/K only). The models:
//
//	M/M/c     Erlang C: exponential services, first come first served
//	M/M/c/K   the same with room for k, arrivals beyond refused
//	M/G/1     one server, any service distribution (Pollaczek-Khinchine)
//	M/G/c     c servers, any service distribution, first come first
//	          served: Allen and Cunneen's approximation, Erlang C's wait
//	          times (1 + cv²)/2 (exact for c = 1, Pollaczek-Khinchine;
//	          within about 10% at moderate and heavy load)
//	M/M/c-PS  c servers shared among all the requests inside (time
//	          slices), exponential services: the number inside is a
//	          birth-death chain with M/M/c's rates min(n, c)μ, so L and W
//	          are M/M/c's; no request waits apart from the others
//	M/G/c-PS  the same with any service distribution: processor sharing
//	          is insensitive (a symmetric queue, Kelly), so L and W
//	          depend on the mean service alone and are M/M/c's
func Predict(model string, lambda float64, mean time.Duration, cv float64, c, k int) (Figures, error) {
	f := Figures{Model: model, Wait: true}
	if mean <= 0 || lambda < 0 {
		return f, fmt.Errorf("theory: a prediction needs a positive mean service and a rate, got %v and %g", mean, lambda)
	}
	mu := 1 / mean.Seconds()
	switch model {
	case NameMMc, NameMMcPS, NameMGcPS:
		q := MMc{Lambda: lambda, Mu: mu, C: c}
		if c <= 0 {
			return f, fmt.Errorf("theory: %s needs a server, got %d", model, c)
		}
		f.Stable, f.Utilisation = q.Stable(), q.Utilisation()
		f.Wq, f.W, f.Lq, f.L = q.Wq(), q.W(), q.Lq(), q.L()
		if model != NameMMc {
			f.Wait, f.Wq, f.Lq = false, 0, 0
		}
	case NameMGc:
		q := MMc{Lambda: lambda, Mu: mu, C: c}
		if c <= 0 {
			return f, fmt.Errorf("theory: %s needs a server, got %d", model, c)
		}
		f.Stable, f.Utilisation = q.Stable(), q.Utilisation()
		if !f.Stable {
			f.Wq, f.W, f.Lq, f.L = Forever, Forever, math.Inf(1), math.Inf(1)
			break
		}
		wq := q.wqSeconds() * (1 + cv*cv) / 2
		f.Wq, f.Lq = seconds(wq), lambda*wq
		f.W, f.L = f.Wq+mean, f.Lq+q.Load()
	case NameMMcK:
		q := MMcK{Lambda: lambda, Mu: mu, C: c, K: k}
		if !q.valid() {
			return f, fmt.Errorf("theory: M/M/c/K needs 0 < c ≤ K, got c %d K %d", c, k)
		}
		f.Stable, f.Utilisation, f.Refused = true, q.Utilisation(), q.PBlock()
		f.Wq, f.Lq, f.L = q.Wq(), q.Lq(), q.L()
		f.W = f.Wq + mean
	case NameMG1:
		q := MG1{Lambda: lambda, Mean: mean, CV: cv}
		f.Stable, f.Utilisation = q.Stable(), q.Utilisation()
		f.Wq, f.Lq = q.Wq(), q.Lq()
		if f.Stable {
			f.W = f.Wq + mean
			f.L = f.Lq + f.Utilisation
		} else {
			f.W, f.L = Forever, math.Inf(1)
		}
	default:
		return f, fmt.Errorf("theory: unknown model %q", model)
	}
	return f, nil
}
