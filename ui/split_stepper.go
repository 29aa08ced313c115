package ui

import (
	"sync"
	"time"

	"scalesim/topology"
)

// The split dashboard runs two simulations, A and B, on one clock: they
// advance together to the same simulated time, and pausing, stepping and
// the speed act on both. A side that starts again (a fork, a reset, an
// open) is brought up to the clock by simulating the time it missed,
// while the other waits, so that both show the same instant again.

// pairStepper owns the two simulations of a split dashboard for its
// models, as a Stepper does for one (see Stepper).
type pairStepper interface {
	// Do applies op to side's simulation; a pace applies to both, a
	// step moves both.
	Do(side int, o op)
	Tick()
	Frame(side int) (Frame, bool)
	Close()
}

// sideStepper is one side of a pair, as its model sees it.
type sideStepper struct {
	pair pairStepper
	side int
}

func (s sideStepper) Do(o op)              { s.pair.Do(s.side, o) }
func (s sideStepper) Tick()                {}
func (s sideStepper) Frame() (Frame, bool) { return s.pair.Frame(s.side) }
func (s sideStepper) Close()               { s.pair.Close() }

// enginePair is the two engines of a split dashboard. It belongs to one
// goroutine at a time.
type enginePair struct {
	e [2]*engine
}

func newEnginePair(a, b *topology.Topology, seed uint64, speed float64, paused bool) (*enginePair, error) {
	p := &enginePair{}
	for i, t := range []*topology.Topology{a, b} {
		e, err := newEngine(t, seed, speed, paused)
		if err != nil {
			return nil, err
		}
		p.e[i] = e
	}
	return p, nil
}

// clock is the pair's simulated time: the side ahead's (the other is
// catching up).
func (p *enginePair) clock() time.Duration { return max(p.e[0].now(), p.e[1].now()) }

// behindSide is the side whose simulated time is behind the other's, or
// -1 when both show the same instant.
func (p *enginePair) behindSide() int {
	switch a, b := p.e[0].now(), p.e[1].now(); {
	case a < b && p.e[0].crashed == "":
		return 0
	case b < a && p.e[1].crashed == "":
		return 1
	}
	return -1
}

// do applies o to side; a pace is both sides', a step moves both one
// simulated second (within budget of wall time; 0: no limit).
func (p *enginePair) do(side int, o op, budget time.Duration, stop func() bool) {
	switch o.kind {
	case opPace:
		p.e[side].do(o)
		other := p.e[1-side]
		other.speed, other.paused = o.speed, o.paused
		if o.paused {
			other.behind = false
		}
	case opStep:
		p.e[side].seq = o.seq
		p.advance(p.clock()+stepSize, budget, stop)
	default:
		p.e[side].do(o)
	}
}

// pairSlack is how far one side may run ahead of the other within an
// advance: the two move in hops of at most this much simulated time, the
// one behind first, so that they meet at the target.
const pairSlack = 100 * time.Millisecond

// advance moves both simulations towards target, the one behind first,
// in chunks of at most chunkEvents events, for at most budget of wall
// time (0: until both are there) or until stop says so. It reports
// whether both got there (a stopped simulation counts as there).
func (p *enginePair) advance(target, budget time.Duration, stop func() bool) bool {
	start := time.Now()
	for stop == nil || !stop() {
		i := -1
		for k, e := range p.e {
			if e.crashed == "" && e.now() < target && (i < 0 || e.now() < p.e[i].now()) {
				i = k
			}
		}
		if i < 0 {
			return true
		}
		until := target
		if o := p.e[1-i]; o.crashed == "" {
			until = min(target, max(o.now(), p.e[i].now())+pairSlack)
		}
		p.e[i].advanceBudget(until, chunkEvents)
		if budget > 0 && time.Since(start) >= budget {
			return false
		}
	}
	return false
}

// syncPair runs a pair on the caller's goroutine, as syncStepper does
// one simulation: each Tick moves the clock on by speed × perTick unless
// paused, and brings a side that is behind up to it.
type syncPair struct {
	p       *enginePair
	perTick time.Duration
	dirty   [2]bool
}

func newSyncPair(a, b *topology.Topology, seed uint64, speed float64, paused bool, perTick time.Duration) (*syncPair, error) {
	p, err := newEnginePair(a, b, seed, speed, paused)
	if err != nil {
		return nil, err
	}
	return &syncPair{p: p, perTick: perTick, dirty: [2]bool{true, true}}, nil
}

func (s *syncPair) Do(side int, o op) {
	s.p.do(side, o, 0, nil)
	s.dirty = [2]bool{true, true}
}

