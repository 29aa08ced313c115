package sim

import (
	"math"

	"scalesim/topology"
)

// A live edit may add, remove, rename or reorder request classes. What
// the engine keeps by class (the window's latencies, the whole run's
// counts, the client policies and their retry budgets, the class of each
// request in flight) follows each class to its new place, so that an
// edit that reorders classes never credits one class with another's
// requests.

// goneClass is the class of a request whose class a live edit removed:
// beyond every class, so it has no client policy, is not retried and
// counts in no class's figures.
const goneClass = int32(math.MaxInt32)

// classMap returns, for each class of old, its index in new: the class
// of the same name, else (a class renamed in place) the class at the
// same position when old's name is gone from new and new's name is not
// in old; else goneClass.
func classMap(old, new []topology.RequestClass) []int32 {
	inNew := make(map[string]int32, len(new))
	for i := range new {
		inNew[new[i].Name] = int32(i)
	}
	inOld := make(map[string]bool, len(old))
	for i := range old {
		inOld[old[i].Name] = true
	}
	perm := make([]int32, len(old))
	for i := range old {
		switch j, ok := inNew[old[i].Name]; {
		case ok:
			perm[i] = j
		case i < len(new) && !inOld[new[i].Name]:
			perm[i] = int32(i)
		default:
			perm[i] = goneClass
		}
	}
	return perm
}

// inverse returns, for each of n new classes, the old class that moved
// there, or -1 for a class new in the edit.
func inverse(perm []int32, n int) []int32 {
	inv := make([]int32, n)
	for i := range inv {
		inv[i] = -1
	}
	for oi, ni := range perm {
		if ni != goneClass {
			inv[ni] = int32(oi)
		}
	}
	return inv
}

// moved is where class c is after an edit that moved classes by perm.
func moved(perm []int32, c int32) int32 {
	if c < 0 || int(c) >= len(perm) {
		return goneClass
	}
	return perm[c]
}

// remapClasses moves what the engine keeps by class index to the
// classes' new places; n is the number of classes after the edit. It
// runs once per edit, not per event.
func (s *Sim) remapClasses(perm []int32, n int) {
	if n != 1 || len(perm) != 1 || perm[0] != 0 {
		// the class's figures shared with the totals become its own
		s.classLat.split(s.latency.window())
		s.life.split()
	}
	inv := inverse(perm, n)
	lat := make([]Histogram, n)
	life := make([]ClassLifetime, n)
	for ni, oi := range inv {
		if oi < 0 {
			continue
		}
		if int(oi) < len(s.classLat.lat) {
			lat[ni] = s.classLat.lat[oi]
		}
		if int(oi) < len(s.life.classes) {
			life[ni] = s.life.classes[oi]
		}
	}
	s.classLat.lat, s.life.classes = lat, life
	for i := range s.cl.reqs {
		s.cl.reqs[i].class = moved(perm, s.cl.reqs[i].class)
	}
	for i := range s.reqs {
		s.reqs[i].class = moved(perm, s.reqs[i].class)
	}
}
