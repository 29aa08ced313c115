// Package topology owns the topology file model: the plain data that
// describes a whole system (workload, app nodes, load balancer, cache,
// database, offload service), and the one way in and out of it: parse a
// YAML file with positions, validate, edit, and save.
//
// A Topology is the single source of truth. Files, embedded presets, live
// edits in the TUI and saving all go through the same types and the same
// Validate. This package knows nothing of simulation or terminals.
package topology

import "time"

// Unlimited marks a limit that is switched off (for example a backlog
// written as `unlimited`).
const Unlimited = -1

// Topology is a whole system, as written in a file.
type Topology struct {
	Name        string
	Description string
	Seed        uint64

	Workload Workload
	App      App
	LB       LB
	DB       DB
	// Cache is nil when the file has no cache section.
	Cache *Cache
	// Offload is nil when the file has no offload section.
	Offload *Offload
	// Stock is nil when the file has no stock section.
	Stock *Stock
	// Autoscale is nil when the file has no autoscale section.
	Autoscale *Autoscale
	// Failures is nil when the file has no failures section.
	Failures *Failures

	// Events is the timeline (file key events:), in order of At.
	Events []Event
}

// Workload says who sends requests and what each request does.
type Workload struct {
	// Rate is the open workload's Poisson arrival rate in requests per
	// second. Exactly one of Rate and Users is set.
	Rate float64
	// Users is the closed workload's population: each user sends a
	// request, waits for its answer, thinks for Think, and sends again.
	Users int
	// Think is the think time of a closed workload (zero for open).
	Think Dist
	// Requests are the request classes; Share is a weight.
	Requests []RequestClass
	// Stages shape the load over time (stages.go); nil: a constant load.
	Stages []Stage
	// Populations, when set, divide a closed workload's users into groups
	// with their own size, think time and classes (workload_populations.go);
	// Users and Requests are then their total and their classes in order.
	Populations []Population
}

// RequestClass is one kind of request and the steps it runs.
type RequestClass struct {
	Name  string
	Share float64
	Steps []Step
	// Client is how its clients wait and retry (client.go); nil: they wait forever and never retry.
	Client *Client
}

// StepKind says what a step does.
type StepKind int

const (
	// StepCPU is Python code in the worker: it needs the worker
	// process's GIL (when the runtime has one, or always under gevent)
	// and a core of its node.
	StepCPU StepKind = iota
	// StepIO waits on something outside the topology: it holds the
	// thread or greenlet, not the GIL, not a core.
	StepIO
	// StepDB is one query on the database: it waits for a free DB core.
	StepDB
	// StepCache is a cache-aside read: a hit costs one cache operation,
	// a miss runs Miss and then a cache set.
	StepCache
	// StepOffload sends work to the offload service and waits for it.
	StepOffload
	// StepRead is a read query: on a read replica of its shard when there
	// are replicas, else on the primary.
	StepRead
	// StepWrite is a write query on the primary of its shard. A bare db
	// step is the same: a query on a primary.
	StepWrite
	// StepBuy buys one unit of stock with the stock section's strategy;
	// Dist is the app code that runs between reading the stock and
	// writing it back (CPU time, like a cpu step).
	StepBuy
	// StepNoGIL is CPU time in C code that lets go of the GIL around it
	// (a write to a socket or a file, a compression): it needs a core of
	// its node but not the GIL, so a threads worker's other threads run
	// Python meanwhile; the thread takes the GIL back after it before any
	// other step. A request's last nogil step is its response's write:
	// the answer leaves as it ends.
	StepNoGIL
)

// String returns the key the step has in a file.
func (k StepKind) String() string {
	switch k {
	case StepCPU:
		return "cpu"
	case StepIO:
		return "io"
	case StepDB:
		return "db"
	case StepCache:
		return "cache"
	case StepOffload:
		return "offload"
	case StepRead:
		return "read"
	case StepWrite:
		return "write"
	case StepBuy:
		return "buy"
	case StepNoGIL:
		return "nogil"
	}
	return "unknown"
}

// Step is one step of a request class.
type Step struct {
	Kind StepKind
	// Dist is the step's duration: CPU time (at speed 1) for cpu and
	// offload, wall time for io, service time on a DB core for db. Unused
	// for cache (the cache's own Latency applies).
	Dist Dist
	// Miss is what a cache step runs on a miss (typically a db step).
	Miss []Step
}

