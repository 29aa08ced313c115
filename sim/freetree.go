package sim

import "math"

// freeTree finds the worker of a node that takes the next request in
// O(log n) rather than a scan of every worker: the active worker with
// the most free slots, the lowest-numbered among equals. It is a
// tournament tree over the node's worker entries: each leaf holds its
// worker's rank, each inner entry the least of its two children.
type freeTree struct {
	size int      // leaves: a power of two, at least the worker entries
	t    []uint64 // t[1] is the root; leaf i is t[size+i]
}

// noFree is the rank of a worker that cannot take a request.
const noFree = math.MaxUint64

// rank orders workers: fewer free slots rank higher (worse), then a
// higher index. A worker retiring, gone or full has none.
func rank(w *worker, i int) uint64 {
	free := w.slots - w.busy
	if !w.active() || free <= 0 {
		return noFree
	}
	return uint64(math.MaxInt32-free)<<32 | uint64(i)
}

// set gives worker i of workers its current rank, growing the tree when
// i is past its leaves.
func (f *freeTree) set(workers []worker, i int) {
	if i >= f.size {
		f.rebuild(workers)
		return
	}
	k := f.size + i
	v := rank(&workers[i], i)
	if f.t[k] == v {
		return // nothing above it changes
	}
	f.t[k] = v
	for k > 1 {
		k /= 2
		m := min(f.t[2*k], f.t[2*k+1])
		if f.t[k] == m {
			return // nor above this
		}
		f.t[k] = m
	}
}

// rebuild ranks every worker again, with room for twice as many.
func (f *freeTree) rebuild(workers []worker) { f.reserve(workers, len(workers)) }

// reserve rebuilds the tree with room for at least n worker entries.
func (f *freeTree) reserve(workers []worker, n int) {
	size := max(1, f.size)
	for size < max(n, len(workers)) {
		size *= 2
	}
	if size != f.size {
		f.size = size
		f.t = make([]uint64, 2*size)
	}
	for i := range f.size {
		r := uint64(noFree)
		if i < len(workers) {
			r = rank(&workers[i], i)
		}
		f.t[f.size+i] = r
	}
	for k := f.size - 1; k >= 1; k-- {
		f.t[k] = min(f.t[2*k], f.t[2*k+1])
	}
}

// best returns the worker that takes the next request, or -1.
func (f *freeTree) best() int32 {
	if f.size == 0 || f.t[1] == noFree {
		return -1
	}
	return int32(f.t[1] & math.MaxUint32)
}
