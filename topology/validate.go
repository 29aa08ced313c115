package topology

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits that keep a topology within what the simulator can run on an
// ordinary machine, in memory and in time (and what makes sense to
// simulate at all). The engine runs one to four million events per
// second; its state grows with worker processes, users, cache entries,
// rows and stock items, not with slots or counts. At every limit at
// once a run holds about 1.5 GB; see the README's table of limits.
const (
	// each app node is a few hundred bytes; the load balancer's
	// least_conn compares every node for each request
	maxNodes = 1000
	// cores, like DB cores, offload cores and slots, are counts with no
	// state of their own
	maxCores   = 1024
	maxWorkers = 10_000 // per node
	// maxProcesses caps worker processes over all nodes: each is about
	// 200 bytes of state and ~0.3µs of set-up, so a million is 0.2 GB
	// and a fraction of a second (ten million took 2 GB and 9 s)
	maxProcesses   = 1_000_000
	maxConcurrency = 100_000    // threads or greenlets per worker: a count
	maxSlots       = 10_000_000 // nodes × workers × concurrency
	// each user is one pending event; a million users thinking 1s
	// already send a million requests per second
	maxUsers = 1_000_000
	// every arrival is an event: ten million per simulated second is a
	// few seconds of wall time per simulated second
	maxRate = 10_000_000
	// a backlog holds at most the requests in flight, which
	// sim.DefaultMaxInFlight caps, whatever its limit
	maxBacklog = 100_000_000
	// keys are drawn in constant memory; the index of cached keys is a
	// dense array up to 16M keys, a map of at most capacity beyond
	maxKeys     = 100_000_000
	maxCapacity = 10_000_000 // cached keys, ~40 bytes each
	// steps are compiled once per class; their count bounds the
	// programs' memory and the work of a live edit
	maxStepsPerClass  = 1000 // counting cache miss steps
	maxTotalSteps     = 100_000
	maxClasses        = 1000
	minSwitchInterval = time.Microsecond // a GIL slice per switch interval is an event
	maxReplicas       = 64
	maxShards         = 64
	maxRows           = 10_000_000 // 8 bytes of state each
	// a request records the servers it holds connections to in a 64-bit
	// mask
	maxDBServers     = 64 // shards × (1 + replicas)
	maxDBConnections = 1_000_000
	maxItems         = 1_000_000     // stock items, ~64 bytes of state each
	maxQuantity      = 1_000_000_000 // a count
	maxRetries       = 100
	maxConsumers     = 10_000 // a count of order writers
)

// Validate checks that t describes a system that can be simulated:
// counts in range, exactly one of rate and users, distributions with
// sensible parameters, sections present for the steps and strategies
// that use them, and sizes the simulator can hold. It returns nil or an Errors, each with
// Path set (as in a file: app.workers, workload.requests[0].steps[1].cpu)
// but no position; Parse adds file positions to them. After 100 errors
// the rest are only counted, in a last "N more errors not shown".
//
// Validate also rejects what a file cannot express, so that
// Parse(Marshal(t)) equals every valid t: a Dist field its kind does not
// use, a cache step with a duration, miss steps on a step other than
// cache, think time or hit_ratio where they do not apply.
func (t *Topology) Validate() error {
	es, dropped := t.validate()
	return es.withDropped("", dropped).orNil()
}

// validate returns the first maxErrors errors and how many more there are.
func (t *Topology) validate() (Errors, int) {
	if t == nil {
		return Errors{{Msg: "no topology"}}, 0
	}
	v := &validator{t: t}
	v.text("name", t.Name)
	v.text("description", t.Description)
	v.workload()
	v.app()
	v.lb()
	v.db()
	v.cache()
	v.offload()
	v.stock()
	v.autoscale()
	v.failures()
	if len(v.errs) == 0 {
		v.events()
	}
	return v.errs, v.dropped
}

