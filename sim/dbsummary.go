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
	Refused        uint64  `json:"connections_refused"`
	PoolSize       int     `json:"pool_size,omitempty"`
	PoolQueueMean  float64 `json:"pool_queue_mean,omitempty"`
	PoolWaitMsMean float64 `json:"pool_wait_ms_mean,omitempty"`
	// Busy and Queue are the state now.
	Busy  int `json:"busy"`
	Queue int `json:"queue"`
}

// DBSummary is the database tier over the measured window.
type DBSummary struct {
	Shards         int    `json:"shards"`
	Replicas       int    `json:"replicas"`
	MaxConnections int    `json:"max_connections"`
	Connections    int    `json:"connections"` // open now, all servers
	Refused        uint64 `json:"connections_refused"`
	ReplicaReads   uint64 `json:"replica_reads"`
	// StaleReads are replica reads served while the replica lacked a
	// write its primary had committed: they may have returned stale data.
	StaleReads     uint64            `json:"stale_reads"`
	PoolWaitMsMean float64           `json:"pool_wait_ms_mean"`
	Servers        []DBServerSummary `json:"servers"`
}

func (s *Sim) dbSummary(span float64) *DBSummary {
	out := &DBSummary{Shards: s.db.shards, Replicas: s.db.replicas, MaxConnections: s.db.maxConns, Refused: s.db.refused}
	if pool := s.db.pool.summary("pool", s.now, span); s.db.pool.waited > 0 {
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
		if !d.active && st.stats.busy == 0 && st.q.len() == 0 {
			continue
		}
		sum := st.stats.summary(st.name, s.now, span)
		row := DBServerSummary{
			Name: st.name, Role: "primary", Shard: d.shard + 1, Replica: d.replica, Leaving: !d.active, Cores: sum.Servers,
			Utilization: sum.Utilization, ThroughputRPS: sum.ThroughputRPS, QueueMean: sum.QueueMean,
			WaitMsMean: sum.WaitMsMean, Connections: conns, Refused: d.refused,
			Busy: st.stats.busy, Queue: st.q.len(),
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
	// another buyer's: sold minus units gone from the stock. Oversold
	// is where they end up once the stock runs out.
	LostUpdates uint64 `json:"lost_updates"`
	// SoldOut counts buyers told there was nothing left.
	SoldOut       uint64  `json:"sold_out"`
	SoldWindow    uint64  `json:"sold_window"`
	SalesPerSec   float64 `json:"sales_per_second"`
	Conflicts     uint64  `json:"conflicts"`
	Retries       uint64  `json:"retries"`
	GaveUp        uint64  `json:"gave_up"`
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
	OrdersWritten uint64  `json:"orders_written"`
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
	for _, v := range m.stock {
		out.Left += v
	}
	// orders sold in Redis and still queued are not lost, only late
	if gone := m.initial - out.Left + m.pending; int64(m.lifeSold) > gone {
		out.LostUpdates = uint64(int64(m.lifeSold) - gone)
	}
	if int64(m.lifeSold) > m.initial {
		out.Oversold = m.lifeSold - uint64(m.initial)
	}
	if span > 0 {
		out.SalesPerSec = float64(m.sold) / span * 1e9
	}
	ls := m.locks.summary("lock", s.now, span)
	out.LockQueueMean, out.LockHoldMs = ls.QueueMean, ls.ServiceMsMean
	return out
}
