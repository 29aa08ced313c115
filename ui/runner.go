package ui

import (
	"fmt"
	"sync"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// Pacing of the runner.
const (
	// publishEvery is how often the runner advances the simulation and
	// publishes a frame: 30 per second.
	publishEvery = time.Second / 30
	// sliceBudget is the wall time one slice may spend advancing, so
	// that operations and frames are never held up for long.
	sliceBudget = 20 * time.Millisecond
	// maxLag is how much wall time of simulated work the runner lets
	// pile up when it cannot keep up; it drops the rest rather than
	// race to catch up later.
	maxLag = 500 * time.Millisecond
	// maxStep is the wall time one step (the . key) may take; a step
	// that would take longer moves the simulation as far as it got.
	maxStep = 5 * time.Second
	// maxRebuild is the wall time the rebuild of a story step may take
	// to reach one step's start: a story long enough to take longer is
	// left where it got, and says so.
	maxRebuild = time.Minute
	// behindAfter is how much wall time of lag shows "behind".
	behindAfter = 100 * time.Millisecond

	// chunkEvents is the most events one chunk runs: a millisecond or
	// two of work whatever the load, so that operations, frames and
	// Close are heard between chunks.
	chunkEvents = 20000

	// closeWait is how long Close waits for the goroutine to stop. A
	// chunk takes a few milliseconds; should one take longer, Close
	// returns anyway and the program ends without it.
	closeWait = 100 * time.Millisecond
)

// runner owns a simulation in its own goroutine. Every publishEvery it
// moves the target time on by the wall time passed × speed, advances the
// simulation towards it in chunks for at most sliceBudget, and publishes
// a frame. Operations are queued and run between slices, in order,
// followed by a frame. The model polls Frame; nothing here blocks the UI
// goroutine, and Close returns within closeWait even while a chunk runs.
type runner struct {
	wake chan struct{} // an operation is pending
	stopper

	mu      sync.Mutex
	pending []op
	latest  Frame
	seq     uint64 // frames published
	read    uint64 // seq of the frame last returned by Frame

	target time.Duration // where the simulation should be by now
	budget time.Duration // wall time a slice may take

	// onFrame, if set, is given every snapshot published, on the
	// runner's goroutine (an exporter keeps the latest).
	onFrame func(gen int, s sim.Snapshot)
}

// newRunner starts a runner of t.
func newRunner(t *topology.Topology, seed uint64, speed float64, paused bool) (*runner, error) {
	return startRunner(t, seed, speed, paused, nil)
}

// startRunner starts a runner of t that gives onFrame (if not nil)
// every snapshot it publishes.
func startRunner(t *topology.Topology, seed uint64, speed float64, paused bool, onFrame func(int, sim.Snapshot)) (*runner, error) {
	e, err := newEngine(t, seed, speed, paused)
	if err != nil {
		return nil, err
	}
	r := &runner{
		wake:    make(chan struct{}, 1),
		stopper: newStopper(),
		budget:  sliceBudget, onFrame: onFrame,
	}
	r.publish(e)
	go r.loop(e)
	return r, nil
}

// Do queues o; it never blocks.
func (r *runner) Do(o op) {
	r.mu.Lock()
	r.pending = append(r.pending, o)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// takeOps empties the queue.
func (r *runner) takeOps() []op {
	r.mu.Lock()
	defer r.mu.Unlock()
	ops := r.pending
	r.pending = nil
	return ops
}

// Tick does nothing: the runner keeps its own time.
func (r *runner) Tick() {}

func (r *runner) Frame() (Frame, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.read == r.seq {
		return Frame{}, false
	}
	r.read = r.seq
	return r.latest, true
}

func (r *runner) publish(e *engine) {
	f := e.frame()
	if r.onFrame != nil {
		r.onFrame(f.Gen, f.Snap)
	}
	r.mu.Lock()
	r.latest = f
	r.seq++
	r.mu.Unlock()
}

func (r *runner) loop(e *engine) {
	defer close(r.done)
	tick := time.NewTicker(publishEvery)
	defer tick.Stop()
	last := time.Now()
	r.target = e.now()
	for {
		select {
		case <-r.quit:
			return
		case <-r.wake:
			r.contain(e, func() { r.doOps(e) })
		case now := <-tick.C:
			wall := now.Sub(last)
			last = now
			if e.paused || e.crashed != "" {
				r.target = e.now()
				continue
			}
			r.contain(e, func() {
				r.slice(e, wall)
				r.publish(e)
			})
		}
	}
}

// contain runs f; a panic stops the simulation, as engine.guard does,
// instead of the program. The frame published says why it stopped.
func (r *runner) contain(e *engine, f func()) {
	defer func() {
		if p := recover(); p != nil {
			e.stop(p)
			r.publish(e)
		}
	}()
	f()
}

// doOps runs the operations queued, in order, then publishes a frame.
func (r *runner) doOps(e *engine) {
	for _, o := range r.takeOps() {
		if r.stopping() {
			return
		}
		if o.kind == opStoryGo {
			// from the story's start, in chunks, so that Close is heard
			e.storyGo(o, func(t time.Duration) bool { return r.rebuildTo(e, t) })
			continue
		}
		if o.kind == opStep {
			// one simulated second, in chunks, so that Close is heard
			e.seq = o.seq
			r.advance(e, e.now()+stepSize, maxStep)
			e.hold()
			continue
		}
		e.do(o)
	}
	// a reset starts a new clock; a step moves it while paused
	r.target = e.now()
	r.publish(e)
}

// slice moves the target on by wall × speed and advances towards it for
// at most the budget. When the simulation cannot keep up it is marked
// behind, and the lag it may carry is capped so that it does not race to
// catch up later.
func (r *runner) slice(e *engine, wall time.Duration) {
	from := e.now()
	r.target = e.until(r.target + time.Duration(float64(wall)*e.speed))
	r.advance(e, r.target, r.budget)
	e.hold()
	lag := r.target - e.now()
	e.behind = lag > time.Duration(float64(behindAfter)*e.speed)
	if limit := time.Duration(float64(maxLag) * e.speed); lag > limit {
		r.target = e.now() + limit
	}
	if wall > 0 {
		got := float64(e.now()-from) / float64(wall)
		e.achieved = 0.8*e.achieved + 0.2*got
	}
}

// advance runs e's simulation towards target for at most budget of wall
// time, in chunks of at most chunkEvents events. It stops early when
// Close is called.
func (r *runner) advance(e *engine, target, budget time.Duration) {
	start := time.Now()
	for e.now() < target && e.crashed == "" && !r.stopping() {
		if e.advanceBudget(target, chunkEvents) || time.Since(start) >= budget {
			return
		}
	}
}

// rebuildTo advances a story's rebuild to t in chunks, so that Close is
// heard, and gives up (false) when a later rebuild or reset is queued,
// which would replace it anyway, or when it takes longer than
// maxRebuild, which it says.
func (r *runner) rebuildTo(e *engine, t time.Duration) bool {
	start := time.Now()
	for e.now() < t && e.crashed == "" {
		if r.stopping() || r.superseded() {
			return false
		}
		if e.advanceBudget(t, chunkEvents) {
			break
		}
		if time.Since(start) >= maxRebuild {
			e.err = fmt.Sprintf("the rebuild took too long: the simulation stopped at %s of %s", clock(e.now()), clock(t))
			return false
		}
	}
	return e.crashed == ""
}

// superseded reports whether an operation queued replaces the
// simulation: a story's rebuild or a reset.
func (r *runner) superseded() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, o := range r.pending {
		if o.kind == opStoryGo || o.kind == opReset {
			return true
		}
	}
	return false
}
