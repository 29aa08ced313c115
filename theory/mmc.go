package theory

import (
	"math"
	"time"
)

// MMc is an M/M/c queue: Poisson arrivals at Lambda per second, C
// servers each serving at Mu per second with exponential service times,
// first come first served, unlimited room.
type MMc struct {
	Lambda, Mu float64
	C          int
}

// Forever is what a mean wait or response is when the queue is unstable:
// the queue grows without bound.
const Forever = time.Duration(math.MaxInt64)

// Load is the offered load a = λ/μ in erlangs: the mean number of busy
// servers, when the queue is stable.
func (q MMc) Load() float64 {
	if q.Mu <= 0 {
		return math.Inf(1)
	}
	return q.Lambda / q.Mu
}

// Utilisation is ρ = λ/(cμ), each server's busy fraction; at 1 or more
// the queue is unstable (and the servers are busy all the time).
func (q MMc) Utilisation() float64 {
	if q.C <= 0 {
		return math.Inf(1)
	}
	return q.Load() / float64(q.C)
}

// Stable reports whether the queue settles: λ < cμ.
func (q MMc) Stable() bool { return q.C > 0 && q.Mu > 0 && q.Lambda < float64(q.C)*q.Mu }

// PWait is the probability that an arrival waits (Erlang C).
func (q MMc) PWait() float64 {
	if !q.Stable() {
		return 1
	}
	return ErlangC(q.C, q.Load())
}

// wqSeconds is the mean wait in queue, C/(cμ - λ), in seconds.
func (q MMc) wqSeconds() float64 {
	if !q.Stable() {
		return math.Inf(1)
	}
	return q.PWait() / (float64(q.C)*q.Mu - q.Lambda)
}

// Wq is the mean wait in queue, before service: Erlang C / (cμ - λ).
func (q MMc) Wq() time.Duration { return seconds(q.wqSeconds()) }

// W is the mean response time: the wait plus the service, Wq + 1/μ.
func (q MMc) W() time.Duration {
	if !q.Stable() {
		return Forever
	}
	return seconds(q.wqSeconds() + 1/q.Mu)
}

// Lq is the mean number waiting: λ·Wq (Little's law).
func (q MMc) Lq() float64 {
	if !q.Stable() {
		return math.Inf(1)
	}
	return q.Lambda * q.wqSeconds()
}

// L is the mean number in the system, waiting or served: Lq + a.
func (q MMc) L() float64 {
	if !q.Stable() {
		return math.Inf(1)
	}
	return q.Lq() + q.Load()
}

// WaitQuantile is the p-quantile of the wait in queue: the wait is 0
// with probability 1 - C, and beyond t with probability C·e^{-(cμ-λ)t}.
func (q MMc) WaitQuantile(p float64) time.Duration {
	if !q.Stable() {
		return Forever
	}
	pw := q.PWait()
	if pw <= 1-p {
		return 0
	}
	return seconds(math.Log(pw/(1-p)) / (float64(q.C)*q.Mu - q.Lambda))
}

// ResponseQuantile is the p-quantile of the response time (wait plus
// service). With θ = cμ - λ the wait is 0 with probability 1 - C, else
// exponential at θ, then an exponential service at μ:
// P(T > t) = (1-C)e^{-μt} + C(θe^{-μt} - μe^{-θt})/(θ - μ).
func (q MMc) ResponseQuantile(p float64) time.Duration {
	if !q.Stable() {
		return Forever
	}
	if p <= 0 {
		return 0
	}
	pw, mu := q.PWait(), q.Mu
	th := float64(q.C)*mu - q.Lambda
	tail := func(t float64) float64 {
		if math.Abs(th-mu) < 1e-9*mu {
			return (1-pw)*math.Exp(-mu*t) + pw*(1+mu*t)*math.Exp(-mu*t)
		}
		return (1-pw)*math.Exp(-mu*t) + pw*(th*math.Exp(-mu*t)-mu*math.Exp(-th*t))/(th-mu)
	}
	hi := 1 / math.Min(mu, th)
	for tail(hi) > 1-p {
		hi *= 2
	}
	lo := 0.0
	for range 200 {
		m := (lo + hi) / 2
		if tail(m) > 1-p {
			lo = m
		} else {
			hi = m
		}
	}
	return seconds((lo + hi) / 2)
}

// seconds converts seconds to a Duration, Forever beyond its range.
func seconds(s float64) time.Duration {
	if math.IsInf(s, 1) || math.IsNaN(s) || s*1e9 >= float64(math.MaxInt64) {
		return Forever
	}
	return time.Duration(math.Round(s * 1e9))
}
