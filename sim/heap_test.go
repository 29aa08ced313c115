package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestEventHeapOrder pushes and pops events in random interleavings, at
// times with many ties, at the clock's extremes and with late sequence
// numbers, and checks that the heap gives them back in (t, seq) order,
// every field intact, against a scan of those pushed and not yet popped.
func TestEventHeapOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	times := func() int64 {
		switch rng.IntN(8) {
		case 0:
			return 0
		case 1:
			return never - 1 - rng.Int64N(3)
		case 2:
			return rng.Int64N(1 << 62)
		}
		return rng.Int64N(20) // ties
	}
	for round := 0; round < 200; round++ {
		var h eventHeap
		var want []event
		seq := uint64(0)
		for op := 0; op < 2000; op++ {
			if len(want) > 0 && rng.IntN(3) == 0 {
				var got event
				h.popTo(&got)
				m := 0
				for i := range want {
					if want[i].before(&want[m]) {
						m = i
					}
				}
				if got != want[m] {
					t.Fatalf("round %d op %d: popped %+v, want %+v", round, op, got, want[m])
				}
				want = slices.Delete(want, m, m+1)
				continue
			}
			s := testSeq(rng, &seq)
			e := event{t: times(), seq: s, id: rng.Int32(), gen: rng.Uint32(), kind: evKind(rng.IntN(20)), sid: uint16(rng.Uint32())}
			h.push(e)
			want = append(want, e)
			if h.len() != len(want) {
				t.Fatalf("round %d op %d: %d events, want %d", round, op, h.len(), len(want))
			}
		}
	}
}

// testSeq returns the next of the sequence numbers counted by seq, late
// (as a scheduled change's) one time in ten.
func testSeq(rng *rand.Rand, seq *uint64) uint64 {
	s := *seq
	if rng.IntN(10) == 0 {
		s |= lateSeq
	}
	*seq++
	return s
}

// TestEarlier compares earlier with the two-field comparison it replaces
// across signs, ties and the sequence's top bit.
func TestEarlier(t *testing.T) {
	vals := []int64{0, 1, 2, never - 1, never, -1, -never - 1}
	seqs := []uint64{0, 1, lateSeq - 1, lateSeq, lateSeq + 1, ^uint64(0)}
	for _, a := range vals {
		for _, b := range vals {
			for _, x := range seqs {
				for _, y := range seqs {
					want := a < b || (a == b && x < y)
					if got := earlier(a, x, b, y); got != want {
						t.Errorf("earlier(%d, %d, %d, %d) = %v, want %v", a, x, b, y, got, want)
					}
				}
			}
		}
	}
}
