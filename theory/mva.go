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
