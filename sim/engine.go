package sim

import (
	"fmt"
	"math"
	"time"

	"scalesim/topology"
)

// Options are the run's settings that are not part of the topology.
type Options struct {
	// Seed overrides the topology's seed when non-zero.
	Seed uint64
	// Warmup is the simulated time whose statistics are discarded.
	Warmup time.Duration
	// SeriesLen is how many simulated seconds the time series keep
	// (default 120).
	SeriesLen int
	// MaxInFlight caps the requests in the system at once (default
	// DefaultMaxInFlight); arrivals beyond it are dropped. It is what
	// bounds memory when queues are unlimited and the system overloaded.
	MaxInFlight int
	// OnSecond, if set, is called with each simulated second as it
	// closes, from inside Advance: a reader of the whole run's series
	// that the simulation does not keep. It must not change the Sim.
	OnSecond func(Second)
	// WindowOn, if set, is a change Source whose scheduled changes
	// start a new measured window when they apply, as a key does on the
	// dashboard: a dashboard replay's recorded keys (Source "replay")
	// then show the numbers the rehearsal showed. Headless runs leave it
	// empty: their window is the run after its warm-up.
	WindowOn string
}

// DefaultMaxInFlight is the default cap on requests in the system at once:
// with the request records, free list and queue entries, about 300 MB at
// the peak of an overloaded run.
const DefaultMaxInFlight = 500_000

// Sim is one simulation of one topology. It is not safe for concurrent
// use: one goroutine drives it with Advance and reads it with Summary and
// Snapshot.
type Sim struct {
	topo *topology.Topology
	opt  Options
	seed uint64

	now    int64
	seq    uint64
	events uint64
	heap   eventQueue

	reqs []request
	free []int32
	live int

	progs   []program
	buys    bool      // a program has a buy step (programs are never dropped)
	classes []int32   // current program of each class
	cumW    []float64 // cumulative class weights
	classRN *stream

	// workload
	load       load // the workload's rate or users over time (load.go)
	arrivalGen uint32
	arrivalRN  *stream
	gaps       uint64       // arrival gaps drawn
	pops       []population // closed workload: its users (populations.go)
	thinkRN    *stream
	backoffRN  *stream // a user's wait after an error (userbackoff.go)

	// app tier
	nodes    []*node
	eligible []int32  // nodes the LB may pick
	conns    connTree // the eligible nodes by requests in flight, for least_conn
	// nodeScratch holds the ids nodeRequests returns
	nodeScratch []int32
	rr          int
	lbRN        *stream
	app         stationStats // worker slots of all nodes; queue = backlogs
	cpu         stationStats // cores of all nodes; queue = waiting for GIL or core
	appCfg      workerCfg
	carry       carry  // a core whose thread goes on within this event
	coreSeq     uint32 // numbers the states of every core

	stations []station // cache, offload, then database servers
	db       dbCluster
	offload  offloadService
	cache    cacheModel
	stock    stockModel

	// outcomes over the whole run (never reset); run holds the drops and
	// failures by cause
	arrived, completed uint64
	run                Counts
	timeouts           uint64
	tq                 []timeoutQueue // pending harakiri deadlines
	cl                 clients        // logical requests, client timeouts and retries
	recent             recentMarks    // each second's marks of the theory's stations (recent.go)
	// measured window
	windowStart int64
	latency     latencies  // of the window, its phase and the second
	life        lifetime   // the whole run's counts, for exporters
	classLat    classStats // the window's latencies by class
	winCounts   Counts

	series series
	log    eventLog
	ops    ops
	tl     timeline // changes: scheduled, applied, their effects
	phases phases   // the measured window cut at the timeline's times

	// visits counts worker entries visited by the loops that build and
	// rebuild nodes, so that a test can check that set-up is linear.
	visits uint64
	// testDemand, set only by tests, sees every CPU demand drawn: the
	// request's serial, its step and the demand in ns.
	testDemand func(serial uint64, pc int32, ns int64)
	// testArrival, set only by tests, sees the time of every open arrival.
	testArrival func(at int64)
}

// New builds a simulation of t at time 0. t must be valid (Validate).
func New(t *topology.Topology, opt Options) (*Sim, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if opt.SeriesLen <= 0 {
		opt.SeriesLen = 120
	}
	if opt.MaxInFlight <= 0 {
		opt.MaxInFlight = DefaultMaxInFlight
	}
	s := &Sim{topo: t.Clone(), opt: opt, seed: t.Seed}
	s.heap.init()
	if opt.Seed != 0 {
		s.seed = opt.Seed
	}
	s.classRN = s.newStream("class")
	s.arrivalRN = s.newStream("arrivals")
	s.lbRN = s.newStream("lb")
	s.thinkRN = s.newStream("think")
	s.backoffRN = s.newStream("user/backoff")
	s.stations = make([]station, sidDB, sidDB+maxDBServers)
	s.stations[sidCache].name = "cache"
	s.stations[sidOffload].name = "offload"
	s.db.rowRN = s.newStream("db/row")
	s.db.shardRN = s.newStream("db/shard")
	s.db.replicaRN = s.newStream("db/replica")
	s.cache.init(s.seed)
	s.stock.init(s.seed)
	s.cl.init(s.seed)
	s.series.init(opt.SeriesLen)
	for _, st := range s.seriesStations() {
		st.waits = new(Histogram)
	}
	s.log.init(64)
	s.tl.init()
	s.configure(s.topo, true)
	s.schedule(event{t: int64(time.Second), kind: evTick})
	s.scheduleTimeline(s.topo.Events)
	if opt.Warmup > 0 {
		s.schedule(event{t: int64(opt.Warmup), kind: evWarmupEnd})
	}
	return s, nil
}

