// Package plan answers capacity questions about a topology instantly,
// without simulating it: from the operational laws (the utilisation law
// U = X·D, the bottleneck law X ≤ c/D_max, Little's law) it finds each
// station's demand per request, its utilisation at the file's load, the
// bottleneck, the highest throughput the topology can carry, and which
// single change lifts that ceiling most.
//
// It exists beside the simulator because the two answer different
// questions: the plan is exact only for product-form networks and says
// nothing about tails, while the simulation runs the real mechanism (the
// GIL, locks, retries, an LRU cache) and is slower. The plan names where
// it and a simulation will disagree. It knows topology files and nothing
// of the simulator or the terminal.
package plan

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"scalesim/topology"
)

// Station is one service centre of the topology, as the simulation's
// summary names it: app (worker slots), cpu (cores), db (every database
// server, primaries then replicas), cache, offload; lock (the row
// locks of a flash sale's items), which the summary gives in its stock;
// and gil (each threads worker's GIL), when nogil steps run beside it.
type Station struct {
	Name string `json:"name"`
	// Servers are the station's servers as the simulation counts them
	// for its utilisation: worker slots, cores, database cores.
	Servers int `json:"servers"`
	// Usable are the servers that can work at once: fewer than Servers
	// when a lock caps them (with a GIL, a node's cores that its worker
	// processes can keep busy); Servers otherwise.
	Usable int `json:"usable"`
	// Visits is the mean number of visits per request; DemandMs is the
	// mean total service per request (visits × service time), in ms.
	Visits   float64 `json:"visits"`
	DemandMs float64 `json:"demand_ms"`
	// Utilization is X·D/Servers at the file's load.
	Utilization float64 `json:"utilization"`
	// MaxRPS is the throughput at which the station saturates, Usable/D.
	MaxRPS float64 `json:"max_rps"`
	// Bound is how MaxRPS is known: "demand" (the operational laws,
	// exact for the station) or "holding" (worker slots and row locks
	// are held for a request's whole residence, or a transaction's,
	// measured at low load: an upper bound, since residence grows with
	// the queues inside).
	Bound string `json:"bound"`
}

// Lift is one change and the ceiling it gives.
type Lift struct {
	Change     string  `json:"change"` // as topology.Change.String writes it
	MaxRPS     float64 `json:"max_rps"`
	Bottleneck string  `json:"bottleneck"` // the station that binds after it
}

// Plan is the analysis of one topology.
type Plan struct {
	Name string `json:"name"`
	// RateRPS is the file's offered load: its rate, or for a closed
	// workload the throughput bound min(N/(R0+Z), MaxRPS).
	RateRPS float64 `json:"rate_rps"`
	Closed  bool    `json:"closed"`
	Users   int     `json:"users,omitempty"`
	// HitRatio is the cache's hit ratio the plan assumes (0 without a
	// cache step).
	HitRatio float64   `json:"hit_ratio,omitempty"`
	Stations []Station `json:"stations"`
	// Bottleneck is the station with the lowest MaxRPS.
	Bottleneck string  `json:"bottleneck"`
	MaxRPS     float64 `json:"max_rps"`
	// ResponseMs is the response time with no queueing: every demand,
	// I/O wait and network hop of a request, in ms.
	ResponseMs float64 `json:"response_ms"`
	Lifts      []Lift  `json:"lifts"`
	// Needs are, when the load is beyond the ceiling, the smallest value
	// of each field that alone would carry it (a ceiling above the
	// load); a field that cannot is left out.
	Needs []Lift `json:"needs,omitempty"`
	// Caveats are where a simulation will disagree with the plan.
	Caveats []string `json:"caveats"`
	// Populations are a closed workload's populations, when it has
	// several (then Users is their total, and the stations' demands are
	// of the mix of their requests at their throughputs).
	Populations []Population `json:"populations,omitempty"`
}

// demands accumulates one request's expected work.
type demands struct {
	cpu, primary, replica, cache, offload float64 // seconds of service
	cpuV, dbV, cacheV, offV               float64 // visits
	nogil, nogilV                         float64 // of cpu and cpuV: the nogil steps', which need a core but not the GIL
	hold                                  float64 // seconds a worker slot is held
	lock                                  float64 // seconds an item's row lock is held
	buys                                  float64
}

