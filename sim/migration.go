package sim

import "scalesim/topology"

// A strategy sells from one of two counters: the database's count (naive,
// row_lock, optimistic, atomic) or Redis's (redis). A live change between
// them is a migration, done as a careful operator would: the new counter
// starts from the stock that remains by the old one, less one unit for
// each transaction of the old strategy still in flight, which finishes
// the old way and may still take a unit from the old counter. A held unit
// its transaction did not take (sold out, killed, a conflict) goes to the
// new counter as the transaction ends. So a migration sells nothing that
// either counter would not have sold alone, and a consistent strategy
// never oversells because it was switched to mid-flight.

// counter families: the index of open and held
const (
	famDB = iota
	famRedis
)

// family is the counter strategy st sells from.
func family(st topology.Strategy) int {
	if st == topology.Redis {
		return famRedis
	}
	return famDB
}

// migration is the stock's books of migrations, per item.
type migration struct {
	// open counts the transactions of each family that have begun and
	// have neither taken their unit nor given up
	open [2][]int64
	// held counts the units held back from the current counter for the
	// other family's open transactions (held[current] is 0)
	held [2][]int64
	// owed counts the orders sold in Redis whose unit a migration to the
	// database already took off its count: written, they take no other
	owed []int64
	// deferred is a migration's change to the database's count of a row
	// whose lock a transaction held: the migration's UPDATE waits for
	// the lock, as a reconcile's does, and adds it at the COMMIT
	deferred []int64
}

func (g *migration) init(items int) {
	for f := range g.open {
		g.open[f] = make([]int64, items)
		g.held[f] = make([]int64, items)
	}
	g.owed = make([]int64, items)
	g.deferred = make([]int64, items)
}

// counter is what family f's counter says is left of item i: Redis's
// counter, or the database's count less the orders still to take from
// it.
func (m *stockModel) counter(f int, i int32) int64 {
	if f == famRedis {
		return m.redis[i]
	}
	return m.dbCount(i) - (m.pendingItem[i] - m.owed[i])
}

// dbCount is the database's count of item i once every UPDATE waiting
// for its row lock has committed.
func (m *stockModel) dbCount(i int32) int64 { return m.stock[i] + m.deferred[i] }

// migrate moves the sale to counter family to, from the other.
func (m *stockModel) migrate(to int) {
	from := 1 - to
	for i := range m.stock {
		// the units the old counter held back for transactions of the
		// new family still in flight go back to it first
		if h := m.held[to][i]; h > 0 {
			m.held[to][i] = 0
			if from == famRedis {
				m.redis[i] += h
			} else {
				m.addToCount(int32(i), h)
			}
		}
		left := m.counter(from, int32(i))
		hold := min(m.open[from][i], max(left, 0))
		m.held[from][i] = hold
		if to == famRedis {
			m.redis[i] = left - hold
			continue
		}
		// the database's count is set to what is left; the orders queued
		// for it, sold already, then take no other unit
		m.owed[i] = m.pendingItem[i]
		if m.holder[i] >= 0 {
			m.deferred[i] = left - hold - m.stock[i]
			continue
		}
		m.stock[i], m.deferred[i] = left-hold, 0
		m.version[i]++
	}
}

// addToCount adds d units to the database's count of item i, once its
// row lock is free.
func (m *stockModel) addToCount(i int32, d int64) {
	if m.holder[i] >= 0 {
		m.deferred[i] += d
		return
	}
	m.stock[i] += d
	m.version[i]++
}

// commitDeferred adds the migration's change to item i's count once its
// row lock is released.
func (m *stockModel) commitDeferred(i int32) {
	if d := m.deferred[i]; d != 0 {
		m.stock[i] += d
		m.deferred[i] = 0
		m.version[i]++
	}
}

// settle ends request r's claim on a unit of its item: it took one
// (sold) or gave up. A unit held for it and not taken goes to the current
// counter, as does any unit held beyond the transactions still open.
func (m *stockModel) settle(r *request, sold bool) {
	if r.strategy&claimOpen == 0 {
		return
	}
	r.strategy &^= claimOpen
	f, i := family(r.strategy.of()), r.item
	m.open[f][i]--
	if f == family(m.strategy) {
		return
	}
	if sold && m.held[f][i] > 0 {
		m.held[f][i]--
		if f == famRedis {
			m.owed[i]++ // its order's unit is off the database's count
		}
	}
	if extra := m.held[f][i] - m.open[f][i]; extra > 0 {
		m.held[f][i] -= extra
		if f == famRedis {
			m.addToCount(i, extra)
		} else {
			m.redis[i] += extra
		}
	}
}

// dropClaim gives up the claim of request id, which ends before it took
// its unit (killed, failed).
func (s *Sim) dropClaim(id int32) {
	if r := &s.reqs[id]; r.strategy&claimOpen != 0 {
		s.stock.settle(r, false)
	}
}
