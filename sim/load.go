package sim

import (
	"math"
	"slices"
	"sort"
	"strconv"

	"scalesim/topology"
)

// The workload's load over time: the open workload's rate or the closed
// workload's users, constant or shaped by stages (topology.Stage), as a
// piecewise-linear function of simulated time.
//
// Open arrivals are a Poisson process of that rate, made exactly by
// inverting its integral: after each arrival the engine draws a
// unit-rate exponential gap E (on the arrivals stream, keyed by the gap's
// number) and the next arrival is at the t where the integral of the rate
// from the last arrival reaches E. Within a linear stretch that is a
// quadratic solved in closed form. A change of the rate or of the stages
// while a gap runs does not draw it again: the part of E the old rate
// used up is kept, and the rest is laid out under the new rate (the
// pending arrival is re-timed, not redrawn), so the arrivals before the
// change are exactly those of the same run without it.
//
// A closed workload's population follows its shape rounded to whole
// users: an event at each time the rounded target changes adds users
// (who start thinking) or marks the highest ones to leave after their
// current request.

// loadShape is a piecewise-linear load: segment i covers [start[i],
// start[i+1]) and moves linearly from v0[i] to v1[i]; the last segment
// holds its value forever.
type loadShape struct {
	start  []int64
	v0, v1 []float64
}

// newShape lays out w's load from time 0.
func newShape(w *topology.Workload) loadShape {
	cur := w.Start()
	sh := loadShape{}
	var at int64
	for _, st := range w.Stages {
		if st.Duration > 0 {
			sh.start = append(sh.start, at)
			sh.v0 = append(sh.v0, cur)
			sh.v1 = append(sh.v1, st.Target)
			at += int64(st.Duration)
		}
		cur = st.Target
	}
	sh.start = append(sh.start, at)
	sh.v0 = append(sh.v0, cur)
	sh.v1 = append(sh.v1, cur)
	return sh
}

// seg returns the segment holding time t.
func (sh *loadShape) seg(t int64) int {
	if len(sh.start) == 1 {
		return 0
	}
	return sort.Search(len(sh.start), func(i int) bool { return sh.start[i] > t }) - 1
}

// end is where segment i ends (never for the last).
func (sh *loadShape) end(i int) int64 {
	if i+1 < len(sh.start) {
		return sh.start[i+1]
	}
	return never
}

// valueIn is segment i's value at time t within it.
func (sh *loadShape) valueIn(i int, t int64) float64 {
	if sh.v0[i] == sh.v1[i] {
		return sh.v0[i]
	}
	f := float64(t-sh.start[i]) / float64(sh.end(i)-sh.start[i])
	return sh.v0[i] + (sh.v1[i]-sh.v0[i])*f
}

// at is the load at time t (t >= 0).
func (sh *loadShape) at(t int64) float64 { return sh.valueIn(sh.seg(max(t, 0)), max(t, 0)) }

// integral is the integral of the load from a to b (a <= b), in load
// times seconds: for a rate, the expected arrivals.
func (sh *loadShape) integral(a, b int64) float64 {
	sum := 0.0
	for i := sh.seg(a); a < b; i++ {
		e := min(sh.end(i), b)
		sum += (sh.valueIn(i, a) + sh.valueIn(i, e)) / 2 * float64(e-a) / 1e9
		a = e
	}
	return sum
}

// inverse returns the earliest time t >= from at which the integral of
// the load from `from` reaches mass, or never if it never does (the load
// falls to 0 for good first, or t is beyond the clock).
func (sh *loadShape) inverse(from int64, mass float64) int64 {
	if mass <= 0 {
		return from
	}
	for i := sh.seg(from); ; i++ {
		b := sh.end(i)
		la := sh.valueIn(i, from)
		if b == never {
			if la <= 0 {
				return never
			}
			return addSeconds(from, mass/la)
		}
		lb := sh.valueIn(i, b)
		span := float64(b-from) / 1e9
		if area := (la + lb) / 2 * span; mass > area {
			mass -= area
			from = b
			continue
		}
		// la*x + slope*x²/2 = mass, in the form that stays accurate when
		// the slope is small or negative
		slope := (lb - la) / span
		x := 2 * mass / (la + math.Sqrt(max(la*la+2*slope*mass, 0)))
		return min(addSeconds(from, x), b)
	}
}

// addSeconds returns t + x seconds in the clock's nanoseconds, rounded,
// saturating at never.
func addSeconds(t int64, x float64) int64 {
	d := x * 1e9
	if !(d < float64(never-t)) {
		return never
	}
	return t + int64(d+0.5)
}

// load is the state of the workload's load: its shape and the pending
// arrival of an open workload.
type load struct {
	open  bool
	w     topology.Workload // the workload the shape was made from
	shape loadShape
	rate  float64 // the shape's rate when it is one constant above 0, else 0
	// the pending gap of an open workload: mass is what is left of its
	// unit-rate exponential, counted from `from`
	drawn bool
	from  int64
	mass  float64
	// users events and stage boundaries of the current shape carry gen
	gen    uint32
	starts uint64 // users started so far (keys their first think)
}

// sameLoad reports whether two workloads ask for the same load.
func sameLoad(a, b *topology.Workload) bool {
	return a.Rate == b.Rate && a.Users == b.Users && slices.Equal(a.Stages, b.Stages) && samePopulations(a, b)
}

