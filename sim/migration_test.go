package sim

import (
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

// openBuyers counts the buyers in flight that have not yet taken their
// unit, per counter family, from a walk over the requests.
func openBuyers(s *Sim) (n [2]int64) {
	for id := range s.reqs {
		r := &s.reqs[id]
		if r.state != stFree && !r.internal && r.strategy&claimOpen != 0 {
			n[family(r.strategy.of())]++
		}
	}
	return n
}

// checkMigration asserts that the migration's books agree with a walk
// over the requests and that the counter holds nothing back for the
// family it sells from.
func checkMigration(t *testing.T, s *Sim) {
	t.Helper()
	m := &s.stock
	walk := openBuyers(s)
	for f := range m.open {
		var open, held int64
		for i := range m.stock {
			open += m.open[f][i]
			held += m.held[f][i]
			if m.held[f][i] < 0 || m.held[f][i] > m.open[f][i] {
				t.Fatalf("family %d item %d: %d units held for %d open buyers", f, i, m.held[f][i], m.open[f][i])
			}
		}
		if open != walk[f] {
			t.Fatalf("family %d: the books count %d open buyers, the requests %d", f, open, walk[f])
		}
		if f == family(m.strategy) && held != 0 {
			t.Fatalf("%v holds %d units back from its own buyers", m.strategy, held)
		}
	}
}

func TestSwitchMidFlightNeverOversells(t *testing.T) {
	// Every pair of consistent strategies, switched while hundreds of
	// buyers are in flight: the old buyers finish the old way, the new
	// counter starts from what the old one left less a unit for each of
	// them, and the sale sells exactly its stock (optimistic on one hot
	// row is too slow to finish it). A short timeout kills buyers
	// mid-transaction, whose held units must come back.
	consistent := []topology.Strategy{topology.RowLock, topology.Optimistic, topology.Atomic, topology.Redis}
	apps := []string{twoNodes, strings.Replace(twoNodes, "timeout: 30s", "timeout: 9ms", 1)}
	for _, from := range consistent {
		for _, to := range consistent {
			if from == to {
				continue
			}
			for k, app := range apps {
				text := strings.Replace(flashSale(from.String(), app, 1000), "quantity: 500", "quantity: 600", 1)
				s, err := New(parse(t, text), Options{Seed: uint64(k + 1)})
				if err != nil {
					t.Fatal(err)
				}
				s.Advance(300 * time.Millisecond)
				open := openBuyers(s)[family(from)]
				if open == 0 {
					t.Fatalf("%v → %v: no buyer in flight at the switch", from, to)
				}
				switchStrategy(t, s, to)
				checkMigration(t, s)
				s.Advance(s.Now() + 30*time.Second)
				checkConservation(t, s)
				checkMigration(t, s)
				st := s.Summary().Stock
				checkPhases(t, st)
				// with the short timeout optimistic buyers may give up
				// faster than they sell: the sale need not be over
				if st.Oversold != 0 || st.CounterError != 0 || st.Sold+uint64(st.RealLeft) != uint64(st.Initial) ||
					k == 0 && to != topology.Optimistic && (st.Left != 0 || st.RealLeft != 0) {
					t.Fatalf("%v → %v (%s), %d buyers in flight at the switch: %+v", from, to, app, open, st)
				}
				if k == 1 && st.Phases[1].Sold == 0 {
					t.Fatalf("%v → %v: the new strategy sold nothing: %+v", from, to, st.Phases)
				}
			}
		}
	}
}

func TestSwitchStormNeverOversells(t *testing.T) {
	// a switch every few milliseconds, across the consistent strategies
	// and back, with buyers of several earlier phases still finishing
	// and some killed by their timeout
	order := []topology.Strategy{topology.Atomic, topology.Redis, topology.RowLock, topology.Redis, topology.Optimistic, topology.Atomic, topology.Redis}
	for seed := uint64(1); seed <= seeds(4); seed++ {
		app := twoNodes
		if seed%2 == 0 {
			app = strings.Replace(twoNodes, "timeout: 30s", "timeout: 9ms", 1)
		}
		text := strings.Replace(flashSale("atomic", app, 2000), "items: 1, quantity: 500", "items: 3, quantity: 400", 1)
		s, err := New(parse(t, text), Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for k := range 60 {
			s.Advance(s.Now() + time.Duration(3+k%5)*time.Millisecond)
			switchStrategy(t, s, order[k%len(order)])
			checkMigration(t, s)
			if st := s.Summary().Stock; st.Oversold != 0 {
				t.Fatalf("seed %d, switch %d to %v: oversold %d", seed, k, order[k%len(order)], st.Oversold)
			}
		}
		s.Advance(s.Now() + 30*time.Second)
		checkConservation(t, s)
		checkMigration(t, s)
		st := s.Summary().Stock
		if st.Oversold != 0 || st.Sold != uint64(st.Initial) || st.Left != 0 || st.CounterError != 0 {
			t.Fatalf("seed %d: %+v", seed, st)
		}
	}
}

func TestLateSalesAreCountedAsTheirs(t *testing.T) {
	// the units atomic buyers in flight sell after the switch are sales
	// of the redis phase's time, and the phase says they were not its
	// buyers'
	s, err := New(parse(t, strings.Replace(flashSale("atomic", twoNodes, 1000), "quantity: 500", "quantity: 100000", 1)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(300 * time.Millisecond)
	open := openBuyers(s)[famDB]
	switchStrategy(t, s, topology.Redis)
	s.Advance(2 * time.Second)
	st := s.Summary().Stock
	checkPhases(t, st)
	late := st.Phases[1].LateSold
	if late == 0 || late > uint64(open) || st.Phases[0].LateSold != 0 {
		t.Fatalf("%d atomic buyers in flight at the switch; phases %+v", open, st.Phases)
	}
	if st.CounterError != 0 || st.Oversold != 0 {
		t.Fatalf("%+v", st)
	}
}
