package sim

// latencies keeps the end-to-end latencies of answered logical requests
// for each span that reports them: the measured window, its current
// phase and the current simulated second. A latency is recorded once,
// in cur; cur is folded into each span's own histogram when a span
// begins or ends (a tick, a phase cut, a new window), so that a span's
// latencies are its folded part plus cur, read in one walk over their
// buckets (histSum). Folding adds counts and exact sums, so when it
// happens changes no figure; it happens at simulated times only, never
// because something read the run.
type latencies struct {
	cur             Histogram // recorded since the last fold
	win, phase, sec Histogram // each span's, up to the last fold
}

// record adds latency v, whose bucket is i.
func (l *latencies) record(i int, v int64) { l.cur.record(i, v) }

// fold moves what cur holds into every span.
func (l *latencies) fold() {
	if l.cur.n == 0 {
		return
	}
	l.win.merge(&l.cur)
	l.phase.merge(&l.cur)
	l.sec.merge(&l.cur)
	l.cur.Reset()
}

// window, phaseSoFar and second are the latencies of each span up to
// now. Reading changes nothing.
func (l *latencies) window() histSum     { return histSum{&l.win, &l.cur} }
func (l *latencies) phaseSoFar() histSum { return histSum{&l.phase, &l.cur} }
func (l *latencies) second() histSum     { return histSum{&l.sec, &l.cur} }

// newWindow starts the window and its first phase anew now.
func (l *latencies) newWindow() {
	l.fold()
	l.win.Reset()
	l.phase.Reset()
}

// newPhase starts a phase now.
func (l *latencies) newPhase() {
	l.fold()
	l.phase.Reset()
}

// newSecond starts a second now.
func (l *latencies) newSecond() {
	l.fold()
	l.sec.Reset()
}

// lifeBucket is, for each bucket of a Histogram, the bucket of
// LatencyBounds every value in it falls in, or -1 for the few buckets
// that a bound cuts: a value there is compared with the bounds.
var lifeBucket = func() (b [histBuckets]int8) {
	for i := range b {
		lo, hi := histRange(i)
		if j := lifeIndex(lo); j == lifeIndex(hi) {
			b[i] = int8(j)
		} else {
			b[i] = -1
		}
	}
	return b
}()

// histRange is the smallest and largest value bucket i holds.
func histRange(i int) (lo, hi int64) {
	switch {
	case i == 0:
		return -1 << 63, 0 // below the range too
	case i < histSub:
		return int64(i), int64(i)
	}
	shift := i/histSub - 1
	lo = int64(i%histSub+histSub) << uint(shift)
	if i == histBuckets-1 {
		return lo, 1<<63 - 1 // beyond the range too
	}
	return lo, lo + 1<<uint(shift) - 1
}

// lifeIndex is the bucket of LatencyBounds that a latency of ns falls in.
func lifeIndex(ns int64) int {
	i := 0
	for i < len(latencyBoundsNs) && ns > latencyBoundsNs[i] {
		i++
	}
	return i
}
