package sim

// runQueue is an app node's run queue: a fifo of the requests whose
// threads are runnable, and beside each entry the virtual runtime and
// deadline its thread had when it was queued. A queued thread's v and d
// do not change until it leaves the queue (they move only on a core, or
// when it wakes), so EEVDF's search for the thread to run next reads
// them here, one array in order, rather than through each request's
// worker to its thread. Every push goes through pushKey.
type runQueue struct {
	fifo
	keys []vkey // keys[i] belongs to the entry at buf[i]
}

// vkey is a queued thread's virtual runtime and deadline.
type vkey struct{ v, d int64 }

// pushKey appends id, whose thread has virtual runtime v and deadline d,
// and returns its position.
func (q *runQueue) pushKey(id int32, v, d int64) uint64 {
	if q.n == len(q.buf) {
		q.growKeys() // before push grows buf: both from the same head
	}
	pos := q.push(id)
	q.keys[q.at(q.n-1)] = vkey{v: v, d: d}
	return pos
}

// growKeys makes room for the keys of a buffer about to grow, laid out
// as fifo.grow lays out the ids: the entry at the head first.
func (q *runQueue) growKeys() {
	nk := make([]vkey, q.grownSize())
	for i := 0; i < q.n; i++ {
		nk[i] = q.keys[q.at(i)]
	}
	q.keys = nk
}

// keyAt is the key of the entry at position pos, which is queued.
func (q *runQueue) keyAt(pos uint64) *vkey { return q.key(int(pos - q.first)) }

// key is the key of the entry i from the head.
func (q *runQueue) key(i int) *vkey { return &q.keys[q.at(i)] }