type validator struct {
	t       *Topology
	errs    Errors
	dropped int // errors beyond maxErrors
}

func (v *validator) add(path, hint, format string, args ...any) {
	if len(v.errs) >= maxErrors {
		v.dropped++
		return
	}
	v.errs = append(v.errs, &Error{Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// between checks lo ≤ n ≤ hi.
func (v *validator) between(path string, n, lo, hi int) bool {
	if n < lo || n > hi {
		v.add(path, "", "must be between %d and %d, got %d", lo, hi, n)
		return false
	}
	return true
}

func (v *validator) nonNegative(path string, d time.Duration) {
	if d < 0 {
		v.add(path, "", "must not be negative, got %s", FormatDuration(d))
	}
}

func (v *validator) nonNegativeSize(path string, n int64) bool {
	if n < 0 {
		v.add(path, "", "must not be negative, got %s", FormatSize(n))
		return false
	}
	return true
}

func (v *validator) positive(path string, f float64) {
	if !(f > 0) || math.IsInf(f, 0) {
		v.add(path, "", "must be a number greater than 0, got %s", formatFloat(f))
	}
}

func (v *validator) dist(path string, d Dist) bool {
	if e := d.check(); e != nil {
		v.add(path, e.Hint, "%s", e.Msg)
		return false
	}
	return true
}

// scaledDist checks d as drawn by a server of the given speed, which
// divides every draw: a slow one may stretch draws beyond MaxDraw.
func (v *validator) scaledDist(path string, d Dist, speed float64) {
	if !v.dist(path, d) || !(speed > 0 && speed < 1) {
		return
	}
	if e := d.checkCut(speed); e != nil {
		v.add(path, e.Hint, "%s", e.Msg)
	}
}

func (v *validator) text(path, s string) {
	if !utf8.ValidString(s) {
		v.add(path, "", "is not valid UTF-8")
	}
}

func tooManyClasses(n int) string {
	return fmt.Sprintf("%d request classes; at most %d are allowed", n, maxClasses)
}

func (v *validator) workload() {
	w := v.t.Workload
	switch {
	case w.Rate != 0 && w.Users != 0:
		v.add("workload", "remove one of them", "set either rate (open workload) or users (closed workload), not both")
	case w.Rate == 0 && w.Users == 0 && len(w.Stages) == 0:
		v.add("workload", "e.g. rate: 100 for 100 requests per second, or users: 50", "set rate (open workload) or users (closed workload)")
	}
	v.stages(w)
	if w.Rate != 0 && !(w.Rate > 0 && w.Rate <= maxRate) {
		v.add("workload.rate", "", "must be greater than 0 and at most %d requests per second, got %s", maxRate, formatFloat(w.Rate))
	}
	if w.Users != 0 && w.Populations == nil {
		v.between("workload.users", w.Users, 1, maxUsers)
	}
	v.dist("workload.think", w.Think)
	if w.Users == 0 && !w.Think.IsZero() {
		v.add("workload.think", "remove think, or use users instead of rate", "think time applies only to a closed workload (users)")
	}
	v.classes(w.Requests)
	v.populations() // workload_populations.go
}

func (v *validator) classes(classes []RequestClass) {
	const path = "workload.requests"
	switch {
	case len(classes) == 0:
		v.add(path, "e.g. requests: [{steps: [{cpu: 10ms}]}]", "at least one request class is needed")
		return
	case len(classes) > maxClasses:
		v.add(path, "", "%s", tooManyClasses(len(classes)))
		return
	}
	names := map[string]int{}
	sum, sharesOK, total := 0.0, true, 0
	for i, c := range classes {
		cp := v.t.Workload.ClassPath(i)
		switch j, dup := names[c.Name]; {
		case c.Name == "":
			v.add(cp+".name", "", "must not be empty")
		case dup:
			v.add(cp+".name", "give each class its own name", "%s is already the name of %s", quote(c.Name), v.t.Workload.ClassPath(j))
		default:
			names[c.Name] = i
			v.text(cp+".name", c.Name)
		}
		if !(c.Share >= 0) || math.IsInf(c.Share, 0) {
			v.add(cp+".share", "", "must be a number from 0 up, got %s", formatFloat(c.Share))
			sharesOK = false
		} else {
			sum += c.Share
		}
		v.steps(c.Steps, cp+".steps", 0)
		v.client(cp+".client", c.Client)
		n := countSteps(c.Steps)
		total += n
		switch {
		case n == 0:
			v.add(cp+".steps", "e.g. steps: [{cpu: 10ms}]", "a request class needs at least one step")
		case n > maxStepsPerClass:
			v.add(cp+".steps", "split the class into several classes", "%d steps (counting cache miss steps); at most %d are allowed", n, maxStepsPerClass)
		}
	}
	if total > maxTotalSteps {
		v.add(path, "", "%d steps in all request classes; at most %d are allowed", total, maxTotalSteps)
	}
	if sharesOK && !(sum > 0 && sum <= math.MaxFloat64) {
		v.add(path, "give at least one class a positive share", "the shares add up to %s", formatFloat(sum))
	}
}

// countSteps counts steps, including cache miss steps.
func countSteps(steps []Step) int {
	n := len(steps)
	for _, s := range steps {
		n += countSteps(s.Miss)
	}
	return n
}

// steps checks a step list; depth is 1 inside a cache miss list.
func (v *validator) steps(steps []Step, path string, depth int) {
	for i, s := range steps {
		sp := indexPath(path, i)
		kp := joinPath(sp, s.Kind.String())
		switch s.Kind {
		case StepCPU, StepIO, StepDB, StepRead, StepWrite, StepBuy, StepOffload, StepNoGIL:
			switch {
			case s.Kind == StepCPU || s.Kind == StepBuy || s.Kind == StepNoGIL:
				v.scaledDist(kp, s.Dist, v.t.App.Speed)
			case s.Kind == StepOffload && v.t.Offload != nil:
				v.scaledDist(kp, s.Dist, v.t.Offload.Speed)
			default:
				v.dist(kp, s.Dist)
			}
			if len(s.Miss) > 0 {
				v.add(kp, "", "only cache steps have miss steps")
			}
			switch {
			case s.Kind == StepOffload && v.t.Offload == nil:
				v.add(kp, "add a top-level offload: section, e.g. offload: {speed: 20}", "an offload step needs an offload section")
			case s.Kind == StepBuy && depth > 0:
				v.add(kp, "move it to the request class's own steps (a miss may read and write, not buy)", "buy steps cannot be inside a cache miss")
			case s.Kind == StepBuy && v.t.Stock == nil:
				v.add(kp, "add a top-level stock: section, e.g. stock: {quantity: 1000}", "a buy step needs a stock section")
			}
		case StepCache:
			if !s.Dist.IsZero() {
				v.add(kp, "the cache section's latency applies", "a cache step has no duration of its own")
			}
			switch {
			case depth > 0:
				v.add(kp, "move it to the request class's own steps", "cache steps cannot be nested inside a cache miss")
			case v.t.Cache == nil:
				v.add(kp, "add a top-level cache: section, e.g. cache: {hit_ratio: 0.8}", "a cache step needs a cache section")
			}
			if depth == 0 {
				v.steps(s.Miss, kp+".miss", depth+1)
			}
		default:
			v.add(sp, "", "unknown step kind %d", int(s.Kind))
		}
	}
}

func (v *validator) app() {
	a := v.t.App
	nodesOK := v.between("app.nodes", a.Nodes, 1, maxNodes)
	v.between("app.cores", a.Cores, 1, maxCores)
	workersOK := v.between("app.workers", a.Workers, 1, maxWorkers)
	switch a.Model {
	case Sync, Threads, Gevent:
	default:
		v.add("app.model", "allowed: sync, threads, gevent", "unknown model %d", int(a.Model))
	}
	concOK := v.between("app.concurrency", a.Concurrency, 1, maxConcurrency)
	if concOK && a.Model == Sync && a.Concurrency > 1 {
		v.add("app.concurrency", "use model: threads or gevent", "must be 1 with model sync, got %d", a.Concurrency)
	}
	if nodesOK && workersOK {
		if procs := a.Nodes * a.Workers; procs > maxProcesses {
			v.add("app", "use fewer nodes or workers (more threads or greenlets per worker cost no memory)",
				"nodes × workers is %d × %d = %d worker processes, about %d MB of simulated state; at most %d are allowed",
				a.Nodes, a.Workers, procs, procs*workerBytes/1_000_000, maxProcesses)
		} else if slots := a.Nodes * a.Workers * a.Concurrency; concOK && slots > maxSlots {
			v.add("app", "use fewer nodes, workers or threads", "nodes × workers × concurrency is %d; at most %d are allowed", slots, maxSlots)
		}
	}
	if a.Backlog != Unlimited && (a.Backlog < 0 || a.Backlog > maxBacklog) {
		v.add("app.backlog", "", "must be between 0 and %d, or unlimited, got %d", maxBacklog, a.Backlog)
	}
	v.nonNegative("app.timeout", a.Timeout)
	v.nonNegative("app.respawn", a.Respawn)
	memOK := v.nonNegativeSize("app.memory", a.Memory)
	memOK = v.nonNegativeSize("app.worker_memory", a.WorkerMemory) && memOK
	memOK = v.nonNegativeSize("app.slot_memory", a.SlotMemory) && memOK
	if memOK && concOK && a.Memory > 0 {
		v.memory(a)
	}
	v.positive("app.speed", a.Speed)
	if a.SwitchInterval < minSwitchInterval {
		v.add("app.switch_interval", "Python's default is 5ms", "must be at least %s, got %s", FormatDuration(minSwitchInterval), FormatDuration(a.SwitchInterval))
	}
	v.cpuSched("app", a.CPU)
}

// workerBytes is about what the simulator holds per worker process.
const workerBytes = 200

// memory checks that a node's memory holds at least one worker.
func (v *validator) memory(a App) {
	c := int64(a.Concurrency)
	if a.SlotMemory > 0 && c > (math.MaxInt64-a.WorkerMemory)/a.SlotMemory {
		v.add("app.memory", "lower worker_memory, slot_memory or concurrency", "%s is smaller than one worker", FormatSize(a.Memory))
		return
	}
	need := a.WorkerMemory + c*a.SlotMemory
	if a.Memory < need {
		v.add("app.memory",
			fmt.Sprintf("one worker needs worker_memory %s + concurrency %d × slot_memory %s = %s; set memory to at least that, or 0 to not model memory",
				FormatSize(a.WorkerMemory), a.Concurrency, FormatSize(a.SlotMemory), FormatSize(need)),
			"%s is smaller than one worker", FormatSize(a.Memory))
	}
}

func (v *validator) lb() {
	lb := v.t.LB
	v.policy("lb.policy", lb.Policy)
	v.nonNegative("lb.latency", lb.Latency)
}

func (v *validator) policy(path string, p Policy) {
	switch p {
	case RoundRobin, LeastConn, Random, P2C:
	default:
		v.add(path, "allowed: "+strings.Join(policyNames, ", "), "unknown policy %d", int(p))
	}
}

func (v *validator) db() {
	db := v.t.DB
	v.between("db.cores", db.Cores, 1, maxCores)
	v.nonNegative("db.latency", db.Latency)
	replicasOK := v.between("db.replicas", db.Replicas, 0, maxReplicas)
	switch {
	case db.ReplicationLag < 0:
		v.nonNegative("db.replication_lag", db.ReplicationLag)
	case db.ReplicationLag > 0 && db.Replicas == 0:
		v.add("db.replication_lag", "set replicas to 1 or more, or remove replication_lag", "replication_lag needs replicas")
	}
	shardsOK := v.between("db.shards", db.Shards, 1, maxShards)
	v.between("db.rows", db.Rows, 0, maxRows)
	if replicasOK && shardsOK {
		if servers := db.Shards * (1 + db.Replicas); servers > maxDBServers {
			v.add("db", "use fewer shards or replicas", "shards × (1 + replicas) is %d × %d = %d; at most %d database servers are allowed",
				db.Shards, 1+db.Replicas, servers, maxDBServers)
		}
	}
	maxConnOK := v.between("db.max_connections", db.MaxConnections, 0, maxDBConnections)
	switch db.Connections {
	case PerRequest, Persistent:
	default:
		v.add("db.connections", "allowed: "+strings.Join(connPolicyNames, ", "), "unknown connections policy %d", int(db.Connections))
	}
	if p := db.Pool; p != nil {
		if v.between("db.pool.size", p.Size, 1, maxDBConnections) && maxConnOK && db.MaxConnections > 0 && p.Size > db.MaxConnections {
			v.add("db.pool.size", "a pooler never opens more server connections than the limit; lower size or raise max_connections",
				"%d is more than max_connections %d", p.Size, db.MaxConnections)
		}
	}
	v.cpuSched("db", db.CPU)
}

func (v *validator) cache() {
	c := v.t.Cache
	if c == nil {
		return
	}
	v.dist("cache.latency", c.Latency)
	v.nonNegative("cache.net_latency", c.NetLatency)
	k := c.Keys
	if k == nil {
		if !(c.HitRatio >= 0 && c.HitRatio <= 1) {
			v.add("cache.hit_ratio", "", "must be between 0 and 1, got %s", formatFloat(c.HitRatio))
		}
		return
	}
	if c.HitRatio != 0 {
		v.add("cache.hit_ratio", "remove hit_ratio or keys", "is not used with keys: the hit ratio comes from the key space")
	}
	v.between("cache.keys.count", k.Count, 1, maxKeys)
	v.between("cache.keys.capacity", k.Capacity, 1, maxCapacity)
	if !(k.Zipf >= 0) || math.IsInf(k.Zipf, 0) {
		v.add("cache.keys.zipf", "0 is uniform, 0.99 is typical", "must be a number from 0 up, got %s", formatFloat(k.Zipf))
	}
	v.nonNegative("cache.keys.ttl", k.TTL)
}

func (v *validator) offload() {
	o := v.t.Offload
	if o == nil {
		return
	}
	v.between("offload.nodes", o.Nodes, 1, maxNodes)
	v.between("offload.cores", o.Cores, 1, maxCores)
	v.policy("offload.policy", o.Policy)
	v.positive("offload.speed", o.Speed)
	v.nonNegative("offload.latency", o.Latency)
}

func (v *validator) stock() {
	st := v.t.Stock
	if st == nil {
		return
	}
	v.between("stock.items", st.Items, 1, maxItems)
	switch {
	case st.Quantity < 0:
		v.add("stock.quantity", "quantity is the units of each item on sale, 0 or more", "negative stock, got %d", st.Quantity)
	default:
		v.between("stock.quantity", st.Quantity, 0, maxQuantity)
	}
	switch st.Strategy {
	case Naive, RowLock, Optimistic, Atomic:
	case Redis:
		if v.t.Cache == nil {
			v.add("stock.strategy", "add a top-level cache: section for the Redis server, e.g. cache: {}", "the redis strategy needs a cache section")
		}
	default:
		v.add("stock.strategy", "allowed: "+strings.Join(strategyNames, ", "), "unknown strategy %d", int(st.Strategy))
	}
	v.dist("stock.query", st.Query)
	v.between("stock.retries", st.Retries, 0, maxRetries)
	v.between("stock.consumers", st.Consumers, 1, maxConsumers)
}
