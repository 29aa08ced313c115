package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestEventQueueOrder schedules events of the slots' kinds and others in
// random interleavings, with ties and late sequence numbers, and checks
// that the queue gives them back in (t, seq) order, every field intact,
// up to a random end time, against a scan of those scheduled and not yet
// taken: the slots change where an event waits, never which comes next.
func TestEventQueueOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	kinds := []evKind{evArrival, evCPUDone, evCPUDone, evTick, evHop, evChange}
	sim := new(Sim)
	for round := 0; round < 200; round++ {
		sim.heap = eventQueue{}
		q := &sim.heap
		q.init()
		var want []event
		seq := uint64(0)
		now := int64(0)
		for op := 0; op < 2000; op++ {
			if len(want) > 0 && rng.IntN(2) == 0 {
				end := now + rng.Int64N(8)
				m := -1
				for i := range want {
					if want[i].t <= end && (m < 0 || want[i].before(&want[m])) {
						m = i
					}
				}
				first := 0
				for i := range want {
					if want[i].before(&want[first]) {
						first = i
					}
				}
				if got := *q.top(); got != want[first] {
					t.Fatalf("round %d op %d: top %+v, want %+v", round, op, got, want[first])
				}
				if got := q.due(end); got != (m >= 0) {
					t.Fatalf("round %d op %d: due(%d) = %v, want %v", round, op, end, got, m >= 0)
				}
				var got event
				ok := q.popUntil(end, &got)
				if ok != (m >= 0) {
					t.Fatalf("round %d op %d: popUntil(%d) = %v, want %v", round, op, end, ok, m >= 0)
				}
				if !ok {
					continue
				}
				if got != want[m] {
					t.Fatalf("round %d op %d: took %+v, want %+v", round, op, got, want[m])
				}
				now = got.t
				want = slices.Delete(want, m, m+1)
				continue
			}
			s := testSeq(rng, &seq)
			e := event{t: now + rng.Int64N(20), seq: s, id: rng.Int32(), gen: rng.Uint32(), kind: kinds[rng.IntN(len(kinds))], sid: uint16(rng.Uint32())}
			if k := slotOf(e.kind); k >= 0 && rng.IntN(2) == 0 && s&lateSeq == 0 {
				sim.seq = s
				sim.scheduleIn(k, e.t, e.kind, e.id, e.gen, e.sid)
			} else {
				q.push(e)
			}
			want = append(want, e)
			if q.len() != len(want) || len(q.events()) != len(want) {
				t.Fatalf("round %d op %d: %d events (%d listed), want %d", round, op, q.len(), len(q.events()), len(want))
			}
		}
	}
}
