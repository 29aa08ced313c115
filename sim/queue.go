package sim

// fifo is a growable ring buffer of request ids. Once it has grown to the
// largest queue a run sees, pushing and popping allocate nothing.
type fifo struct {
	buf  []int32
	head int
	n    int
}

func (q *fifo) len() int { return q.n }

func (q *fifo) push(id int32) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = id
	q.n++
}

func (q *fifo) grow() {
	size := 2 * len(q.buf)
	if size == 0 {
		size = 16
	}
	nb := make([]int32, size)
	for i := 0; i < q.n; i++ {
		nb[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
	}
	q.buf, q.head = nb, 0
}

func (q *fifo) pop() int32 {
	id := q.buf[q.head]
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
	return id
}

// remove takes id out of the queue wherever it is, keeping the order of
// the rest. It is linear, and used only when a request is killed while
// waiting. It reports whether id was there.
func (q *fifo) remove(id int32) bool {
	for i := 0; i < q.n; i++ {
		if q.buf[(q.head+i)&(len(q.buf)-1)] != id {
			continue
		}
		for j := i; j < q.n-1; j++ {
			q.buf[(q.head+j)&(len(q.buf)-1)] = q.buf[(q.head+j+1)&(len(q.buf)-1)]
		}
		q.n--
		return true
	}
	return false
}
