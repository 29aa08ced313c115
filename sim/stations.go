package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"scalesim/theory"
	"scalesim/topology"
)

// QueueStat is one station as queueing theory sees it, measured over the
// window: its arrival rate, its service times and its servers, what
// happened (utilisation, wait, queue), and which queueing model, if any,
// describes its mechanism. The sim measures and names the model; it
// predicts nothing (package theory does, from these figures).
type QueueStat struct {
	// Name is the station: app (the worker slots of the node), cache,
	// offload, a database server (primary, shard2.replica1, ...), or
	// pool:SERVER (the PgBouncer in front of it).
	Name string `json:"name"`
	// Servers is c now; ServersMean its average over the window.
	Servers     int     `json:"servers"`
	ServersMean float64 `json:"servers_mean"`
	// ArrivalRPS counts every arrival, those refused included.
	ArrivalRPS float64 `json:"arrival_rps"`
	// ServiceMs is the mean service time, ServiceCV its coefficient of
	// variation (standard deviation over mean: 1 for exponential);
	// Served how many services they describe.
	ServiceMs float64 `json:"service_ms"`
	ServiceCV float64 `json:"service_cv"`
	Served    uint64  `json:"served"`
	// Utilization is the busy fraction of the servers.
	Utilization float64 `json:"utilization"`
	// WaitMs is the mean wait before service, QueueMean the mean number
	// waiting, InsideMean the mean number waiting or being served, and
	// ResponseMs the mean time inside (InsideMean over the completion
	// rate, Little's law, whatever the discipline).
	WaitMs     float64 `json:"wait_ms"`
	QueueMean  float64 `json:"queue_mean"`
	InsideMean float64 `json:"inside_mean"`
	ResponseMs float64 `json:"response_ms"`
	// Refused is the fraction of arrivals refused for lack of room.
	Refused float64 `json:"refused"`
	// Capacity is the room in all (servers plus waiting room) when it is
	// finite, M/M/c/K's K; 0 when unlimited.
	Capacity int `json:"capacity,omitempty"`
	// SwitchMs is the CPU a core spends switching to the query's backend,
	// per query (the switch cost times the switches per query measured),
	// which the model folds into the service time.
	SwitchMs float64 `json:"switch_ms,omitempty"`
	// Model is the queueing model of the station's mechanism, by its name
	// in package theory: M/M/c, M/M/c/K, M/G/1, M/G/c (approximate:
	// Why then says so), or M/M/c-PS (cores time-sliced among
	// exponential services: the number inside and the response time are
	// M/M/c's, the wait is not defined), or M/G/c-PS (the same for
	// queries several slices long, approximately). Empty when none
	// applies: Why then says why, in plain words.
	Model string `json:"model,omitempty"`
	Why   string `json:"why,omitempty"`
}

// Predict is what q's model predicts from q's measured arrival rate,
// mean service time and its coefficient of variation; an error when q
// has no model. It reads q alone: the simulation is not involved.
func (q QueueStat) Predict() (theory.Figures, error) {
	if q.Model == "" {
		return theory.Figures{}, fmt.Errorf("%s has no queueing model: %s", q.Name, q.Why)
	}
	mean, cv := q.ServiceMs+q.SwitchMs, q.ServiceCV
	if mean > 0 {
		cv *= q.ServiceMs / mean // a switch of constant length adds no variance
	}
	return theory.Predict(q.Model, q.ArrivalRPS, time.Duration(math.Round(mean*1e6)), cv, q.Servers, q.Capacity)
}

// minServed is the fewest services from which the service time's
// distribution is judged.
const minServed = 50

// queueStats describes the stations theory might speak of, over a window
// of span ns: the measured one, or w's.
func (s *Sim) queueStats(span float64, w statWindow) []QueueStat {
	if span <= 0 {
		return nil
	}
	global := s.globalReason()
	var out []QueueStat
	p := s.present()
	out = append(out, s.appQueue(span, global, w))
	if p[serCache] && s.cache.on && w.has(sidCache) {
		st := &s.stations[sidCache]
		q := measure(st.name, w.station(s, sidCache), s.now, span)
		out = append(out, s.judge(q, first(global, s.upstream(q, w)), false))
	}
	if p[serOffload] && w.has(sidOffload) {
		st := &s.stations[sidOffload]
		q := measure(st.name, w.station(s, sidOffload), s.now, span)
		why := first(global, s.upstream(q, w))
		if n := s.topo.Offload.Nodes; why == "" && n > 1 {
			why = fmt.Sprintf("%d offload nodes behind their balancer: each is a queue of its own, not one shared queue", n)
		}
		out = append(out, s.judge(q, why, false))
	}
	if p[serDB] {
		locks := "" // why a primary's queries do not arrive as Poisson's
		switch {
		case s.stock.on && s.stock.strategy == topology.RowLock:
			locks = "a flash sale's row locks hold queries back before the cores"
		case s.stock.on && s.stock.strategy == topology.Redis:
			locks = "a flash sale's orders are written from a queue, not as they arrive"
		}
		for sid := sidDB; sid < len(s.stations); sid++ {
			st := &s.stations[sid]
			d := &st.db
			if !d.active && st.stats.busy == 0 && st.waiting() == 0 || !w.has(sid) {
				continue
			}
			q := measure(st.name, w.station(s, sid), s.now, span)
			ahead := first(global, s.upstream(q, w))
			if d.replica == 0 {
				ahead = first(ahead, locks)
			}
			why := ahead
			if d.pooled && why == "" && d.pool.size <= q.Servers {
				why = fmt.Sprintf("its pooler's connections let at most %s at a time reach its %s: a finite source, not Poisson", plural(d.pool.size, "query"), plural(q.Servers, "core"))
			}
			q = s.judgeDB(q, why, st, w.switched(s, sid))
			out = append(out, q)
			if d.pooled {
				out = append(out, s.poolQueue(st, w.pool(s, sid), span, ahead, q))
			}
		}
	}
	return out
}

