package sim

// DBServerSummary is one database server over the measured window.
type DBServerSummary struct {
	Name    string `json:"name"`
	Role    string `json:"role"` // primary | replica
	Shard   int    `json:"shard"`
	Replica int    `json:"replica"` // 0 for a primary, 1.. for its replicas
	// Leaving is a server an edit removed, still finishing its queries.
	Leaving        bool    `json:"leaving,omitempty"`
	Cores          int     `json:"cores"`
	Utilization    float64 `json:"utilization"`
	ThroughputRPS  float64 `json:"throughput_rps"`
	QueueMean      float64 `json:"queue_mean"`
	WaitMsMean     float64 `json:"wait_ms_mean"`
	Connections    int     `json:"connections"` // open now
	Refused        uint64  `json:"connections_refused_window"`
	PoolSize       int     `json:"pool_size,omitempty"`
	PoolQueueMean  float64 `json:"pool_queue_mean,omitempty"`
	PoolWaitMsMean float64 `json:"pool_wait_ms_mean,omitempty"`
	// Busy and Queue are the state now.
	Busy  int `json:"busy"`
	Queue int `json:"queue"`
}

// DBSummary is the database tier: its layout and connections at the
// end, its counts (named _window) and means over the measured window.
type DBSummary struct {
	Shards         int    `json:"shards"`
	Replicas       int    `json:"replicas"`
	MaxConnections int    `json:"max_connections"`
	Connections    int    `json:"connections"` // open now, all servers
	Refused        uint64 `json:"connections_refused_window"`
	ReplicaReads   uint64 `json:"replica_reads_window"`
	// StaleReads are replica reads of a row written on the primary
	// within the replication lag: they returned stale data. Without
	// db.rows the row a read touches is not modelled, and StaleReads
	// counts the reads served while any committed write had not yet
	// reached the replica: StaleUpperBound is then set, for at most that
	// many were stale.
	StaleReads      uint64            `json:"stale_reads_window"`
	StaleUpperBound bool              `json:"stale_reads_upper_bound"`
	PoolWaitMsMean  float64           `json:"pool_wait_ms_mean"`
	Servers         []DBServerSummary `json:"servers"`
}

func (s *Sim) dbSummary(span float64) *DBSummary {
	out := &DBSummary{Shards: s.db.shards, Replicas: s.db.replicas, MaxConnections: s.db.maxConns, Refused: s.db.refused,
		StaleUpperBound: len(s.db.rowWrite) == 0 && s.db.replicas > 0}
	if pool := s.db.pool.summary("pool", s.now, span); s.db.pool.waited() > 0 {
		out.PoolWaitMsMean = pool.WaitMsMean
	}
	for sid := sidDB; sid < len(s.stations); sid++ {
		st := &s.stations[sid]
		d := &st.db
		conns := d.conns
		if d.pooled {
			conns = d.pool.size // the pooler's server connections
		}
		out.Connections += conns
		out.ReplicaReads += d.reads
		out.StaleReads += d.behind
		if !d.active && st.stats.busy == 0 && st.waiting() == 0 {
			continue
		}
		sum := st.stats.summary(st.name, s.now, span)
		row := DBServerSummary{
			Name: st.name, Role: "primary", Shard: d.shard + 1, Replica: d.replica, Leaving: !d.active, Cores: sum.Servers,
			Utilization: sum.Utilization, ThroughputRPS: sum.ThroughputRPS, QueueMean: sum.QueueMean,
			WaitMsMean: sum.WaitMsMean, Connections: conns, Refused: d.refused,
			Busy: st.stats.busy, Queue: st.waiting(),
		}
		if d.replica > 0 {
			row.Role = "replica"
		}
		if d.pooled {
			ps := d.pool.stats.summary("pool", s.now, span)
			row.PoolSize, row.PoolQueueMean, row.PoolWaitMsMean = d.pool.size, ps.QueueMean, ps.WaitMsMean
		}
		out.Servers = append(out.Servers, row)
	}
	return out
}

