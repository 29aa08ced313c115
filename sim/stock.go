package sim

import (
	"fmt"

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
	itemRN   *stream

	stock   []int64  // the database's value per item
	version []uint32 // the row version per item
	redis   []int64  // the Redis counter per item (redis strategy)
	// real is what is really left of each item: its quantity minus the
	// sales confirmed; below zero once it is oversold. The counters above
	// are what the strategies believe.
	real []int64
	// pendingItem counts each item's orders sold in Redis and not yet
	// written to the database (they will still take a unit from stock).
	pendingItem []int64
	// own is the part of each item's counter error that the current
	// phase's buyers made; the rest is inherited (there when the phase
	// began, or made since by an earlier phase's buyers still
	// finishing). Oversales spend the inherited error first.
	own []int64
	// fixLater marks items a reconcile must correct once their row lock
	// is released, as the DBA's UPDATE would wait for the lock; the
	// reconcile commits (and its phase begins) when none is left.
	fixLater     []bool
	fixWaiting   int
	fixCorrected int64 // the error the reconcile removed so far

	// a change between the database's counter and Redis's is a
	// migration (migrate): these keep its books per item
	migration

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
	lifeSold, oversold                                 uint64
	lost                                               int64 // net counter error of write-backs

	// phases: one begins at the start, at each change of strategy and at
	// each reconcile; the last maxStockPhases are kept
	phases    []stockPhase
	phaseBase uint32 // serial of phases[0]
}

// strategy is a topology.Strategy in a byte, for the request records;
// its claimOpen bit marks a transaction that has neither taken its unit
// nor given up (settle).
type strategy uint8

// claimOpen is strategy's bit of an open transaction.
const claimOpen strategy = 0x80

// of is the strategy without its bit.
func (st strategy) of() topology.Strategy { return topology.Strategy(st &^ claimOpen) }

// maxStockPhases is how many phases a run keeps: a key storm must not
// grow memory.
const maxStockPhases = 16

// stockPhase is a stretch of the sale under one strategy.
type stockPhase struct {
	start                        int64
	strategy                     topology.Strategy
	reconciled                   bool
	corrected, inheritedError    int64
	lost, late                   int64
	sold, overInherited, overOwn uint64
	lateSold                     uint64 // of sold, by buyers of earlier phases finishing
}

func (m *stockModel) init(seed uint64) {
	m.itemRN = newStream(seed, "stock/items")
	m.query.st = newStream(seed, "stock/query")
}

// configure applies the stock section. The stock itself is laid out once:
// a live edit changes the strategy, never what has been sold.
func (m *stockModel) configure(now int64, t *topology.Stock) {
	m.on = t != nil
	if t == nil {
		return
	}
	if m.stock != nil && family(t.Strategy) != family(m.strategy) {
		m.migrate(family(t.Strategy))
	}
	m.strategy = t.Strategy
	m.retries = t.Retries
	m.consumers = t.Consumers
	m.query = newSampler(t.Query, 1, m.query.st)
	if m.stock == nil {
		m.initial = int64(t.Items) * int64(t.Quantity)
		m.stock = make([]int64, t.Items)
		m.version = make([]uint32, t.Items)
		m.redis = make([]int64, t.Items)
		m.holder = make([]int32, t.Items)
		m.lockQ = make([]fifo, t.Items)
		m.real = make([]int64, t.Items)
		m.pendingItem = make([]int64, t.Items)
		m.own = make([]int64, t.Items)
		m.fixLater = make([]bool, t.Items)
		m.migration.init(t.Items)
		for i := range m.stock {
			m.stock[i], m.redis[i], m.real[i], m.holder[i] = int64(t.Quantity), int64(t.Quantity), int64(t.Quantity), -1
		}
		m.locks.setServers(now, t.Items)
		m.phases = make([]stockPhase, 0, maxStockPhases)
		m.beginPhase(now, false)
	} else if m.strategy != m.current().strategy {
		m.beginPhase(now, false)
	}
}

// current is the phase running now.
func (m *stockModel) current() *stockPhase { return &m.phases[len(m.phases)-1] }

// serial is the number of the current phase.
func (m *stockModel) serial() uint32 { return m.phaseBase + uint32(len(m.phases)) - 1 }

// phaseOf returns the phase of serial n, or nil when it is no longer
// kept.
func (m *stockModel) phaseOf(n uint32) *stockPhase {
	if n < m.phaseBase || n > m.serial() {
		return nil
	}
	return &m.phases[n-m.phaseBase]
}

// beginPhase starts a phase under the current strategy: what is wrong in
// the counters now is its inheritance.
func (m *stockModel) beginPhase(now int64, reconciled bool) {
	if len(m.phases) == maxStockPhases {
		copy(m.phases, m.phases[1:])
		m.phases = m.phases[:len(m.phases)-1]
		m.phaseBase++
	}
	p := stockPhase{start: now, strategy: m.strategy, reconciled: reconciled}
	for i := range m.stock {
		m.own[i] = 0
		p.inheritedError += m.excess(int32(i))
	}
	m.phases = append(m.phases, p)
}

