package sim

// minHeap is a binary min-heap of int32: the exited workers of a node,
// so that a new worker takes the lowest free entry in O(log n) instead
// of a scan.
type minHeap []int32

func (h minHeap) len() int { return len(h) }

func (h *minHeap) clear() { *h = (*h)[:0] }

func (h *minHeap) push(x int32) {
	*h = append(*h, x)
	a := *h
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p] <= a[i] {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

// pop removes and returns the smallest element; h must not be empty.
func (h *minHeap) pop() int32 {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && a[c+1] < a[c] {
			c++
		}
		if a[i] <= a[c] {
			break
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
	*h = a
	return top
}