// samePopulations reports whether two workloads' populations have the
// same sizes.
func samePopulations(a, b *topology.Workload) bool {
	return slices.EqualFunc(a.Populations, b.Populations, func(x, y topology.Population) bool { return x.Users == y.Users })
}

// configureLoad follows workload w from now: a new rate or shape re-times
// the pending arrival; a new population adds or retires users; the
// stage boundaries still to come cut the phases.
func (s *Sim) configureLoad(w *topology.Workload, first bool) {
	l := &s.load
	if !first && sameLoad(&l.w, w) {
		return
	}
	old := l.shape
	wasOpen := l.open && !first
	l.w = topology.Workload{Rate: w.Rate, Users: w.Users, Stages: slices.Clone(w.Stages), Populations: slices.Clone(w.Populations)}
	l.shape = newShape(w)
	l.rate = 0
	if sh := &l.shape; len(sh.start) == 1 && sh.v0[0] > 0 {
		l.rate = sh.v0[0]
	}
	l.open = w.Users == 0
	l.gen++
	s.arrivalGen++
	if l.open {
		if wasOpen && l.drawn {
			l.mass = max(l.mass-old.integral(l.from, s.now), 0)
			l.from = s.now
		} else {
			s.drawGap()
		}
		s.setUsers(0)
		s.scheduleArrival()
	} else {
		l.drawn = false
		s.followUsers()
	}
	s.scheduleStages(w)
}

// drawGap draws the next unit-rate gap, from now.
func (s *Sim) drawGap() {
	l := &s.load
	l.drawn, l.from = true, s.now
	l.mass = s.arrivalRN.expAt(s.gaps, 0)
	s.gaps++
}

// scheduleArrival schedules the pending arrival where its gap ends under
// the current rate. A gap that never ends (a rate of 0 from here on, or
// beyond what the clock counts) schedules nothing, until a new rate
// re-times it.
func (s *Sim) scheduleArrival() {
	l := &s.load
	var t int64
	if l.rate > 0 && l.mass > 0 {
		t = addSeconds(l.from, l.mass/l.rate) // a constant rate: inverse's last segment
	} else {
		t = l.shape.inverse(l.from, l.mass)
	}
	if t >= never {
		return
	}
	s.scheduleIn(slotArrival, t, evArrival, 0, s.arrivalGen, 0)
}

// onArrival creates the next request of the open workload and schedules
// the one after it.
func (s *Sim) onArrival(e *event) {
	if e.gen != s.arrivalGen || !s.load.open {
		return
	}
	if s.testArrival != nil {
		s.testArrival(s.now)
	}
	s.drawGap()
	s.scheduleArrival()
	s.send(-1)
}

// followUsers sets the closed workload's population to its shape's
// target now, rounded, and schedules the next time that changes.
func (s *Sim) followUsers() {
	l := &s.load
	n := int(math.Floor(l.shape.at(s.now) + 0.5))
	s.setUsers(n)
	if t := l.shape.nextRound(s.now, n); t < never {
		s.schedule(event{t: t, kind: evLoad, gen: l.gen})
	}
}

// onLoad: the closed workload's rounded target may have changed.
func (s *Sim) onLoad(e *event) {
	if e.gen != s.load.gen || s.load.open {
		return
	}
	s.followUsers()
}

// nextRound returns the first time after now at which the load, rounded
// to a whole number, is no longer n, or never.
func (sh *loadShape) nextRound(now int64, n int) int64 {
	up, down := float64(n)+0.5, float64(n)-0.5
	for i := sh.seg(now); i < len(sh.start); i++ {
		a := max(sh.start[i], now)
		va := sh.valueIn(i, a)
		if a > now && (va >= up || va < down) {
			return a // a jump at the segment's start
		}
		b := sh.end(i)
		if b == never {
			return never
		}
		vb := sh.v1[i]
		var level float64
		switch {
		case vb >= up:
			level = up
		case vb < down:
			level = down
		default:
			continue
		}
		f := (level - va) / (vb - va)
		t := a + int64(math.Ceil(f*float64(b-a)))
		if level == down {
			t++ // strictly below the lower level
		}
		return max(min(t, b), now+1)
	}
	return never
}

// scheduleStages puts the boundaries of w's stages still to come on the
// heap: each cuts the phases, labelled with the stage that begins.
func (s *Sim) scheduleStages(w *topology.Workload) {
	for i, at := range w.StageTimes() {
		if int64(at) > s.now {
			s.schedule(event{t: int64(at), kind: evStage, id: int32(i), gen: s.load.gen})
		}
	}
	if s.now == 0 && len(w.Stages) > 0 {
		s.phaseLabel(w.DescribeStage(0))
	}
}

// onStage: stage e.id has ended; the next begins a phase.
func (s *Sim) onStage(e *event) {
	if e.gen != s.load.gen {
		return
	}
	s.cutPhase()
	w := &s.load.w
	if next := int(e.id) + 1; next < len(w.Stages) {
		s.phaseLabel(w.DescribeStage(next))
	} else {
		s.phaseLabel("after the stages: " + formatLoad(w, w.Stages[len(w.Stages)-1].Target))
	}
}

// formatLoad writes a load of w for a label: "500/s" or "40 users".
func formatLoad(w *topology.Workload, v float64) string {
	num := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if w.Users != 0 {
		return num + " users"
	}
	return num + "/s"
}

// OfferedLoad is what the workload asks for now: the open workload's
// rate in requests per second, or the closed workload's users.
func (s *Sim) OfferedLoad() float64 { return s.load.shape.at(s.now) }