// excess is how many units item i's selling counter claims beyond what
// is really left: the Redis counter under redis, else the database's
// count less the queued orders that will still take from it; with the
// units it holds back for another counter's buyers still finishing.
func (m *stockModel) excess(i int32) int64 {
	f := family(m.strategy)
	return m.counter(f, i) + m.held[1-f][i] - max(m.real[i], 0)
}

// confirm records a sale of item i, once the strategy's counter has
// taken it: one unit leaves the real stock. A sale of a unit that is no
// longer there is an oversale, paid for by a unit of the counter's
// error: the error inherited first, then the phase's own.
func (m *stockModel) confirm(i int32, n uint32) {
	p := m.current()
	if n != m.serial() {
		p.lateSold++
	}
	m.sold++
	m.lifeSold++
	p.sold++
	if m.real[i] <= 0 {
		m.oversold++
		// the counter has already dropped by the unit sold
		if m.excess(i)+1-m.own[i] > 0 {
			p.overInherited++
		} else {
			p.overOwn++
			m.own[i] = max(m.own[i]-1, 0)
		}
	}
	m.real[i]--
}

// lostUpdate records a write-back of item i by a buyer of phase n that
// left the counter wrong by d units (the decrements it overwrote).
func (m *stockModel) lostUpdate(i int32, n uint32, d int64) {
	if d == 0 {
		return
	}
	m.lost += d
	if p := m.phaseOf(n); p != nil {
		p.lost += d
	}
	if n == m.serial() {
		m.own[i] += d
	} else {
		// a buyer of an earlier phase still finishing
		m.current().late += d
	}
}

// clampOwn keeps item i's own error within its error.
func (m *stockModel) clampOwn(i int32) {
	m.own[i] = min(max(m.own[i], 0), max(m.excess(i), 0))
}