// Analyse plans t, which must be valid.
func Analyse(t *topology.Topology) (*Plan, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	p := analyse(t)
	p.Lifts = lifts(t, p)
	if p.RateRPS >= p.MaxRPS && !p.Closed {
		p.Needs = needs(t, p)
	}
	return p, nil
}

func analyse(t *topology.Topology) *Plan {
	p := &Plan{Name: t.Name}
	hit := 0.0
	cacheOn := t.Cache != nil && !t.Cache.Disabled
	if cacheOn {
		hit = hitRatio(t.Cache)
	}
	d := classDemands(t, t.Workload.Requests, cacheOn, hit, p)
	pops := len(t.Workload.Populations) > 0
	if pops {
		// the stations see the mix of the populations' requests at their
		// throughputs, each bounded alone (population.go)
		p.Populations, d = populations(t, cacheOn, hit, p)
	}
	p.Stations = stations(t, &d)
	p.MaxRPS = math.Inf(1)
	for _, s := range p.Stations {
		if s.MaxRPS < p.MaxRPS {
			p.MaxRPS, p.Bottleneck = s.MaxRPS, s.Name
		}
	}
	p.ResponseMs = (d.hold + 2*t.LB.Latency.Seconds()) * 1e3
	switch {
	case pops:
		p.Closed, p.Users = true, t.Workload.Users
		sum := 0.0
		for _, q := range p.Populations {
			sum += q.BoundRPS
		}
		p.RateRPS = min(sum, p.MaxRPS)
	case t.Workload.Users > 0:
		p.Closed, p.Users = true, t.Workload.Users
		z := t.Workload.Think.MeanSeconds()
		p.RateRPS = min(float64(p.Users)/(p.ResponseMs/1e3+z), p.MaxRPS)
	default:
		p.RateRPS = t.Workload.Rate
	}
	for i := range p.Stations {
		s := &p.Stations[i]
		if s.DemandMs > 0 {
			s.Utilization = p.RateRPS * s.DemandMs / 1e3 / float64(s.Servers)
		}
	}
	p.Caveats = caveats(t, p, &d)
	return p
}

// classDemands is the work of one request of classes, each drawn by its
// share; it notes the cache's hit ratio in p when a class uses it.
func classDemands(t *topology.Topology, classes []topology.RequestClass, cacheOn bool, hit float64, p *Plan) demands {
	var d demands
	total := 0.0
	for _, c := range classes {
		total += c.Share
	}
	for _, c := range classes {
		w := 1.0
		if total > 0 {
			w = c.Share / total
		}
		d.steps(t, c.Steps, w, cacheOn, hit)
		if usesCache(c.Steps) && cacheOn {
			p.HitRatio = hit
		}
	}
	return d
}

