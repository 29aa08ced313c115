package sim

import (
	"sort"

	"scalesim/topology"
)

// A closed workload's users belong to populations
// (topology.Population), each with its own size, think time and request
// classes; a workload without populations is one population of all its
// users and classes. Users keep their population: a user is numbered
// p<<userBits | i, user i of population p, in the event that wakes it
// and in its logical requests.

// userBits holds a user's place in its population: topology's limit of
// a million users is below 1<<20, and its 64 populations shifted by 20
// fit an int32.
const userBits = 20

// population is one population's users now.
type population struct {
	users  []bool  // whether user i is in its cycle (thinking or waiting)
	errs   []uint8 // user i's errors in a row, while it backs off (userBackoff)
	target int     // users wanted; those beyond leave after their request
	think  sampler
	lo     int32     // its first class
	cumW   []float64 // cumulative shares of its classes
	gone   bool      // a live edit removed it: its users leave
}

func userID(p, i int) int32 { return int32(p<<userBits | i) }

func userOf(u int32) (p, i int) { return int(u >> userBits), int(u & (1<<userBits - 1)) }

// configurePopulations follows w's populations: their think times and
// classes now, their sizes when the load is set (setUsers).
func (s *Sim) configurePopulations(w *topology.Workload) {
	n := max(len(w.Populations), 1)
	for len(s.pops) < n {
		s.pops = append(s.pops, population{})
	}
	for p := range s.pops {
		pop := &s.pops[p]
		if p >= n {
			pop.gone, pop.target = true, 0
			continue
		}
		think, lo, hi := w.Think, 0, len(w.Requests)
		if len(w.Populations) > 0 {
			think = w.Populations[p].Think
			lo, hi = w.ClassRange(p)
		}
		pop.gone = false
		pop.think = newSampler(think, 1, s.thinkRN)
		pop.lo = int32(lo)
		pop.cumW = pop.cumW[:0]
		total := 0.0
		for ci := lo; ci < hi; ci++ {
			total += w.Requests[ci].Share
			pop.cumW = append(pop.cumW, total)
		}
	}
}

// pick draws the class of request serial sent by one of pop's users.
func (s *Sim) pick(pop *population, serial uint64) int32 {
	if len(pop.cumW) == 1 {
		return pop.lo
	}
	x := s.classRN.at(serial, 0).Float64() * pop.cumW[len(pop.cumW)-1]
	return pop.lo + int32(sort.SearchFloat64s(pop.cumW, x))
}

// setUsers makes the closed workload n users, or with populations each
// population its own size: those missing start thinking now; those
// beyond leave after their current request.
func (s *Sim) setUsers(n int) {
	w := &s.topo.Workload
	for p := range s.pops {
		target := 0
		switch {
		case len(w.Populations) == 0 && p == 0:
			target = n
		case p < len(w.Populations) && n > 0:
			target = w.Populations[p].Users
		}
		s.setPopulation(p, target)
	}
}

// setPopulation makes population p n users.
func (s *Sim) setPopulation(p, n int) {
	pop := &s.pops[p]
	pop.target = n
	for len(pop.users) < n {
		pop.users = append(pop.users, false)
		pop.errs = append(pop.errs, 0)
	}
	for i := 0; i < n; i++ {
		if !pop.users[i] {
			pop.users[i] = true
			pop.errs[i] = 0 // a user who left during a run of errors comes back as a new one
			s.schedule(event{t: s.in(pop.think.sample(s.load.starts, occFirstThink)), kind: evUserSend, id: userID(p, i)})
			s.load.starts++
		}
	}
}

// PopulationSummary is one population in the measured window: its
// users, their think time, and the completions and latency of its
// classes together.
type PopulationSummary struct {
	Name          string  `json:"name"`
	Users         int     `json:"users"`
	ThinkMs       float64 `json:"think_ms_mean"`
	Completed     uint64  `json:"completed"`
	ThroughputRPS float64 `json:"throughput_rps"`
	LatencyMs     Latency `json:"latency_ms"`
}

// populationSummaries describes the populations of the workload in
// force, from their classes' histograms (nil without populations).
func (s *Sim) populationSummaries(span float64) []PopulationSummary {
	w := &s.topo.Workload
	if len(w.Populations) == 0 {
		return nil
	}
	out := make([]PopulationSummary, 0, len(w.Populations))
	var h Histogram
	for p, pop := range w.Populations {
		h.Reset()
		lo, hi := w.ClassRange(p)
		for ci := lo; ci < hi && ci < len(s.classLat.lat); ci++ {
			c := s.classLat.of(ci, s.latency.window())
			h.merge(c.a)
			h.merge(c.b)
		}
		ps := PopulationSummary{Name: pop.Name, Users: pop.Users, ThinkMs: pop.Think.MeanSeconds() * 1e3, Completed: h.Count(), LatencyMs: latencyOf(histSum{&h, &noValues})}
		if span > 0 {
			ps.ThroughputRPS = float64(h.Count()) / span * 1e9
		}
		out = append(out, ps)
	}
	return out
}