// pickItem draws the item of occasion k of request serial.
func (m *stockModel) pickItem(serial, k uint64) int32 {
	if len(m.stock) <= 1 {
		return 0
	}
	return int32(m.itemRN.at(serial, k).IntN(len(m.stock)))
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
	if r.phase == 0 {
		// a transaction begins: it runs the strategy deployed now to its end
		r.stockPhase, r.strategy = m.serial(), strategy(m.strategy)|claimOpen
		m.open[family(m.strategy)][r.item]++
	}
	switch r.strategy.of() {
	case topology.Atomic, topology.Redis:
		switch r.phase {
		case 0:
			r.phase = 1
			s.startCPU(id, s.demandAt(id, s.progs[r.prog].ops[r.pc].s.sample(r.serial, buyOccasion(r))))
		case 1:
			r.phase = 2
			if r.strategy.of() == topology.Atomic {
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
			m.settle(r, false)
			m.soldOut++
			if r.lockHeld {
				s.unlockRow(id)
				s.releasePool(id)
			}
			s.buyDone(id)
			return
		}
		r.phase = 2
		s.startCPU(id, s.demandAt(id, s.progs[r.prog].ops[r.pc].s.sample(r.serial, buyOccasion(r))))
	case 2:
		r.phase = 3
		s.query(id, s.itemServer(r.item))
	default:
		if r.ok {
			s.buyDone(id)
			return
		}
		// optimistic conflict: someone wrote the row since we read it;
		// a retry is a new transaction
		m.settle(r, false)
		if int(r.tries) >= m.retries {
			m.gaveUp++
			s.failOnWorker(id, failGaveUp)
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
	s.goOnFromWait(id)
}

// buyCommit applies request id's stock query at the moment it commits.
func (s *Sim) buyCommit(id int32) {
	r := &s.reqs[id]
	m := &s.stock
	i := r.item
	switch r.strategy.of() {
	case topology.Naive, topology.RowLock, topology.Optimistic:
		if r.phase == 1 { // SELECT
			r.val, r.ver = m.stock[i], m.version[i]
			return
		}
		// UPDATE
		if r.strategy.of() == topology.Optimistic && m.version[i] != r.ver {
			r.ok = false
			m.conflicts++
			return
		}
		// naive writes back what it read minus one, whatever happened
		// since: the lost update
		m.lostUpdate(i, r.stockPhase, r.val-m.stock[i])
		m.stock[i] = r.val - 1
		m.version[i]++
		r.ok = true
		m.settle(r, true)
		m.confirm(i, r.stockPhase)
		m.clampOwn(i)
		s.noteWrite(int(r.sid), -1)
		if r.lockHeld {
			s.unlockRow(id) // COMMIT
		}
	case topology.Atomic:
		sold := m.stock[i] > 0
		m.settle(r, sold)
		if sold {
			m.stock[i]--
			m.version[i]++
			m.confirm(i, r.stockPhase)
			s.noteWrite(int(r.sid), -1)
		} else {
			m.soldOut++
		}
		if r.lockHeld {
			s.unlockRow(id)
		}
	case topology.Redis:
		m.redis[i]--
		sold := m.redis[i] >= 0
		if !sold {
			m.redis[i]++ // INCR back: nothing to sell
		}
		m.settle(r, sold)
		if sold {
			m.confirm(i, r.stockPhase)
			s.enqueueOrder(i, r.serial)
		} else {
			m.soldOut++
		}
	}
}

// wantsRowLock reports whether request id's query must take its row's
// lock first: a SELECT ... FOR UPDATE always does; an UPDATE (a buyer's
// write, a consumer's order) does only while another transaction holds
// it, as Postgres makes it wait for that transaction to end. Plain
// SELECTs never wait for row locks.
func (s *Sim) wantsRowLock(id int32) bool {
	r := &s.reqs[id]
	m := &s.stock
	if !m.on || r.lockHeld {
		return false
	}
	if r.internal {
		return m.holder[r.item] >= 0
	}
	if s.progs[r.prog].ops[r.pc].kind != opBuy {
		return false
	}
	if r.strategy.of() == topology.RowLock && r.phase == 1 {
		return true
	}
	// the buyer's later query is its UPDATE
	return r.phase >= 2 && m.holder[r.item] >= 0
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
	m.commitDeferred(r.item)
	if m.fixLater[r.item] {
		s.fixCounter(r.item) // the waiting reconcile takes the lock first
		m.reconcileCommitted(s.now)
	}
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

// enqueueOrder queues a confirmed order for the consumers to write; it
// draws its random numbers as part of request serial, which sold it.
func (s *Sim) enqueueOrder(item int32, serial uint64) {
	s.stock.pending++
	s.stock.pendingItem[item]++
	id := s.allocInternal()
	r := &s.reqs[id]
	r.item = item
	r.serial = serial
	r.arrive = s.now
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
	if m.owed[r.item] > 0 {
		m.owed[r.item]-- // its unit left the count at a migration
	} else {
		m.stock[r.item]--
	}
	m.version[r.item]++
	m.written++
	m.pending--
	m.pendingItem[r.item]--
	m.orderLag.Record(s.now - r.arrive)
	s.noteWrite(int(r.sid), -1)
	if r.lockHeld {
		s.unlockRow(id)
	}
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

// ReconcileStock sets every item's stock counter to what is really left,
// as a DBA's UPDATE stock SET count = (quantity minus the orders) would:
// the database's count (less the orders still queued for it) and, under
// the redis strategy, Redis's counter too. The UPDATE bumps the row's
// version, so optimistic buyers that read before it retry; a row whose
// lock is held is corrected when its holder commits, as the UPDATE would
// wait for the lock. It commits, and a new phase begins, once every row
// is fixed. It reports how many units the counters claimed beyond the
// real stock. It is Do of an ActReconcile.
func (s *Sim) ReconcileStock() int64 {
	if !s.stock.on {
		return 0
	}
	if _, err := s.Do(topology.Change{Action: topology.ActReconcile, Source: topology.SourceKey}); err != nil {
		return 0
	}
	return s.tl.claimed
}

// reconcileStock is ReconcileStock's work; it says what it did.
func (s *Sim) reconcileStock() (int64, string) {
	m := &s.stock
	if !m.on {
		return 0, "no stock to reconcile"
	}
	var claimed int64
	for i := range m.stock {
		claimed += m.excess(int32(i))
	}
	var msg string
	switch {
	case claimed > 0:
		msg = fmt.Sprintf("stock reconciled: the counter claimed %d units already sold; set to the %d really left", claimed, m.realLeft())
	case claimed < 0:
		msg = fmt.Sprintf("stock reconciled: the counter was %d units short; set to the %d really left", -claimed, m.realLeft())
	default:
		msg = fmt.Sprintf("stock reconciled: the counter was right (%d left)", m.realLeft())
	}

	if m.fixWaiting == 0 {
		m.fixCorrected = 0
	}
	for i := range m.stock {
		if m.holder[i] >= 0 {
			if !m.fixLater[i] {
				m.fixLater[i] = true
				m.fixWaiting++
			}
			continue
		}
		s.fixCounter(int32(i))
	}
	m.reconcileCommitted(s.now)
	return claimed, msg
}

// fixCounter sets item i's counters to the real stock.
func (s *Sim) fixCounter(i int32) {
	m := &s.stock
	if m.fixLater[i] {
		m.fixLater[i] = false
		m.fixWaiting--
	}
	m.fixCorrected += m.excess(i)
	// each counter claims what is left less what it holds back for the
	// other counter's buyers still finishing
	real := max(m.real[i], 0)
	m.stock[i] = real - m.held[famRedis][i] + m.pendingItem[i] - m.owed[i]
	m.deferred[i] = 0
	m.version[i]++
	if m.strategy == topology.Redis {
		m.redis[i] = real - m.held[famDB][i]
	}
	s.noteWrite(s.itemServer(i), -1)
}

// reconcileCommitted begins the phase of a reconcile once it has fixed
// every row.
func (m *stockModel) reconcileCommitted(now int64) {
	if m.fixWaiting == 0 {
		m.beginPhase(now, true)
		m.current().corrected = m.fixCorrected
	}
}

// realLeft is the units really left, all items together.
func (m *stockModel) realLeft() int64 {
	var n int64
	for _, v := range m.real {
		n += max(v, 0)
	}
	return n
}
