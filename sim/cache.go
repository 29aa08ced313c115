package sim

import (
	"math"
	"math/rand/v2"

	"scalesim/topology"
)

// cacheModel decides cache hits. With a fixed hit ratio a hit is a coin
// flip on its own stream; with a key space, requests read Zipf-distributed
// keys and a hit is a key found in an LRU of limited capacity whose
// entries expire after a TTL, so the hit ratio emerges from the traffic.
type cacheModel struct {
	on       bool
	down     bool // stopped by a change: every read a miss
	latency  sampler
	hitRatio float64
	coinRN   *stream
	keyRN    *stream

	keys bool
	zipf zipf
	lru  lru
	ttl  int64

	hits, misses uint64 // measured window
}

func (c *cacheModel) init(seed uint64) {
	c.coinRN = newStream(seed, "cache/hit")
	c.keyRN = newStream(seed, "cache/keys")
	c.latency.st = newStream(seed, "cache/latency")
}

// configure applies the cache section (nil turns the cache off). The
// LRU's contents survive a change of capacity as far as they fit.
func (c *cacheModel) configure(t *topology.Cache) {
	c.on = t != nil && !t.Disabled
	if t == nil {
		return
	}
	c.latency = newSampler(t.Latency, 1, c.latency.st)
	c.hitRatio = t.HitRatio
	c.keys = t.Keys != nil
	if !c.keys {
		return
	}
	k := t.Keys
	if c.zipf.n != k.Count || c.zipf.s != k.Zipf {
		c.zipf = newZipf(k.Count, k.Zipf)
	}
	if c.lru.cap == 0 || c.lru.keys != k.Count {
		c.lru.setKeys(k.Count)
		c.lru.keys = k.Count
	}
	c.lru.resize(k.Capacity)
	c.ttl = int64(k.TTL)
}

// pickKey draws the key of occasion k of request serial.
func (c *cacheModel) pickKey(serial, k uint64) int32 {
	if !c.keys {
		return 0
	}
	return int32(c.zipf.sample(c.keyRN.at(serial, k)))
}

// lookup reports whether key is cached now, and counts the outcome; with
// a fixed hit ratio the coin is occasion k of request serial.
func (c *cacheModel) lookup(key int32, now int64, serial, k uint64) bool {
	var hit bool
	if c.keys {
		hit = c.lru.get(key, now)
	} else {
		hit = c.coinRN.at(serial, k).Float64() < c.hitRatio
	}
	if hit {
		c.hits++
	} else {
		c.misses++
	}
	return hit
}

func (c *cacheModel) set(key int32, now int64) {
	if c.keys {
		exp := int64(math.MaxInt64)
		if c.ttl > 0 {
			exp = later(now, c.ttl)
		}
		c.lru.put(key, exp)
	}
}

// flush empties the cache (a restart, or FLUSHALL).
func (c *cacheModel) flush() { c.lru.clear() }

func (c *cacheModel) resetStats() { c.hits, c.misses = 0, 0 }

// zipf draws integers in [0, n) with P(k) proportional to 1/(k+1)^s, for
// any s >= 0, in constant memory, by rejection-inversion (Hörmann and
// Derflinger, 1996).
type zipf struct {
	n                     int
	s                     float64
	hIntX1, hIntN, sConst float64
}

func newZipf(n int, s float64) zipf {
	z := zipf{n: n, s: s}
	if s == 0 {
		return z
	}
	z.hIntX1 = z.hInt(1.5) - 1
	z.hIntN = z.hInt(float64(n) + 0.5)
	z.sConst = 2 - z.hIntInv(z.hInt(2.5)-z.h(2))
	return z
}

func (z *zipf) sample(rng *rand.Rand) int {
	if z.s == 0 {
		return rng.IntN(z.n)
	}
	for {
		u := z.hIntN + rng.Float64()*(z.hIntX1-z.hIntN)
		x := z.hIntInv(u)
		k := math.Floor(x + 0.5)
		if k < 1 {
			k = 1
		} else if k > float64(z.n) {
			k = float64(z.n)
		}
		if k-x <= z.sConst || u >= z.hInt(k+0.5)-z.h(k) {
			return int(k) - 1
		}
	}
}

// h(x) = x^-s; hInt is its integral, hIntInv the inverse of hInt.
func (z *zipf) h(x float64) float64 { return math.Exp(-z.s * math.Log(x)) }

func (z *zipf) hInt(x float64) float64 {
	lx := math.Log(x)
	return helper2((1-z.s)*lx) * lx
}

func (z *zipf) hIntInv(x float64) float64 {
	t := x * (1 - z.s)
	if t < -1 {
		t = -1 // guards rounding at the edge
	}
	return math.Exp(helper1(t) * x)
}

// helper1(x) = log(1+x)/x, helper2(x) = (exp(x)-1)/x, both 1 at x = 0.
func helper1(x float64) float64 {
	if math.Abs(x) > 1e-8 {
		return math.Log1p(x) / x
	}
	return 1 - x*(0.5-x*(1.0/3-0.25*x))
}

func helper2(x float64) float64 {
	if math.Abs(x) > 1e-8 {
		return math.Expm1(x) / x
	}
	return 1 + x*0.5*(1+x*(1.0/3)*(1+0.25*x))
}