// Topology returns a copy of the topology the simulation runs now.
func (s *Sim) Topology() *topology.Topology { return s.topo.Clone() }

// Now is the simulated time.
func (s *Sim) Now() time.Duration { return time.Duration(s.now) }

// Events is the number of events processed so far.
func (s *Sim) Events() uint64 { return s.events }

// Seed is the seed of the run.
func (s *Sim) Seed() uint64 { return s.seed }

// never is a time the clock never reaches: an event due then (a wait
// longer than the clock can count from now) is not scheduled at all.
const never = math.MaxInt64

// later returns now + d, saturating at never; d is never negative.
func later(now, d int64) int64 {
	if d >= never-now {
		return never
	}
	return now + max(d, 0)
}

// in returns the time d ns from now, saturating at never.
func (s *Sim) in(d int64) int64 { return later(s.now, d) }

// schedule puts e on the heap, unless it is due never.
func (s *Sim) schedule(e event) {
	if e.t >= never {
		return
	}
	e.seq = s.seq
	s.seq++
	s.heap.push(e)
}

// after schedules an event of kind for request id, d ns from now.
func (s *Sim) after(d int64, kind evKind, id int32) {
	s.schedule(event{t: s.in(d), kind: kind, id: id, gen: s.reqs[id].gen})
}

// Advance runs every event up to and including simulated time until, then
// sets the clock to until. A caller may run a simulation in slices: the
// run is the same however it is sliced.
func (s *Sim) Advance(until time.Duration) {
	s.AdvanceBudget(until, math.MaxUint64)
}

// AdvanceBudget is Advance that runs at most maxEvents events, so that
// one call's work is bounded whatever the load. It reports whether it
// reached until; if not, the clock stands at the last event run, and a
// later call carries on exactly where this one stopped.
func (s *Sim) AdvanceBudget(until time.Duration, maxEvents uint64) bool {
	end := int64(until)
	last := min(end, never-1) // no event is due never
	var e event
	for n := uint64(0); ; n++ {
		if n == maxEvents {
			if s.heap.due(end) {
				return false
			}
			break
		}
		if !s.heap.popUntil(last, &e) {
			break
		}
		s.now = e.t
		s.events++
		s.dispatch(&e)
	}
	if end > s.now {
		s.now = end
	}
	return true
}

func (s *Sim) dispatch(e *event) {
	switch e.kind {
	case evArrival:
		s.onArrival(e)
	case evUserSend:
		s.send(e.id)
	case evStationDone:
		s.onStationDone(e)
	case evTimeout:
		s.onTimeouts(int(e.sid))
	case evTick:
		s.onTick()
	case evWarmupEnd:
		s.ResetStats()
	case evRetry:
		s.onRetry(e)
	case evClientTimeout:
		s.onClientTimeouts(int(e.sid))
	case evOps:
		s.onOps(e)
	case evChange:
		s.onChange(e.id)
	case evCPUDone:
		s.onCPUDone(e)
	case evCoreFree:
		s.onCoreFree(e)
	case evRespawn:
		s.onRespawn(e)
	case evLoad:
		s.onLoad(e)
	case evStage:
		s.onStage(e)
	case evDBCore:
		s.onDBCore(e)
	case evOffloadDone:
		s.onOffloadDone(e)
	default:
		r := &s.reqs[e.id]
		if r.gen != e.gen || r.state == stFree {
			return // stale: the request was killed or recycled
		}
		switch e.kind {
		case evGILTimer:
			s.onGILTimer(e)
		case evIODone:
			r.pc++
			s.goOnFromWait(e.id)
		case evHop:
			s.onHop(e.id)
		default:
			panic(fmt.Sprintf("sim: unknown event kind %d", e.kind))
		}
	}
}

// ResetStats starts a new measured window now: counters, integrals and
// histograms restart; the state of the system is kept.
func (s *Sim) ResetStats() {
	s.windowStart = s.now
	s.app.reset(s.now)
	s.cpu.reset(s.now)
	for i := range s.stations {
		st := &s.stations[i]
		st.stats.reset(s.now)
		st.db.pool.stats.reset(s.now)
		st.db.refused, st.db.reads, st.db.behind = 0, 0, 0
		st.db.switched = st.db.cs.switches
	}
	s.db.agg.reset(s.now)
	s.db.pool.reset(s.now)
	s.db.refused = 0
	s.stock.resetStats(s.now)
	s.latency.newWindow()
	s.phases.restart(s.now)
	s.classLat.reset()
	s.winCounts = Counts{}
	s.cache.resetStats()
}