// Model is how a worker process serves requests concurrently.
type Model int

const (
	// Sync serves one request per worker process.
	Sync Model = iota
	// Threads runs Concurrency OS threads per worker; with a GIL they
	// take turns on it every switch interval (5 ms).
	Threads
	// Gevent runs Concurrency greenlets per worker on one OS thread; a
	// greenlet runs until its next wait.
	Gevent
)

// String returns the model's name in a file.
func (m Model) String() string {
	switch m {
	case Sync:
		return "sync"
	case Threads:
		return "threads"
	case Gevent:
		return "gevent"
	}
	return "unknown"
}

// App is the pool of app servers behind the load balancer.
type App struct {
	Nodes       int
	Cores       int
	Workers     int
	Model       Model
	Concurrency int
	// Backlog is how many requests a node holds waiting for a worker;
	// Unlimited for no limit, 0 for no waiting room.
	Backlog int
	// Timeout is uWSGI's harakiri: the master, which checks once a
	// second, kills a worker process whose request has run longer, with
	// every request it holds; 0 for none.
	Timeout time.Duration
	// Respawn is how long a worker killed by harakiri takes to come back:
	// the master's next cycle and the fork (more with lazy-apps, which
	// loads the app in every worker).
	Respawn time.Duration

	// Memory is a node's memory in bytes; 0 means memory is not modelled.
	Memory int64
	// WorkerMemory is the resident memory of one worker process.
	WorkerMemory int64
	// SlotMemory is what each thread or greenlet adds to its worker.
	SlotMemory int64

	// Speed divides every cpu step's duration (2 = twice as fast a
	// language or CPU).
	Speed float64
	// GIL is whether the runtime has a global interpreter lock.
	GIL bool
	// SwitchInterval is the GIL's switch interval for threads (5 ms).
	SwitchInterval time.Duration
	// CPU is how the node's operating system schedules its cores.
	CPU CPUSched
}

// Policy is how the load balancer picks a node.
type Policy int

const (
	RoundRobin Policy = iota
	LeastConn
	Random
	P2C
)

// String returns the policy's name in a file.
func (p Policy) String() string {
	switch p {
	case RoundRobin:
		return "round_robin"
	case LeastConn:
		return "least_conn"
	case Random:
		return "random"
	case P2C:
		return "p2c"
	}
	return "unknown"
}

// LB is the load balancer in front of the app nodes.
type LB struct {
	Policy Policy
	// Latency is the network hop from the LB to a node, each way.
	Latency time.Duration
}

// DB is the database: one primary per shard, each with its read
// replicas. Every database server has Cores cores.
type DB struct {
	// Cores is how many queries one server runs at once; the others are
	// runnable backends waiting for a core, as CPU schedules them.
	Cores int
	// Latency is the network hop from an app node to the DB, each way.
	Latency time.Duration
	// Replicas is the number of read replicas of each primary (0: none).
	Replicas int
	// ReplicationLag is how long a write committed on a primary takes to
	// reach its replicas (asynchronous replication).
	ReplicationLag time.Duration
	// Shards is the number of primaries rows are partitioned over by key
	// (1: not sharded).
	Shards int
	// Rows, when set, is the number of rows that read, write and db steps
	// touch, one chosen uniformly per query: a row lives on shard
	// row mod shards, and a replica read is stale when its row was
	// written within the replication lag. 0: rows are not modelled; a
	// query picks a shard at random, and a replica read counts as stale
	// whenever the replica lacks any write its primary committed.
	Rows int
	// MaxConnections is each database server's connection limit (0: no
	// limit). A connection beyond it is refused and its request fails.
	MaxConnections int
	// Connections is how the app holds its connections.
	Connections ConnPolicy
	// Pool, when set, puts a PgBouncer in transaction pooling mode in
	// front of every database server.
	Pool *Pool
	// CPU is how each server's operating system schedules its cores among
	// the backends (one process per connection) that have a query to run.
	CPU CPUSched
}

// ConnPolicy is how Django holds database connections.
type ConnPolicy int

const (
	// PerRequest opens a connection at a request's first query to a
	// server and closes it when the request ends (CONN_MAX_AGE = 0).
	PerRequest ConnPolicy = iota
	// Persistent keeps each thread's or greenlet's connection open for
	// the life of its worker (CONN_MAX_AGE = None).
	Persistent
)