// lru is a fixed-capacity least-recently-used set of keys with expiry
// times: an index from key to slot and a doubly linked list over slots.
// The index is a dense array for key spaces up to denseKeys keys (no
// hashing, no allocation), a map above.
type lru struct {
	dense      []int32 // slot+1 by key; 0 when absent
	slot       map[int32]int32
	key        []int32
	exp        []int64
	prev, next []int32
	head, tail int32 // most and least recently used; -1 when empty
	keys       int   // size of the key space
	size, cap  int
}

// denseKeys is the largest key space indexed by a dense array (64 MiB).
const denseKeys = 1 << 24

// setKeys sizes the index for keys in [0, count).
func (l *lru) setKeys(count int) {
	if count <= denseKeys {
		if len(l.dense) != count {
			l.dense = make([]int32, count)
			l.slot = nil
		}
	} else if l.slot == nil {
		l.dense = nil
		l.slot = make(map[int32]int32)
	}
	l.head, l.tail, l.size = -1, -1, 0
}

func (l *lru) lookupSlot(key int32) (int32, bool) {
	if l.dense != nil {
		i := l.dense[key] - 1
		return i, i >= 0
	}
	i, ok := l.slot[key]
	return i, ok
}

func (l *lru) setSlot(key, i int32) {
	if l.dense != nil {
		l.dense[key] = i + 1
		return
	}
	l.slot[key] = i
}

func (l *lru) delSlot(key int32) {
	if l.dense != nil {
		l.dense[key] = 0
		return
	}
	delete(l.slot, key)
}

func (l *lru) resize(capacity int) {
	for l.size > capacity {
		l.evict()
	}
	if capacity > len(l.key) {
		// keep live entries in their slots; new slots join the free pool
		grow := capacity - len(l.key)
		l.key = append(l.key, make([]int32, grow)...)
		l.exp = append(l.exp, make([]int64, grow)...)
		l.prev = append(l.prev, make([]int32, grow)...)
		l.next = append(l.next, make([]int32, grow)...)
	}
	l.cap = capacity
	l.compact()
}

// compact moves the live entries into slots [0, size) so that the free
// slots are exactly [size, cap).
func (l *lru) compact() {
	keys := make([]int32, 0, l.size)
	exps := make([]int64, 0, l.size)
	for i := l.tail; i >= 0; i = l.prev[i] {
		keys = append(keys, l.key[i])
		exps = append(exps, l.exp[i])
	}
	l.clear()
	for i := range keys {
		l.put(keys[i], exps[i])
	}
}

func (l *lru) clear() {
	if l.dense != nil {
		for i := l.head; i >= 0; i = l.next[i] {
			l.dense[l.key[i]] = 0
		}
	}
	clear(l.slot)
	l.head, l.tail, l.size = -1, -1, 0
}

func (l *lru) unlink(i int32) {
	if l.prev[i] >= 0 {
		l.next[l.prev[i]] = l.next[i]
	} else {
		l.head = l.next[i]
	}
	if l.next[i] >= 0 {
		l.prev[l.next[i]] = l.prev[i]
	} else {
		l.tail = l.prev[i]
	}
}

func (l *lru) pushFront(i int32) {
	l.prev[i] = -1
	l.next[i] = l.head
	if l.head >= 0 {
		l.prev[l.head] = i
	}
	l.head = i
	if l.tail < 0 {
		l.tail = i
	}
}

func (l *lru) evict() {
	i := l.tail
	l.unlink(i)
	l.delSlot(l.key[i])
	l.size--
	// move the last used slot into the hole so slots stay dense
	last := int32(l.size)
	if i != last {
		l.key[i], l.exp[i] = l.key[last], l.exp[last]
		l.prev[i], l.next[i] = l.prev[last], l.next[last]
		if l.prev[i] >= 0 {
			l.next[l.prev[i]] = i
		} else {
			l.head = i
		}
		if l.next[i] >= 0 {
			l.prev[l.next[i]] = i
		} else {
			l.tail = i
		}
		l.setSlot(l.key[i], i)
	}
}

// get reports whether key is present and fresh, and marks it used. An
// expired key is removed.
func (l *lru) get(key int32, now int64) bool {
	i, ok := l.lookupSlot(key)
	if !ok {
		return false
	}
	if l.exp[i] <= now {
		// expired: make it the least recently used and evict it
		l.unlink(i)
		l.pushBack(i)
		l.evict()
		return false
	}
	l.unlink(i)
	l.pushFront(i)
	return true
}

func (l *lru) pushBack(i int32) {
	l.next[i] = -1
	l.prev[i] = l.tail
	if l.tail >= 0 {
		l.next[l.tail] = i
	}
	l.tail = i
	if l.head < 0 {
		l.head = i
	}
}

// put inserts or refreshes key, evicting the least recently used key when
// full.
func (l *lru) put(key int32, exp int64) {
	if l.cap == 0 {
		return
	}
	if i, ok := l.lookupSlot(key); ok {
		l.exp[i] = exp
		l.unlink(i)
		l.pushFront(i)
		return
	}
	if l.size >= l.cap {
		l.evict()
	}
	i := int32(l.size)
	l.size++
	l.key[i], l.exp[i] = key, exp
	l.setSlot(key, i)
	l.pushFront(i)
}