func (s *syncPair) Tick() {
	target := s.p.clock()
	if e := s.p.e[0]; !e.paused {
		target += time.Duration(float64(s.perTick) * e.speed)
	}
	s.p.advance(target, 0, nil)
	s.dirty = [2]bool{true, true}
}

func (s *syncPair) Frame(side int) (Frame, bool) {
	if !s.dirty[side] {
		return Frame{}, false
	}
	s.dirty[side] = false
	return s.p.e[side].frame(), true
}

func (s *syncPair) Close() {}

// pairRunner runs a pair in its own goroutine, paced to the wall clock
// like the runner (runner.go): every publishEvery it moves the clock on
// by the wall time passed × speed and advances both sides towards it for
// at most sliceBudget, then publishes a frame of each.
type pairRunner struct {
	wake chan struct{}
	stopper

	mu      sync.Mutex
	pending []sideOp
	latest  [2]Frame
	seq     [2]uint64
	read    [2]uint64

	target time.Duration
}

// sideOp is an operation for one side.
type sideOp struct {
	side int
	o    op
}

func startPairRunner(a, b *topology.Topology, seed uint64, speed float64, paused bool) (*pairRunner, error) {
	p, err := newEnginePair(a, b, seed, speed, paused)
	if err != nil {
		return nil, err
	}
	r := &pairRunner{wake: make(chan struct{}, 1), stopper: newStopper()}
	r.publish(p)
	go r.loop(p)
	return r, nil
}

func (r *pairRunner) Do(side int, o op) {
	r.mu.Lock()
	r.pending = append(r.pending, sideOp{side, o})
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *pairRunner) Tick() {}

func (r *pairRunner) Frame(side int) (Frame, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.read[side] == r.seq[side] {
		return Frame{}, false
	}
	r.read[side] = r.seq[side]
	return r.latest[side], true
}

func (r *pairRunner) publish(p *enginePair) {
	var f [2]Frame
	for i, e := range p.e {
		f[i] = e.frame()
	}
	r.mu.Lock()
	r.latest = f
	r.seq[0]++
	r.seq[1]++
	r.mu.Unlock()
}

func (r *pairRunner) loop(p *enginePair) {
	defer close(r.done)
	tick := time.NewTicker(publishEvery)
	defer tick.Stop()
	last := time.Now()
	r.target = p.clock()
	for {
		select {
		case <-r.quit:
			return
		case <-r.wake:
			r.contain(p, func() {
				for _, so := range r.takeOps() {
					if r.stopping() {
						return
					}
					p.do(so.side, so.o, maxStep, r.stopping)
				}
				r.target = p.clock()
				r.publish(p)
			})
		case now := <-tick.C:
			wall := now.Sub(last)
			last = now
			r.contain(p, func() { r.slice(p, wall) })
		}
	}
}

func (r *pairRunner) takeOps() []sideOp {
	r.mu.Lock()
	defer r.mu.Unlock()
	ops := r.pending
	r.pending = nil
	return ops
}

// contain runs f; a panic stops both simulations instead of the program.
func (r *pairRunner) contain(p *enginePair, f func()) {
	defer func() {
		if v := recover(); v != nil {
			for _, e := range p.e {
				e.stop(v)
			}
			r.publish(p)
		}
	}()
	f()
}

// slice moves the clock on by wall × speed (not while paused) and
// advances both sides towards it for at most sliceBudget; a side behind
// (a fork, an open) catches up as fast as it can, paused or not, while
// the other waits. When the clock cannot keep up, both are marked
// behind and the lag is capped, as the runner does.
func (r *pairRunner) slice(p *enginePair, wall time.Duration) {
	e := p.e[0]
	catching := p.behindSide() >= 0
	if e.paused {
		r.target = p.clock()
		if !catching {
			return
		}
	} else {
		r.target += time.Duration(float64(wall) * e.speed)
	}
	from := p.clock()
	p.advance(r.target, sliceBudget, r.stopping)
	hi := p.clock()
	lag := r.target - hi
	behind := !e.paused && !catching && lag > time.Duration(float64(behindAfter)*e.speed)
	if limit := time.Duration(float64(maxLag) * e.speed); !e.paused && lag > limit {
		r.target = hi + limit
	}
	for _, s := range p.e {
		s.behind = behind
		if wall > 0 && !e.paused {
			s.achieved = 0.8*s.achieved + 0.2*float64(hi-from)/float64(wall)
		}
	}
	r.publish(p)
}