// StockSummary is the flash sale's outcome. Initial, Left, Sold and
// Oversold cover the whole run; the rest the measured window.
type StockSummary struct {
	Strategy string `json:"strategy"`
	Items    int    `json:"items"`
	Initial  int64  `json:"initial"`
	Left     int64  `json:"left"` // in the database
	// Sold counts confirmed sales; Oversold those beyond the initial
	// stock: units promised that do not exist.
	Sold     uint64 `json:"sold"`
	Oversold uint64 `json:"oversold"`
	// LostUpdates counts sales whose write-back was overwritten by
	// another buyer's (net of write-backs that undid such an error): the
	// units they left in the counter. Oversold is where they end up once
	// the real stock runs out.
	LostUpdates uint64 `json:"lost_updates"`
	// RealLeft is what is really left: the initial stock less the sales
	// confirmed (never below zero). CounterError is how many units the
	// counter the strategy sells from (Redis's under redis, else the
	// database's, less the orders queued for it) claims beyond it;
	// negative when it claims fewer.
	RealLeft     int64 `json:"real_left"`
	CounterError int64 `json:"counter_error"`
	// Phases are the stretches of the sale under one strategy: one
	// begins at the start, at each change of strategy and at each
	// reconcile (the last 16 are kept).
	Phases []StockPhase `json:"phases"`
	// SoldOut counts buyers told there was nothing left.
	SoldOut       uint64  `json:"sold_out_window"`
	SoldWindow    uint64  `json:"sold_window"`
	SalesPerSec   float64 `json:"sales_per_second"`
	Conflicts     uint64  `json:"conflicts_window"`
	Retries       uint64  `json:"retries_window"`
	GaveUp        uint64  `json:"gave_up_window"`
	LockWaitMs    float64 `json:"lock_wait_ms_mean"`
	LockWaitP99Ms float64 `json:"lock_wait_p99_ms"`
	LockHoldMs    float64 `json:"lock_hold_ms_mean"`
	LockQueueMean float64 `json:"lock_queue_mean"`
	LockQueue     int     `json:"lock_queue"` // waiting now
	// the redis strategy's order queue
	OrdersQueued int `json:"orders_queued"`
	// OrdersPending are orders sold in Redis and not yet committed to
	// the database: queued, or being written.
	OrdersPending int64   `json:"orders_pending"`
	OrdersWritten uint64  `json:"orders_written_window"`
	OrderLagMs    float64 `json:"order_lag_ms_mean"`
	OrderLagP99Ms float64 `json:"order_lag_p99_ms"`
}

func (s *Sim) stockSummary(span float64) *StockSummary {
	m := &s.stock
	out := &StockSummary{
		Strategy: m.strategy.String(), Items: len(m.stock), Initial: m.initial,
		Sold: m.lifeSold, SoldOut: m.soldOut, SoldWindow: m.sold, Conflicts: m.conflicts,
		Retries: m.retried, GaveUp: m.gaveUp, LockQueue: m.locks.queued,
		OrdersQueued: m.orders.len(), OrdersPending: m.pending, OrdersWritten: m.written,
		LockWaitMs: m.lockW.Mean() / 1e6, LockWaitP99Ms: m.lockW.Quantile(0.99) / 1e6,
		OrderLagMs: m.orderLag.Mean() / 1e6, OrderLagP99Ms: m.orderLag.Quantile(0.99) / 1e6,
	}
	for i := range m.stock {
		out.Left += m.dbCount(int32(i))
	}
	out.LostUpdates = uint64(max(m.lost, 0))
	out.Oversold = m.oversold
	out.RealLeft = m.realLeft()
	for i := range m.stock {
		out.CounterError += m.excess(int32(i))
	}
	out.Phases = make([]StockPhase, len(m.phases))
	for i, p := range m.phases {
		out.Phases[i] = StockPhase{
			Strategy: p.strategy.String(), StartS: float64(p.start) / 1e9, Reconciled: p.reconciled,
			InheritedError: p.inheritedError, Corrected: p.corrected, LostUpdates: p.lost, LateLostUpdates: p.late,
			Sold: p.sold, LateSold: p.lateSold, OversoldInherited: p.overInherited, OversoldOwn: p.overOwn,
		}
	}
	if span > 0 {
		out.SalesPerSec = float64(m.sold) / span * 1e9
	}
	ls := m.locks.summary("lock", s.now, span)
	out.LockQueueMean, out.LockHoldMs = ls.QueueMean, ls.ServiceMsMean
	return out
}

// StockPhase is a stretch of the sale under one strategy, from a start,
// a change of strategy or a reconcile, to the next; it counts what
// happened in it and what it inherited.
type StockPhase struct {
	Strategy string  `json:"strategy"`
	StartS   float64 `json:"start_s"` // simulated time it began
	// Reconciled is set when a reconcile began it: Corrected is then the
	// error it removed from the counter.
	Reconciled bool  `json:"reconciled"`
	Corrected  int64 `json:"corrected"`
	// InheritedError is the counter's error when the phase began: units
	// claimed beyond the real stock.
	InheritedError int64 `json:"inherited_error"`
	// LostUpdates is the counter error the write-backs of the phase's
	// buyers (transactions begun in it) made.
	LostUpdates int64 `json:"lost_updates"`
	// LateLostUpdates is the counter error that buyers of earlier
	// phases, still finishing, made during this one.
	LateLostUpdates int64  `json:"late_lost_updates"`
	Sold            uint64 `json:"sold"`
	// LateSold is the part of Sold that buyers of earlier phases, still
	// finishing the old way, sold during this one.
	LateSold uint64 `json:"late_sold"`
	// Oversold units are sales in the phase of units that were no longer
	// there, each paid for by a unit of the counter's error:
	// OversoldInherited by error the phase did not make (there when it
	// began, or made since by earlier phases' buyers still finishing),
	// OversoldOwn by error its own buyers made.
	OversoldInherited uint64 `json:"oversold_inherited"`
	OversoldOwn       uint64 `json:"oversold_own"`
}