// String returns the policy's name in a file.
func (c ConnPolicy) String() string {
	switch c {
	case PerRequest:
		return "per_request"
	case Persistent:
		return "persistent"
	}
	return "unknown"
}

// Pool is a transaction-pooling connection pooler (PgBouncer).
type Pool struct {
	// Size is the server connections it keeps to each database server; a
	// transaction waits for one in FIFO order.
	Size int
}

// Strategy is how a buy step keeps stock consistent.
type Strategy int

const (
	// Naive reads the stock, runs app code, and writes back the value it
	// read minus one: two buyers that interleave lose an update.
	Naive Strategy = iota
	// RowLock reads with SELECT ... FOR UPDATE in a transaction: buyers
	// of one row queue on its lock for the whole read-think-write.
	RowLock
	// Optimistic writes back only if the row's version is unchanged, and
	// retries on a conflict up to Retries times.
	Optimistic
	// Atomic runs one conditional UPDATE stock = stock - 1 WHERE stock > 0.
	Atomic
	// Redis decrements a counter in Redis first; a queue and its
	// consumers write the orders to the database afterwards.
	Redis
)

// String returns the strategy's name in a file.
func (s Strategy) String() string {
	switch s {
	case Naive:
		return "naive"
	case RowLock:
		return "row_lock"
	case Optimistic:
		return "optimistic"
	case Atomic:
		return "atomic"
	case Redis:
		return "redis"
	}
	return "unknown"
}

// Stock is the goods a flash sale sells: Items rows (one hot item, or
// many such as vaccine time slots) of Quantity units each. A buy step
// picks an item uniformly.
type Stock struct {
	Items    int
	Quantity int
	Strategy Strategy
	// Query is the service time of one stock query on a DB core.
	Query Dist
	// Retries is how often an optimistic buyer retries after a conflict.
	Retries int
	// Consumers is how many workers write queued orders to the database
	// under the redis strategy.
	Consumers int
}

// Cache is a single-threaded cache server (Redis) used cache-aside.
type Cache struct {
	// Disabled switches the cache off while keeping its settings (file
	// key `enabled: false`): every cache step then runs its miss steps,
	// with no cache operations at all.
	Disabled bool
	// Latency is the service time of one cache operation on the server.
	Latency Dist
	// NetLatency is the network hop from an app node to the cache, each way.
	NetLatency time.Duration
	// HitRatio, when Keys is nil, is the fixed probability of a hit.
	HitRatio float64
	// Keys, when set, makes the hit ratio emerge from an LRU cache over a
	// Zipf-distributed key space.
	Keys *KeySpace
}

// KeySpace describes the keys requests read and how the cache holds them.
type KeySpace struct {
	// Count is the number of distinct keys.
	Count int
	// Zipf is the skew s of the key popularity (0 = uniform).
	Zipf float64
	// Capacity is how many keys the cache holds before LRU eviction.
	Capacity int
	// TTL expires a key this long after it was set; 0 for never.
	TTL time.Duration
}

// Offload is a separate compute service (a C++ or Go service) reached
// over the network.
type Offload struct {
	// Nodes are separate servers, each with its own queue, behind the
	// service's own load balancer.
	Nodes int
	// Cores is each node's: the calls it runs at once, more wait in its
	// queue in FIFO order.
	Cores int
	// Policy is how the service's load balancer picks a node for a call.
	Policy Policy
	// Speed divides the offload step's duration (the step is written in
	// app CPU time; a service 20x faster takes 1/20 of it).
	Speed float64
	// Latency is the network hop to the service, each way.
	Latency time.Duration
}

// DistKind is the family of a distribution.
type DistKind int

const (
	Const DistKind = iota
	Exp
	Uniform
	LogNormal
	Erlang
	Pareto
)

// Dist is a distribution of durations. Its meaning per kind:
//
//	Const      D            always Mean
//	Exp        exp(MEAN)
//	Uniform    uniform(MIN, MAX)       Min, Max
//	LogNormal  lognormal(MEAN, CV)     Mean, CV
//	Erlang     erlang(K, MEAN)         K, Mean (CV = 1/sqrt(K))
//	Pareto     pareto(MEAN, ALPHA)     Mean, Alpha (> 1)
type Dist struct {
	Kind  DistKind
	Mean  time.Duration
	Min   time.Duration
	Max   time.Duration
	CV    float64
	K     int
	Alpha float64
}

// IsZero reports whether d is the zero distribution (constant 0).
func (d Dist) IsZero() bool { return d == Dist{} }
