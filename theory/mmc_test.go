package theory

import (
	"math"
	"testing"
	"time"
)

// c = 1 is M/M/1: Wq = ρ/(μ-λ), W = 1/(μ-λ), Lq = ρ²/(1-ρ), L = ρ/(1-ρ),
// P(Wq > t) = ρe^{-(μ-λ)t}, P(T > t) = e^{-(μ-λ)t}.
func TestMM1ClosedForms(t *testing.T) {
	q := MMc{Lambda: 800, Mu: 1000, C: 1}
	rho := 0.8
	near(t, "utilisation", q.Utilisation(), rho, 1e-12)
	near(t, "Wq", q.Wq().Seconds(), rho/200, 1e-6)
	near(t, "W", q.W().Seconds(), 1.0/200, 1e-6)
	near(t, "Lq", q.Lq(), rho*rho/(1-rho), 1e-9)
	near(t, "L", q.L(), rho/(1-rho), 1e-9)
	near(t, "p99 wait", q.WaitQuantile(0.99).Seconds(), math.Log(100*rho)/200, 1e-6)
	near(t, "p99 response", q.ResponseQuantile(0.99).Seconds(), math.Log(100)/200, 1e-6)
	near(t, "median response", q.ResponseQuantile(0.5).Seconds(), math.Ln2/200, 1e-6)
	if got := q.WaitQuantile(0.1); got != 0 {
		t.Errorf("the 10th percentile wait is 0 (20%% do not wait), got %v", got)
	}
}

// c = 4, λ = 3200/s, μ = 1000/s: the figures the simulator's own M/M/c
// test uses, by hand: a = 3.2, C = 0.5964 (the sum 1 + 3.2 + 5.12 +
// 5.461 = 14.781, a^4/4!·4/(4-3.2) = 21.845), Wq = C/800 s.
func TestMMcByHand(t *testing.T) {
	q := MMc{Lambda: 3200, Mu: 1000, C: 4}
	c := 21.84533 / (14.78133 + 21.84533)
	near(t, "PWait", q.PWait(), c, 1e-4)
	near(t, "Wq", q.Wq().Seconds(), c/800, 1e-4)
	near(t, "Lq", q.Lq(), 3200*c/800, 1e-4)
	near(t, "L", q.L(), 3200*c/800+3.2, 1e-4)
	near(t, "W = L/λ (Little)", q.W().Seconds(), q.L()/3200, 1e-6)
	if !q.Stable() {
		t.Error("ρ = 0.8 is stable")
	}
}

// The response time quantile agrees with its definition: the
// probability mass the closed-form tail leaves beyond it.
func TestResponseQuantileTail(t *testing.T) {
	for _, q := range []MMc{{350, 100, 4}, {350, 100, 5}, {99, 1, 100}, {1, 2, 1}} {
		for _, p := range []float64{0.5, 0.9, 0.99} {
			t0 := q.ResponseQuantile(p).Seconds()
			// integrate the density: the wait is 0 with probability
			// 1-C, else Exp(θ); the service is Exp(μ)
			pw, th := q.PWait(), float64(q.C)*q.Mu-q.Lambda
			// P(W + S > t0) = P(W = 0) P(S > t0) + P(W > t0)
			// + ∫ P(W ∈ dw) P(S > t0 - w) over 0 < w < t0
			n := 20000
			tail := (1-pw)*math.Exp(-q.Mu*t0) + pw*math.Exp(-th*t0)
			dw := t0 / float64(n)
			for i := range n {
				w := (float64(i) + 0.5) * dw
				tail += pw * th * math.Exp(-th*w) * math.Exp(-q.Mu*(t0-w)) * dw
			}
			near(t, "tail beyond the quantile", tail, 1-p, 1e-3)
		}
	}
}

func TestMMcUnstable(t *testing.T) {
	for _, q := range []MMc{{4000, 1000, 4}, {5000, 1000, 4}, {1, 0, 1}, {1, 1, 0}} {
		if q.Stable() {
			t.Errorf("%+v is unstable", q)
		}
		if q.Wq() != Forever || q.W() != Forever || !math.IsInf(q.Lq(), 1) || !math.IsInf(q.L(), 1) || q.PWait() != 1 {
			t.Errorf("%+v: unstable figures must be unbounded: Wq %v W %v Lq %g L %g C %g", q, q.Wq(), q.W(), q.Lq(), q.L(), q.PWait())
		}
		if q.WaitQuantile(0.99) != Forever || q.ResponseQuantile(0.99) != Forever {
			t.Errorf("%+v: unstable quantiles must be Forever", q)
		}
	}
	if u := (MMc{5000, 1000, 4}).Utilisation(); u != 1.25 {
		t.Errorf("offered utilisation %g, want 1.25", u)
	}
}