// stations are the service centres of t for requests of demands d.
func stations(t *topology.Topology, d *demands) []Station {
	var out []Station
	a := t.App
	slots := a.Workers * a.Concurrency
	if a.Model == topology.Sync {
		slots = a.Workers
	}
	// threads able to run Python at once, per node
	runners := a.Workers
	if a.Model == topology.Threads && !a.GIL {
		runners = a.Workers * a.Concurrency
	}
	add := func(name string, servers, usable int, visits, demand float64, bound string) {
		if demand <= 0 && name != "app" {
			return
		}
		out = append(out, Station{Name: name, Servers: servers, Usable: usable,
			Visits: visits, DemandMs: demand * 1e3, MaxRPS: float64(usable) / demand, Bound: bound})
	}
	add("app", a.Nodes*slots, a.Nodes*slots, 1, d.hold, "holding")
	if a.Model == topology.Threads && a.GIL && d.nogil > 0 {
		// C code outside the GIL runs on any core beside the thread
		// that holds it: the cores bound all of the CPU, each worker's
		// GIL the Python part
		add("cpu", a.Nodes*a.Cores, a.Nodes*min(a.Cores, slots), d.cpuV, d.cpu, "demand")
		add("gil", a.Nodes*a.Workers, a.Nodes*a.Workers, d.cpuV-d.nogilV, d.cpu-d.nogil, "demand")
	} else {
		add("cpu", a.Nodes*a.Cores, a.Nodes*min(a.Cores, runners), d.cpuV, d.cpu, "demand")
	}
	shards := max(t.DB.Shards, 1)
	dbServers := shards * (1 + t.DB.Replicas) * t.DB.Cores
	if d.primary+d.replica > 0 {
		// primaries and replicas are separate servers: the db station
		// saturates when the first of the two groups does
		maxP, maxR := math.Inf(1), math.Inf(1)
		if d.primary > 0 {
			maxP = float64(shards*t.DB.Cores) / d.primary
		}
		if d.replica > 0 {
			maxR = float64(shards*t.DB.Replicas*t.DB.Cores) / d.replica
		}
		m := min(maxP, maxR)
		out = append(out, Station{Name: "db", Servers: dbServers, Usable: dbServers,
			Visits: d.dbV, DemandMs: (d.primary + d.replica) * 1e3, MaxRPS: m, Bound: "demand"})
	}
	if t.Cache != nil {
		add("cache", 1, 1, d.cacheV, d.cache, "demand")
	}
	if d.lock > 0 {
		// each item's row lock is a server, held for the whole
		// read-think-write: buyers spread over the items uniformly
		add("lock", t.Stock.Items, t.Stock.Items, d.buys, d.lock, "holding")
	}
	if t.Offload != nil {
		n := t.Offload.Nodes * t.Offload.Cores
		add("offload", n, n, d.offV, d.offload, "demand")
	}
	return out
}

// steps adds the work of steps, each run with probability w.
func (d *demands) steps(t *topology.Topology, steps []topology.Step, w float64, cacheOn bool, hit float64) {
	db := t.DB
	// a query's backend is switched onto a core before it runs: the
	// switch is CPU time of the database server's
	sw := db.CPU.SwitchCost.Seconds()
	for _, st := range steps {
		m := st.Dist.MeanSeconds()
		switch st.Kind {
		case topology.StepCPU, topology.StepNoGIL:
			d.cpu += w * m / t.App.Speed
			d.cpuV += w
			d.hold += w * m / t.App.Speed
			if st.Kind == topology.StepNoGIL {
				d.nogil += w * m / t.App.Speed
				d.nogilV += w
			}
		case topology.StepIO:
			d.hold += w * m
		case topology.StepDB, topology.StepWrite:
			d.primary += w * (m + sw)
			d.dbV += w
			d.hold += w * (m + sw + 2*db.Latency.Seconds())
		case topology.StepRead:
			if db.Replicas > 0 {
				d.replica += w * (m + sw)
			} else {
				d.primary += w * (m + sw)
			}
			d.dbV += w
			d.hold += w * (m + sw + 2*db.Latency.Seconds())
		case topology.StepOffload:
			if t.Offload == nil {
				continue
			}
			s := m / t.Offload.Speed
			d.offload += w * s
			d.offV += w
			d.hold += w * (s + 2*t.Offload.Latency.Seconds())
		case topology.StepCache:
			if !cacheOn {
				d.steps(t, st.Miss, w, cacheOn, hit)
				continue
			}
			c := t.Cache
			op := c.Latency.MeanSeconds()
			hop := op + 2*c.NetLatency.Seconds()
			ops := w * (1 + (1 - hit)) // a get; a set after each miss
			d.cache += ops * op
			d.cacheV += ops
			d.hold += ops * hop
			d.steps(t, st.Miss, w*(1-hit), cacheOn, hit)
		case topology.StepBuy:
			d.buys += w
			d.cpu += w * m / t.App.Speed
			d.cpuV += w
			d.hold += w * m / t.App.Speed
			if t.Stock == nil {
				continue
			}
			q := t.Stock.Query.MeanSeconds() + sw
			n := 2.0 // a read and a write back
			switch t.Stock.Strategy {
			case topology.Atomic:
				n = 1
			case topology.Redis:
				// a counter decrement in Redis; the order is written later
				// by a consumer, outside the request
				if t.Cache != nil {
					op := t.Cache.Latency.MeanSeconds()
					d.cache += w * op
					d.cacheV += w
					d.hold += w * (op + 2*t.Cache.NetLatency.Seconds())
				}
				d.primary += w * q
				d.dbV += w
				continue
			}
			d.primary += w * n * q
			d.dbV += w * n
			d.hold += w * n * (q + 2*db.Latency.Seconds())
			if t.Stock.Strategy == topology.RowLock {
				// the row is locked from the read to the write's commit
				d.lock += w * (n*(q+2*db.Latency.Seconds()) + m/t.App.Speed)
			}
		}
	}
}

