package sim

import (
	"math/rand/v2"

	"scalesim/topology"
)

// stockModel is the goods of a flash sale and how buyers keep them
// consistent. Overselling, lock queues and conflicts are not computed:
// they happen when buyers' queries interleave in the engine.
type stockModel struct {
	on       bool
	strategy topology.Strategy
	initial  int64
	retries  int
	query    sampler
	itemRN   *rand.Rand

	stock   []int64  // the database's value per item
	version []uint32 // the row version per item
	redis   []int64  // the Redis counter per item (redis strategy)

	// row locks
	holder []int32 // request holding each item's lock, -1 if none
	lockQ  []fifo
	locks  stationStats // servers: items; busy: locks held; queue: waiters
	lockW  Histogram    // lock waits, measured window

	// orders queued by the redis strategy
	consumers, busyConsumers int
	orders                   fifo
	pending                  int64 // confirmed orders not yet in the database
	orderLag                 Histogram

	// outcomes (measured window) and over the whole run
	sold, soldOut, conflicts, retried, gaveUp, written uint64
	lifeSold                                           uint64
}

func (m *stockModel) init(seed uint64) {
	m.itemRN = stream(seed, "stock/items")
	m.query.rng = stream(seed, "stock/query")
}

// configure applies the stock section. The stock itself is laid out once:
// a live edit changes the strategy, never what has been sold.
func (m *stockModel) configure(now int64, t *topology.Stock) {
	m.on = t != nil
	if t == nil {
		return
	}
	if m.stock != nil && t.Strategy == topology.Redis && m.strategy != topology.Redis {
		// switching to redis loads the database's count into Redis
		copy(m.redis, m.stock)
	}
	m.strategy = t.Strategy
	m.retries = t.Retries
	m.consumers = t.Consumers
	rng := m.query.rng
	m.query = newSampler(t.Query, 1, rng)
	if m.stock == nil {
		m.initial = int64(t.Items) * int64(t.Quantity)
		m.stock = make([]int64, t.Items)
		m.version = make([]uint32, t.Items)
		m.redis = make([]int64, t.Items)
		m.holder = make([]int32, t.Items)
		m.lockQ = make([]fifo, t.Items)
		for i := range m.stock {
			m.stock[i], m.redis[i], m.holder[i] = int64(t.Quantity), int64(t.Quantity), -1
		}
		m.locks.setServers(now, t.Items)
	}
}

func (m *stockModel) pickItem() int32 {
	if len(m.stock) <= 1 {
		return 0
	}
	return int32(m.itemRN.IntN(len(m.stock)))
}

func (m *stockModel) resetStats(now int64) {
	m.sold, m.soldOut, m.conflicts, m.retried, m.gaveUp, m.written = 0, 0, 0, 0, 0, 0
	m.locks.reset(now)
	m.lockW.Reset()
	m.orderLag.Reset()
}

// itemServer is the primary holding item's row.
func (s *Sim) itemServer(item int32) int { return s.primary(int(item) % s.db.shards) }

// buyNext runs the app's side of request id's buy step, one sub-step at
// a time: at the start (phase 0) and whenever a query or the app code
// ends.
//
//	naive, row_lock, optimistic: SELECT (1), app code (2), UPDATE (3)
//	atomic:                      app code (1), conditional UPDATE (2)
//	redis:                       app code (1), DECR in Redis (2)
func (s *Sim) buyNext(id int32) {
	r := &s.reqs[id]
	m := &s.stock
	switch m.strategy {
	case topology.Atomic, topology.Redis:
		switch r.phase {
		case 0:
			r.phase = 1
			s.startCPU(id, s.progs[r.prog].ops[r.pc].s.sample())
		case 1:
			r.phase = 2
			if m.strategy == topology.Atomic {
				s.query(id, s.itemServer(r.item))
			} else {
				s.visit(id, sidCache)
			}
		default:
			s.buyDone(id)
		}
		return
	}
	switch r.phase {
	case 0:
		r.phase = 1
		s.query(id, s.itemServer(r.item))
	case 1:
		if r.val <= 0 {
			// sold out: the transaction ends here
			m.soldOut++
			if r.lockHeld {
				s.unlockRow(id)
				s.releasePool(id)
			}
			s.buyDone(id)
			return
		}
		r.phase = 2
		s.startCPU(id, s.progs[r.prog].ops[r.pc].s.sample())
	case 2:
		r.phase = 3
		s.query(id, s.itemServer(r.item))
	default:
		if r.ok {
			s.buyDone(id)
			return
		}
		// optimistic conflict: someone wrote the row since we read it
		if int(r.tries) >= m.retries {
			m.gaveUp++
			s.failOnWorker(id)
			return
		}
		r.tries++
		m.retried++
		r.phase = 0
		s.buyNext(id)
	}
}