// M/M/c/K: the birth-death probabilities summed directly (small K),
// and the limits: K = c is Erlang B, K → ∞ is M/M/c.
func TestMMcK(t *testing.T) {
	direct := func(c, k int, a float64) (block, lq float64) {
		p := make([]float64, k+1)
		total := 0.0
		for n := 0; n <= k; n++ {
			v := 1.0
			for i := 1; i <= n; i++ {
				v *= a / float64(min(i, c))
			}
			p[n] = v
			total += v
		}
		for n := c + 1; n <= k; n++ {
			lq += float64(n-c) * p[n] / total
		}
		return p[k] / total, lq
	}
	for _, tc := range []struct {
		c, k int
		a    float64
	}{{2, 5, 3}, {1, 10, 0.5}, {4, 4, 3}, {3, 50, 2.9}, {3, 50, 6}} {
		q := MMcK{Lambda: tc.a * 1000, Mu: 1000, C: tc.c, K: tc.k}
		b, lq := direct(tc.c, tc.k, tc.a)
		near(t, "PBlock", q.PBlock(), b, 1e-9)
		if lq == 0 {
			if q.Lq() != 0 {
				t.Errorf("no room to wait, Lq = %g", q.Lq())
			}
		} else {
			near(t, "Lq", q.Lq(), lq, 1e-9)
		}
		near(t, "Wq (Little)", q.Wq().Seconds(), lq/(q.Lambda*(1-b)), 1e-6)
	}
	near(t, "K = c is Erlang B", MMcK{3000, 1000, 4, 4}.PBlock(), ErlangB(4, 3), 1e-12)
	big := MMcK{Lambda: 3200, Mu: 1000, C: 4, K: 4000}
	inf := MMc{Lambda: 3200, Mu: 1000, C: 4}
	near(t, "large K is M/M/c: Lq", big.Lq(), inf.Lq(), 1e-9)
	near(t, "large K is M/M/c: Wq", big.Wq().Seconds(), inf.Wq().Seconds(), 1e-6)
	// overloaded with a large room: it does not overflow, nearly every
	// server is busy and arrivals beyond cμ are refused
	over := MMcK{Lambda: 8000, Mu: 1000, C: 4, K: 100_000}
	near(t, "overloaded PBlock", over.PBlock(), 0.5, 1e-9)
	near(t, "overloaded utilisation", over.Utilisation(), 1, 1e-9)
}

// M/G/1: exponential service gives M/M/1; constant service half its
// wait (M/D/1).
func TestMG1(t *testing.T) {
	mm1 := MMc{Lambda: 500, Mu: 1000, C: 1}
	near(t, "cv 1 is M/M/1", MG1{Lambda: 500, Mean: time.Millisecond, CV: 1}.Wq().Seconds(), mm1.Wq().Seconds(), 1e-6)
	near(t, "cv 0 is M/D/1", MG1{Lambda: 500, Mean: time.Millisecond}.Wq().Seconds(), mm1.Wq().Seconds()/2, 1e-6)
	if (MG1{Lambda: 1000, Mean: time.Millisecond}).Stable() {
		t.Error("ρ = 1 is unstable")
	}
}

// MVA with one user has no queueing: R = the sum of demands; with many
// users the throughput tends to the bottleneck's 1/D_max.
func TestMVA(t *testing.T) {
	x, r := MVA(1, 0.1, 0.002, 0.003)
	near(t, "one user R", r, 0.005, 1e-12)
	near(t, "one user X", x, 1/0.105, 1e-12)
	x, _ = MVA(500, 0.1, 0.002, 0.003)
	near(t, "saturated X", x, 1/0.003, 1e-6)
	// one station with no think time is an M/M/1 closed loop of n
	// users: X = 1/D, R = n·D
	x, r = MVA(7, 0, 0.01)
	near(t, "X", x, 100, 1e-12)
	near(t, "R", r, 0.07, 1e-12)
}

