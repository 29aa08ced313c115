package sim

// fifo is a growable ring buffer of request ids. Once it has grown to the
// largest queue a run sees, pushing and popping allocate nothing.
//
// Every entry has a position, a number that counts pushes and never
// changes, so that a request killed while it waits leaves its queue in
// O(1) by its position: its entry becomes a hole, skipped when the head
// reaches it, and the others keep their order and positions.
type fifo struct {
	buf   []int32
	head  int    // index in buf of the entry at the head
	n     int    // entries from the head, holes included
	live  int    // entries that are not holes
	first uint64 // position of the entry at the head
}

// hole marks a removed entry.
const hole = -1

func (q *fifo) len() int { return q.live }

// push appends id and returns its position.
func (q *fifo) push(id int32) uint64 {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[q.at(q.n)] = id
	q.n++
	q.live++
	return q.first + uint64(q.n-1)
}

// at is the index in buf of the entry i from the head.
func (q *fifo) at(i int) int { return (q.head + i) & (len(q.buf) - 1) }

func (q *fifo) grow() {
	nb := make([]int32, q.grownSize())
	for i := 0; i < q.n; i++ {
		nb[i] = q.buf[q.at(i)]
	}
	q.buf, q.head = nb, 0
}

// grownSize is the buffer's length once it grows.
func (q *fifo) grownSize() int { return max(16, 2*len(q.buf)) }

// pop removes and returns the id at the head; q must not be empty.
func (q *fifo) pop() int32 {
	id := q.buf[q.head]
	q.advance()
	q.live--
	if q.live != q.n {
		q.trim() // holes left
	} else if q.n == 0 {
		q.head = 0
	}
	return id
}

// advance drops the entry at the head.
func (q *fifo) advance() {
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.first++
	q.n--
}

// trim drops the holes at the head and at the tail, so that the head is
// an id whenever the queue has one.
func (q *fifo) trim() {
	for q.n > 0 && q.buf[q.head] == hole {
		q.advance()
	}
	for q.n > 0 && q.buf[q.at(q.n-1)] == hole {
		q.n--
	}
	if q.n == 0 {
		q.head = 0
	}
}

// removeAt takes id, pushed at position pos, out of the queue, keeping
// the order of the rest. It reports whether id was there.
func (q *fifo) removeAt(pos uint64, id int32) bool {
	if pos < q.first || pos >= q.first+uint64(q.n) {
		return false
	}
	i := q.at(int(pos - q.first))
	if q.buf[i] != id {
		return false
	}
	q.buf[i] = hole
	q.live--
	q.trim()
	return true
}

// remove takes id out of the queue wherever it is, keeping the order of
// the rest: a scan, for queues whose entries do not know their
// position. It reports whether id was there.
func (q *fifo) remove(id int32) bool {
	for i := 0; i < q.n; i++ {
		if q.buf[q.at(i)] == id {
			return q.removeAt(q.first+uint64(i), id)
		}
	}
	return false
}
