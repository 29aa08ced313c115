package theory

// ErlangB is the probability that an arrival finds all c servers busy
// and is lost, in a loss system (M/M/c/c) offered a = λ/μ erlangs. It
// uses the recursion B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)), whose
// every term lies in [0, 1]: it neither overflows nor loses precision
// for large c, as a^c/c! would.
func ErlangB(c int, a float64) float64 {
	if c < 0 || a < 0 {
		return 0
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		ab := a * b
		b = ab / (float64(k) + ab)
	}
	return b
}

// ErlangC is the probability that an arrival waits, in an M/M/c queue
// offered a = λ/μ erlangs: C = B / (1 - ρ(1 - B)) with B = ErlangB(c, a)
// and ρ = a/c. At a ≥ c the queue is unstable and every arrival
// eventually waits: it returns 1.
func ErlangC(c int, a float64) float64 {
	if c <= 0 {
		return 1
	}
	if a <= 0 {
		return 0
	}
	rho := a / float64(c)
	if rho >= 1 {
		return 1
	}
	b := ErlangB(c, a)
	return b / (1 - rho*(1-b))
}