// Predict gives each model's own figures, and refuses what it cannot
// predict.
func TestPredict(t *testing.T) {
	f, err := Predict(NameMMc, 3200, time.Millisecond, 1, 4, 0)
	q := MMc{Lambda: 3200, Mu: 1000, C: 4}
	if err != nil || f.Wq != q.Wq() || f.Lq != q.Lq() || f.W != q.W() || f.L != q.L() || !f.Wait || !f.Stable {
		t.Errorf("M/M/c: %+v %v", f, err)
	}
	f, err = Predict(NameMMcPS, 3200, time.Millisecond, 1, 4, 0)
	if err != nil || f.Wait || f.W != q.W() || f.L != q.L() {
		t.Errorf("M/M/c-PS has M/M/c's L and W and no wait: %+v %v", f, err)
	}
	// insensitive: the service's cv changes nothing
	g, err := Predict(NameMGcPS, 3200, time.Millisecond, 0.2, 4, 0)
	if err != nil || g.Wait || g.W != q.W() || g.L != q.L() || g.Model != NameMGcPS {
		t.Errorf("M/G/c-PS has M/M/c's L and W whatever the cv, and no wait: %+v %v", g, err)
	}
	f, err = Predict(NameMMcK, 3000, time.Millisecond, 1, 2, 5)
	k := MMcK{Lambda: 3000, Mu: 1000, C: 2, K: 5}
	if err != nil || f.Refused != k.PBlock() || f.Lq != k.Lq() || f.W != k.Wq()+time.Millisecond {
		t.Errorf("M/M/c/K: %+v %v", f, err)
	}
	f, err = Predict(NameMG1, 500, time.Millisecond, 0, 1, 0)
	if err != nil || f.Wq != (MG1{Lambda: 500, Mean: time.Millisecond}).Wq() || f.L != f.Lq+0.5 {
		t.Errorf("M/G/1: %+v %v", f, err)
	}
	// Allen-Cunneen: cv 1 is Erlang C, c = 1 is Pollaczek-Khinchine
	f, err = Predict(NameMGc, 3200, time.Millisecond, 1, 4, 0)
	if err != nil || f.Wq != q.Wq() || f.L != q.L() {
		t.Errorf("M/G/c with cv 1 is M/M/c: %+v %v", f, err)
	}
	f, _ = Predict(NameMGc, 500, time.Millisecond, 0.3, 1, 0)
	near(t, "M/G/c with c 1", f.Wq.Seconds(), MG1{Lambda: 500, Mean: time.Millisecond, CV: 0.3}.Wq().Seconds(), 1e-6)
	if f, _ := Predict(NameMGc, 5000, time.Millisecond, 0.2, 4, 0); f.Stable || f.W != Forever {
		t.Errorf("overloaded M/G/c must be unstable: %+v", f)
	}
	if f, _ := Predict(NameMMc, 5000, time.Millisecond, 1, 4, 0); f.Stable || f.W != Forever {
		t.Errorf("overloaded M/M/c must be unstable: %+v", f)
	}
	for _, bad := range []struct {
		m    string
		mean time.Duration
		c, k int
	}{{"M/D/1", time.Millisecond, 1, 0}, {NameMMc, 0, 1, 0}, {NameMMc, time.Millisecond, 0, 0}, {NameMMcK, time.Millisecond, 3, 2}} {
		if _, err := Predict(bad.m, 100, bad.mean, 1, bad.c, bad.k); err == nil {
			t.Errorf("Predict(%q, mean %v, c %d, K %d) must fail", bad.m, bad.mean, bad.c, bad.k)
		}
	}
}

// Multi-class MVA: one class is the single-class MVA; classes with the
// same demand and think time add up to one class of all their users;
// and with no think time the station is always busy.
func TestMVAClasses(t *testing.T) {
	x1, r1 := MVA(7, 0.05, 0.01)
	x, r := MVAClasses([]int{7}, []float64{0.05}, []float64{0.01})
	near(t, "one class X", x[0], x1, 1e-12)
	near(t, "one class R", r[0], r1, 1e-12)
	x, r = MVAClasses([]int{3, 4}, []float64{0.05, 0.05}, []float64{0.01, 0.01})
	near(t, "alike classes X", x[0]+x[1], x1, 1e-12)
	near(t, "alike classes R", r[0], r1, 1e-12)
	near(t, "alike classes R", r[1], r1, 1e-12)
	x, _ = MVAClasses([]int{3, 2}, []float64{0, 0}, []float64{0.01, 0.01})
	near(t, "saturated", x[0]+x[1], 100, 1e-9)
	x, r = MVAClasses([]int{1, 0}, []float64{1, 1}, []float64{0.5, 0.5})
	if r[0] != 0.5 || x[1] != 0 {
		t.Errorf("one user alone: x %v r %v", x, r)
	}
	// three classes, one user each, no think time, on processor
	// sharing: the station holds 3 requests at all times, so by
	// Little X_k R_k = 1 for each, and the utilisation Σ X_k d_k = 1
	x, r = MVAClasses([]int{1, 1, 1}, []float64{0, 0, 0}, []float64{0.01, 0.02, 0.03})
	u := 0.0
	for k := range x {
		near(t, "Little", x[k]*r[k], 1, 1e-12)
		u += x[k] * []float64{0.01, 0.02, 0.03}[k]
	}
	near(t, "utilisation", u, 1, 1e-12)
}