func usesCache(steps []topology.Step) bool {
	for _, s := range steps {
		if s.Kind == topology.StepCache {
			return true
		}
	}
	return false
}

// hitRatio is the cache's fixed hit ratio, or for a key space Che's
// approximation of an LRU cache under independent Zipf requests: the
// characteristic time T solves Σ(1-e^{-p_i T}) = capacity, and a key
// of popularity p_i hits with probability 1-e^{-p_i T}.
func hitRatio(c *topology.Cache) float64 {
	k := c.Keys
	if k == nil {
		return c.HitRatio
	}
	if k.Capacity >= k.Count {
		return 1
	}
	p := make([]float64, k.Count)
	sum := 0.0
	for i := range p {
		p[i] = math.Pow(float64(i+1), -k.Zipf)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	filled := func(T float64) float64 {
		s := 0.0
		for _, pi := range p {
			s += -math.Expm1(-pi * T)
		}
		return s
	}
	lo, hi := 0.0, 1.0
	for filled(hi) < float64(k.Capacity) {
		hi *= 2
	}
	for range 100 {
		mid := (lo + hi) / 2
		if filled(mid) < float64(k.Capacity) {
			lo = mid
		} else {
			hi = mid
		}
	}
	h := 0.0
	for _, pi := range p {
		h += pi * -math.Expm1(-pi*hi)
	}
	return h
}

// lifts tries, one at a time, the changes that add capacity to a
// station, and returns them by the ceiling they give, highest first.
func lifts(t *topology.Topology, p *Plan) []Lift {
	a := t.App
	type cand struct{ path, value string }
	cands := []cand{
		{"app.nodes", strconv.Itoa(a.Nodes + 1)},
		{"app.workers", strconv.Itoa(a.Workers * 2)},
		{"app.cores", strconv.Itoa(a.Cores * 2)},
	}
	if a.Model != topology.Sync {
		cands = append(cands, cand{"app.concurrency", strconv.Itoa(a.Concurrency * 2)})
	}
	for _, s := range p.Stations {
		switch s.Name {
		case "db":
			cands = append(cands, cand{"db.cores", strconv.Itoa(t.DB.Cores * 2)},
				cand{"db.replicas", strconv.Itoa(t.DB.Replicas + 1)})
			if t.DB.Rows > 0 || t.DB.Shards > 1 {
				cands = append(cands, cand{"db.shards", strconv.Itoa(max(t.DB.Shards, 1) + 1)})
			}
		case "offload":
			cands = append(cands, cand{"offload.nodes", strconv.Itoa(t.Offload.Nodes + 1)})
		}
	}
	var out []Lift
	for _, c := range cands {
		ch := topology.Change{Action: topology.ActSet, Path: c.path, Value: c.value}
		nt, err := t.With(ch)
		if err != nil {
			continue // refused: over the node's memory, beyond a limit
		}
		q := analyse(nt)
		if q.MaxRPS > p.MaxRPS*(1+1e-9) {
			out = append(out, Lift{Change: ch.String(), MaxRPS: q.MaxRPS, Bottleneck: q.Bottleneck})
		}
	}
	slices.SortStableFunc(out, func(x, y Lift) int {
		switch {
		case x.MaxRPS > y.MaxRPS:
			return -1
		case x.MaxRPS < y.MaxRPS:
			return 1
		}
		return 0
	})
	return out
}

// needs finds, for each whole-number field that adds capacity, the
// smallest value whose ceiling is above the load, by doubling and then
// bisecting on the plan (the ceiling only grows with these fields).
func needs(t *topology.Topology, p *Plan) []Lift {
	var out []Lift
	for _, l := range lifts(t, p) {
		path, _, _ := strings.Cut(l.Change, " = ")
		cur, err := t.Get(path)
		if err != nil {
			continue
		}
		c, err := strconv.Atoi(cur)
		if err != nil {
			continue
		}
		at := func(v int) (*Plan, bool) {
			nt, err := t.With(topology.Change{Action: topology.ActSet, Path: path, Value: strconv.Itoa(v)})
			if err != nil {
				return nil, false
			}
			return analyse(nt), true
		}
		lo, hi := c, max(c, 1)*2
		var best *Plan
		for {
			q, ok := at(hi)
			if !ok || hi > 1<<20 {
				break
			}
			if q.MaxRPS > p.RateRPS {
				best = q
				break
			}
			lo, hi = hi, hi*2
		}
		if best == nil {
			continue
		}
		for lo+1 < hi {
			mid := (lo + hi) / 2
			if q, ok := at(mid); ok && q.MaxRPS > p.RateRPS {
				hi, best = mid, q
			} else {
				lo = mid
			}
		}
		ch := topology.Change{Action: topology.ActSet, Path: path, Value: strconv.Itoa(hi)}
		out = append(out, Lift{Change: ch.String(), MaxRPS: best.MaxRPS, Bottleneck: best.Bottleneck})
	}
	return out
}

// caveats say where a simulation of t will not follow the plan.
func caveats(t *topology.Topology, p *Plan, d *demands) []string {
	var out []string
	a := t.App
	say := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if p.RateRPS > p.MaxRPS {
		say("the load (%.0f/s) is beyond the ceiling (%.0f/s): queues grow until the backlog drops or the client gives up", p.RateRPS, p.MaxRPS)
	}
	if a.Model == topology.Threads && a.GIL && a.Concurrency > 1 {
		say("the GIL: threads of one worker take turns every %s; a thread back from I/O waits for it, so latency exceeds the plan's under CPU load", topology.FormatDuration(a.SwitchInterval))
	}
	if a.Model == topology.Gevent && d.cpu > 0 {
		say("gevent: a greenlet runs its CPU to the end before another runs, so latency exceeds the plan's under CPU load")
	}
	if d.buys > 0 && t.Stock != nil {
		switch t.Stock.Strategy {
		case topology.RowLock:
			say("row locks: the lock station's holding time is the read-think-write at low load; it grows with the queues for cores and the database, so the real ceiling is lower")
		case topology.Optimistic:
			say("optimistic stock: conflicts retry, adding queries the plan does not count")
		case topology.Naive:
			say("naive stock: lost updates oversell; the plan counts queries, not correctness")
		}
	}
	for _, c := range t.Workload.Requests {
		if c.Client != nil {
			say("clients: timeouts and retries add attempts the plan does not count once latency grows")
			break
		}
	}
	if t.Cache != nil && t.Cache.Keys != nil {
		say("the cache's hit ratio %.3f is Che's approximation of a warm LRU; the simulation starts cold%s", p.HitRatio,
			map[bool]string{true: " and expires keys (ttl)", false: ""}[t.Cache.Keys.TTL > 0])
	}
	if t.DB.MaxConnections > 0 || t.DB.Pool != nil {
		say("database connections: a limit or a pooler refuses or queues connections, which the plan does not count")
	}
	if t.Autoscale != nil || t.Failures != nil || len(t.Events) > 0 {
		say("the plan is of the file as written: autoscaling, failures and the timeline change it while it runs")
	}
	if p.Bottleneck == "app" {
		say("worker slots bind: they are held for a request's whole residence, which grows with queues inside, so the real ceiling is lower than %.0f/s", p.MaxRPS)
	}
	switch {
	case len(p.Populations) > 0:
		out = append(out, populationCaveats(p)...)
	case p.Closed && !math.IsInf(p.RateRPS, 1):
		say("closed workload: its throughput %.1f/s is the bound min(N/(R0+Z), ceiling)", p.RateRPS)
	}
	say("latency percentiles need the simulation: the plan gives means and ceilings")
	return out
}