func (s *Sim) buyDone(id int32) {
	s.reqs[id].pc++
	s.step(id)
}

// buyCommit applies request id's stock query at the moment it commits.
func (s *Sim) buyCommit(id int32) {
	r := &s.reqs[id]
	m := &s.stock
	i := r.item
	switch m.strategy {
	case topology.Naive, topology.RowLock, topology.Optimistic:
		if r.phase == 1 { // SELECT
			r.val, r.ver = m.stock[i], m.version[i]
			return
		}
		// UPDATE
		if m.strategy == topology.Optimistic && m.version[i] != r.ver {
			r.ok = false
			m.conflicts++
			return
		}
		// naive writes back what it read minus one, whatever happened
		// since: the lost update
		m.stock[i] = r.val - 1
		m.version[i]++
		r.ok = true
		m.sold++
		m.lifeSold++
		s.noteWrite(int(r.sid), -1)
		if r.lockHeld {
			s.unlockRow(id) // COMMIT
		}
	case topology.Atomic:
		if m.stock[i] > 0 {
			m.stock[i]--
			m.version[i]++
			m.sold++
			m.lifeSold++
			s.noteWrite(int(r.sid), -1)
		} else {
			m.soldOut++
		}
	case topology.Redis:
		m.redis[i]--
		if m.redis[i] >= 0 {
			m.sold++
			m.lifeSold++
			s.enqueueOrder(i)
		} else {
			m.redis[i]++ // INCR back: nothing to sell
			m.soldOut++
		}
	}
}

// wantsRowLock reports whether request id's query is a SELECT ... FOR
// UPDATE that must take its row lock first.
func (s *Sim) wantsRowLock(id int32) bool {
	r := &s.reqs[id]
	return !r.internal && s.stock.on && s.stock.strategy == topology.RowLock && !r.lockHeld &&
		s.progs[r.prog].ops[r.pc].kind == opBuy && r.phase == 1
}

// lockRow takes request id's row lock, or queues it; it reports whether
// the lock was taken.
func (s *Sim) lockRow(id int32) bool {
	r := &s.reqs[id]
	m := &s.stock
	r.lockT = s.now
	if m.holder[r.item] < 0 {
		s.grantLock(id)
		return true
	}
	m.lockQ[r.item].push(id)
	m.locks.addQueued(s.now, 1)
	s.setState(id, stLockWait)
	return false
}

func (s *Sim) grantLock(id int32) {
	r := &s.reqs[id]
	m := &s.stock
	m.holder[r.item] = id
	r.lockHeld = true
	w := s.now - r.lockT
	m.locks.started(w)
	m.lockW.Record(w)
	m.locks.addBusy(s.now, 1)
	r.lockT = s.now
}

// unlockRow releases request id's row lock (COMMIT or ROLLBACK) and hands
// it to the next waiter, whose SELECT then runs.
func (s *Sim) unlockRow(id int32) {
	r := &s.reqs[id]
	m := &s.stock
	r.lockHeld = false
	m.holder[r.item] = -1
	m.locks.addBusy(s.now, -1)
	m.locks.finished(s.now - r.lockT)
	if q := &m.lockQ[r.item]; q.len() > 0 {
		next := q.pop()
		m.locks.addQueued(s.now, -1)
		s.grantLock(next)
		s.queueForServer(next)
	}
}

// leaveLockQueue takes a killed request out of its row's lock queue.
func (s *Sim) leaveLockQueue(id int32) {
	r := &s.reqs[id]
	if s.stock.lockQ[r.item].remove(id) {
		s.stock.locks.addQueued(s.now, -1)
	}
}

// enqueueOrder queues a confirmed order for the consumers to write.
func (s *Sim) enqueueOrder(item int32) {
	s.stock.pending++
	id := s.allocInternal()
	r := &s.reqs[id]
	r.item = item
	r.lockT = s.now
	m := &s.stock
	if m.busyConsumers < m.consumers {
		s.startOrder(id)
		return
	}
	m.orders.push(id)
}

func (s *Sim) startOrder(id int32) {
	s.stock.busyConsumers++
	s.query(id, s.itemServer(s.reqs[id].item))
}

// orderCommitted: the order's INSERT and stock UPDATE committed.
func (s *Sim) orderCommitted(id int32) {
	r := &s.reqs[id]
	m := &s.stock
	m.stock[r.item]--
	m.version[r.item]++
	m.written++
	m.pending--
	m.orderLag.Record(s.now - r.lockT)
	s.noteWrite(int(r.sid), -1)
}

// orderDone frees the consumer for the next queued order.
func (s *Sim) orderDone(id int32) {
	m := &s.stock
	s.release(id)
	m.busyConsumers--
	for m.busyConsumers < m.consumers && m.orders.len() > 0 {
		s.startOrder(m.orders.pop())
	}
}