// measure reads a station's statistics as a QueueStat, without a model.
func measure(name string, st *stationStats, now int64, span float64) QueueStat {
	c := *st
	queueArea, busyArea, serverArea := c.windowAreas(now)
	q := QueueStat{Name: name, Servers: c.servers, ServersMean: serverArea / span,
		ArrivalRPS: float64(c.arrivals) / span * 1e9, Served: c.served,
		QueueMean: queueArea / span, InsideMean: (queueArea + busyArea) / span}
	if serverArea > 0 {
		q.Utilization = busyArea / serverArea
	}
	q.WaitMs = c.waitMean() / 1e6
	if c.served > 0 {
		m := c.serviceSum / float64(c.served)
		q.ServiceMs = m / 1e6
		if m > 0 {
			q.ServiceCV = math.Sqrt(max(0, c.serviceSq/float64(c.served)/(m*m)-1))
		}
	}
	if c.completions > 0 {
		q.ResponseMs = q.InsideMean / (float64(c.completions) / span) / 1e6
	}
	if c.arrivals > 0 {
		q.Refused = float64(c.dropped) / float64(c.arrivals)
	}
	return q
}

// judge names the model of station q, or why none applies: the first
// of the reasons given (the workload's, the station's own), then what
// the measurement shows. sliced says its cores are time-sliced.
func (s *Sim) judge(q QueueStat, why string, sliced bool) QueueStat {
	switch {
	case q.ArrivalRPS == 0 && q.Served == 0:
		q.Why = "nothing arrived in the window"
		return q
	case why != "":
		q.Why = why
		return q
	case q.Served < minServed:
		q.Why = fmt.Sprintf("too few services in the window (%d) to judge their distribution", q.Served)
		return q
	case math.Abs(q.ServersMean-float64(q.Servers)) > 1e-9*float64(max(q.Servers, 1)):
		q.Why = "its servers changed during the window"
		return q
	}
	exp := exponential(q)
	switch {
	case sliced && exp:
		q.Model = theory.NameMMcPS
	case sliced:
		q.Why = fmt.Sprintf("time-sliced cores: processor sharing, not FCFS, and service time not exponential (cv %.2g)", q.ServiceCV)
	case exp && q.Capacity > 0:
		q.Model = theory.NameMMcK
	case exp:
		q.Model = theory.NameMMc
	case q.Servers == 1 && q.Capacity == 0:
		q.Model = theory.NameMG1
	case q.Capacity > 0:
		q.Why = fmt.Sprintf("service time not exponential (cv %.2g), and a finite backlog drops", q.ServiceCV)
	default:
		q.Model = theory.NameMGc
		q.Why = fmt.Sprintf("service time not exponential (cv %.2g): Allen and Cunneen's approximation", q.ServiceCV)
	}
	return q
}

// exponential reports whether q's service times look exponential: their
// coefficient of variation within 0.05 of 1, or within three standard
// errors (an exponential sample's cv has one of about √(2/n)).
func exponential(q QueueStat) bool {
	tol := max(0.05, 3*math.Sqrt(2/float64(q.Served)))
	return math.Abs(q.ServiceCV-1) <= tol
}

// first returns the first non-empty reason.
func first(why ...string) string {
	for _, w := range why {
		if w != "" {
			return w
		}
	}
	return ""
}

// globalReason is why no station's arrivals are Poisson at a steady
// rate, if that is so.
func (s *Sim) globalReason() string {
	switch {
	case s.topo.Workload.Users > 0:
		return "closed workload: a fixed population of users, not Poisson arrivals"
	case len(s.phases.done) > 0:
		return "the load or the topology changed within the window: not one steady state"
	case s.winCounts.Retries > 0:
		return "client retries: arrivals are not Poisson"
	}
	return ""
}

