package sim

// connTree finds the node least_conn sends the next request to in
// O(log nodes) rather than a scan of every node: among the nodes the
// load balancer may pick, the one with the fewest requests in flight,
// the lowest-numbered among equals. It is a tournament tree over the
// node indices: each leaf holds its node's key, each inner entry the
// least of its two children.
type connTree struct {
	size int      // leaves: a power of two, at least the nodes
	t    []uint64 // t[1] is the root; leaf i is t[size+i]
	on   bool     // the balancer's policy is least_conn: kept up to date
}

// connKey orders the nodes: fewer requests in flight first, then a lower
// index; a node the balancer may not pick has noFree.
func connKey(n *node, i int, eligible bool) uint64 {
	if !eligible {
		return noFree
	}
	return uint64(n.inflight)<<32 | uint64(i)
}

// set gives node i its key after its requests in flight changed; i must
// be a leaf (rebuild grows the tree).
func (c *connTree) set(i int, key uint64) {
	k := c.size + i
	if c.t[k] == noFree {
		return // not eligible: its count does not rank it
	}
	c.t[k] = key
	for k > 1 {
		k /= 2
		c.t[k] = min(c.t[2*k], c.t[2*k+1])
	}
}

// rebuild keys every node again after the eligible ones changed.
func (c *connTree) rebuild(nodes []*node, eligible []int32) {
	size := max(1, c.size)
	for size < len(nodes) {
		size *= 2
	}
	if size != c.size || c.t == nil {
		c.size = size
		c.t = make([]uint64, 2*size)
	}
	for i := range c.t[c.size:] {
		c.t[c.size+i] = noFree
	}
	for _, ni := range eligible {
		c.t[c.size+int(ni)] = connKey(nodes[ni], int(ni), true)
	}
	for k := c.size - 1; k >= 1; k-- {
		c.t[k] = min(c.t[2*k], c.t[2*k+1])
	}
}

// best returns the node with the fewest requests in flight, or -1.
func (c *connTree) best() int {
	if c.size == 0 || c.t[1] == noFree {
		return -1
	}
	return int(uint32(c.t[1]))
}

// addInflight changes node ni's requests in flight by d.
func (s *Sim) addInflight(ni int, d int) {
	n := s.nodes[ni]
	n.inflight += d
	if s.conns.on {
		s.conns.moved(ni, n.inflight)
	}
}

// moved re-keys node ni, which has inflight requests in flight now.
//
//go:noinline
func (c *connTree) moved(ni, inflight int) {
	if ni < c.size {
		c.set(ni, uint64(inflight)<<32|uint64(ni))
	}
}
