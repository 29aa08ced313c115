package theory

// MVA solves a closed network of single-server, first come first served
// stations with exponential service by exact Mean Value Analysis: n
// users, each thinking z seconds between requests, and a request's
// total service demand at each station in seconds. It returns the
// throughput (requests per second) and the mean response time (seconds,
// think time excluded).
func MVA(n int, z float64, demands ...float64) (x, r float64) {
	q := make([]float64, len(demands))
	rk := make([]float64, len(demands))
	for users := 1; users <= n; users++ {
		r = 0
		for k, d := range demands {
			rk[k] = d * (1 + q[k])
			r += rk[k]
		}
		x = float64(users) / (z + r)
		for k := range q {
			q[k] = x * rk[k]
		}
	}
	return x, r
}

// MVAClasses solves a closed network of several user classes at one
// queueing station by exact multi-class Mean Value Analysis over the
// population lattice: class k has n[k] users who think z[k] seconds
// between requests and need d[k] seconds of the station per request.
// The station is processor sharing (any d), or first come first served
// with the same d for every class: the product-form (BCMP) cases. It
// returns each class's throughput (per second) and mean response time
// at the station (seconds). Its work and memory grow with the product of
// (n[k] + 1) over the classes.
func MVAClasses(n []int, z, d []float64) (x, r []float64) {
	k := len(n)
	x, r = make([]float64, k), make([]float64, k)
	// q[i] is the mean number at the station with the population whose
	// mixed-radix index is i (digit k counts class k's users)
	stride := make([]int, k)
	size := 1
	for c := range n {
		stride[c] = size
		size *= n[c] + 1
	}
	q := make([]float64, size)
	pop := make([]int, k)
	for i := 1; i < size; i++ {
		for c := range pop { // the population of index i
			pop[c] = i / stride[c] % (n[c] + 1)
		}
		q[i] = 0
		for c := range pop {
			x[c], r[c] = 0, 0
			if pop[c] == 0 {
				continue
			}
			r[c] = d[c] * (1 + q[i-stride[c]])
			x[c] = float64(pop[c]) / (z[c] + r[c])
			q[i] += x[c] * r[c]
		}
	}
	return x, r
}