// upstream is why a shared station's arrivals are not Poisson because
// of the app in front of it: the app's worker slots are a finite
// source. When there are no more of them than the station has servers,
// the station never queues; when they were all taken at times (a mean
// backlog of 0.01 or more, or drops), the app held requests back.
func (s *Sim) upstream(q QueueStat, w statWindow) string {
	slots := s.app.servers
	if slots <= q.Servers {
		return fmt.Sprintf("the app's worker slots let at most %s at a time reach its %s: a finite source, not Poisson", plural(slots, "request"), plural(q.Servers, "server"))
	}
	app, from := w.app(s), s.windowStart
	if w.marks != nil {
		from = w.from
	}
	queueArea, _, _ := app.windowAreas(s.now)
	if app.dropped > 0 || s.now > from && queueArea/float64(s.now-from) >= 0.01 {
		return "the app's worker slots were all taken at times, holding requests back: not Poisson arrivals"
	}
	return ""
}

// appQueue is the app's worker slots as one station: the slots are its
// servers, the backlog its waiting room.
func (s *Sim) appQueue(span float64, global string, w statWindow) QueueStat {
	q := measure("app", w.app(s), s.now, span)
	cfg := &s.appCfg
	if cfg.backlog != topology.Unlimited {
		q.Capacity = q.Servers + cfg.backlog
	}
	nodes := 0
	for _, n := range s.nodes {
		if n.up && !n.draining {
			nodes++
		}
	}
	var others []string // what its requests do besides cpu steps
	for _, prog := range s.classes {
		for _, o := range s.progs[prog].ops {
			if k := stepWord(o.kind); k != "" && !slices.Contains(others, k) {
				others = append(others, k)
			}
		}
	}
	why := global
	switch {
	case why != "":
	case cfg.gevent:
		why = "greenlets share a process: one runs Python at a time"
	case cfg.lock && cfg.slots > 1:
		why = "GIL: threads share one interpreter"
	case nodes != 1:
		why = fmt.Sprintf("%d nodes behind the balancer: not one shared queue", nodes)
	case len(others) > 0:
		why = fmt.Sprintf("a worker holds its request through its %s steps too: its service is more than CPU", strings.Join(others, " and "))
	case cfg.workers*cfg.slots > cfg.cores:
		why = fmt.Sprintf("time-sliced cores: %d workers share %d cores (processor sharing, not FCFS)", cfg.workers*cfg.slots, cfg.cores)
	case cfg.timeout > 0 && s.winCounts.FailedBy.Timeout > 0:
		why = "harakiri kills requests that run too long"
	}
	return s.judge(q, why, false)
}

// poolQueue is the PgBouncer in front of database server st: its server
// connections are its servers, held from the query's start to its
// return. It is a queue of its own only when a connection is held for
// the query's service alone: no network hop, and no more connections
// than the server has cores (else the query may wait for a core while it
// holds one).
func (s *Sim) poolQueue(st *station, c *stationStats, span float64, why string, server QueueStat) QueueStat {
	p := &st.db.pool
	q := measure("pool:"+st.name, c, s.now, span)
	// the pooler records no service times: its holding time is its busy
	// time per transaction; the queries' distribution is the server's
	// and its arrivals are the transactions it took in (none is refused)
	q.ServiceMs, q.ServiceCV, q.Served = 0, server.ServiceCV, server.Served
	_, busyArea, _ := c.windowAreas(s.now)
	q.ArrivalRPS = float64(c.waited()) / span * 1e9
	if c.completions > 0 {
		q.ServiceMs = busyArea / float64(c.completions) / 1e6
	}
	switch {
	case why != "":
	case st.hop > 0:
		why = "it holds a server connection over the network hops too: not the query's service alone"
	case p.size > st.stats.servers:
		why = fmt.Sprintf("%d connections for %d cores: a connection is held while its query waits for a core", p.size, st.stats.servers)
	case s.dbSwitchReason() != "":
		why = s.dbSwitchReason()
	case s.dbSliced():
		why = "its server's cores are time-sliced: a connection is held while its query shares them"
	case !exponential(q):
		why = fmt.Sprintf("the queries' service time is not exponential (cv %.2g)", q.ServiceCV)
	}
	return s.judge(q, why, false)
}

// stepWord names an op that is not Python code on the worker's core, for
// a reason; "" for a cpu step.
func stepWord(k opKind) string {
	switch k {
	case opCPU, opNoGIL:
		return ""
	case opIO:
		return "io"
	case opCacheGet, opCacheSet:
		return "cache"
	case opOffload:
		return "offload"
	}
	return "db"
}

// plural writes n things.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	if strings.HasSuffix(thing, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(thing, "y"))
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
