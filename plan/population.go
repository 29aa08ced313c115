package plan

import (
	"fmt"
	"math"

	"scalesim/topology"
)

// Population is one population of a closed workload of several: its
// users and think time, the no-queueing response of its requests, and
// the operational bounds on its throughput.
type Population struct {
	Name    string  `json:"name"`
	Users   int     `json:"users"`
	ThinkMs float64 `json:"think_ms"`
	// ResponseMs is its requests' mean response with no queueing: every
	// demand, I/O wait and hop, R0.
	ResponseMs float64 `json:"response_ms"`
	// BoundRPS is the asymptotic bound on its throughput, the least of
	// N/(R0+Z) and AloneRPS; with other populations sharing the
	// stations it can only be lower.
	BoundRPS float64 `json:"bound_rps"`
	// AloneRPS is the highest throughput it could have with the
	// stations to itself, min over them of usable servers / its demand,
	// and AloneBottleneck the station that sets it.
	AloneRPS        float64 `json:"alone_rps"`
	AloneBottleneck string  `json:"alone_bottleneck"`
}

// populations bounds each population of t alone and returns the
// demands of one request of their mix: each population's requests in
// proportion to its bound. The utilisation law holds class by class
// (U_k = sum over populations of X_c D_ck), so at loads where no
// station saturates the mix is the populations' real one; where one
// would, they share it in a proportion only a multi-class solution
// gives (caveats says so).
func populations(t *topology.Topology, cacheOn bool, hit float64, p *Plan) ([]Population, demands) {
	w := &t.Workload
	out := make([]Population, len(w.Populations))
	ds := make([]demands, len(w.Populations))
	off := 0
	sum := 0.0
	for i, pop := range w.Populations {
		ds[i] = classDemands(t, w.Requests[off:off+pop.Classes], cacheOn, hit, p)
		off += pop.Classes
		q := Population{Name: pop.Name, Users: pop.Users, ThinkMs: pop.Think.MeanSeconds() * 1e3,
			ResponseMs: (ds[i].hold + 2*t.LB.Latency.Seconds()) * 1e3, AloneRPS: math.Inf(1)}
		for _, s := range stations(t, &ds[i]) {
			if s.MaxRPS < q.AloneRPS {
				q.AloneRPS, q.AloneBottleneck = s.MaxRPS, s.Name
			}
		}
		q.BoundRPS = q.AloneRPS
		if r := (q.ResponseMs + q.ThinkMs) / 1e3; r > 0 {
			q.BoundRPS = min(float64(q.Users)/r, q.AloneRPS)
		}
		out[i] = q
		sum += q.BoundRPS
	}
	// the mix is each population's requests in proportion to its bound;
	// a population whose requests take no time at all has no bound, and
	// the mix is of those
	weight := func(i int) float64 { return out[i].BoundRPS / sum }
	if math.IsInf(sum, 1) {
		inf := 0
		for _, q := range out {
			if math.IsInf(q.BoundRPS, 1) {
				inf++
			}
		}
		weight = func(i int) float64 {
			if math.IsInf(out[i].BoundRPS, 1) {
				return 1 / float64(inf)
			}
			return 0
		}
	}
	var mix demands
	for i := range ds {
		if sum > 0 {
			mix.add(&ds[i], weight(i))
		}
	}
	return out, mix
}

// add adds w times o's work to d.
func (d *demands) add(o *demands, w float64) {
	d.cpu += w * o.cpu
	d.primary += w * o.primary
	d.replica += w * o.replica
	d.cache += w * o.cache
	d.offload += w * o.offload
	d.cpuV += w * o.cpuV
	d.dbV += w * o.dbV
	d.cacheV += w * o.cacheV
	d.offV += w * o.offV
	d.hold += w * o.hold
	d.lock += w * o.lock
	d.buys += w * o.buys
}

// populationCaveats say what the plan of several populations can and
// cannot say: each population's bound holds; the stations they share
// may not carry every bound at once, and then how they share it needs a
// multi-class solution.
func populationCaveats(p *Plan) []string {
	sum := 0.0
	for _, q := range p.Populations {
		sum += q.BoundRPS
	}
	out := []string{fmt.Sprintf("%d populations: each one's throughput is at most N/(R0+Z) and its ceiling alone, and a station's utilisation is the sum over them of X·D", len(p.Populations))}
	if sum <= p.MaxRPS {
		return out
	}
	busy := 0.0
	for _, s := range p.Stations {
		if s.Name == p.Bottleneck {
			busy = sum * s.DemandMs / 1e3 / float64(s.Usable)
		}
	}
	return append(out, fmt.Sprintf("at every population's bound %s would be %.0f%% busy: they share it, in a proportion only a multi-class simulation (scalesim run) or multi-class MVA gives. Each population's bound holds; the ceiling and the utilisations are of the mix at the bounds, which the saturated %s changes", p.Bottleneck, 100*busy, p.Bottleneck))
}
