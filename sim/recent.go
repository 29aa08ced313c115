package sim

// The theory pane sets each station beside its queueing model over the
// measured window, since the start or the last change, and a transient
// at the window's start (a cold cache filling, a backlog draining) stays
// in its means until the window outgrows it. recentMarks keeps, at the
// end of each simulated second, what each station theory speaks of had
// counted, so that the last RecentSecs seconds read as a window of their
// own: now less the mark of RecentSecs ago. A mark reads the statistics
// and changes nothing; it copies a few words per station a second.

// RecentSecs is the recent window, in simulated seconds.
const RecentSecs = 10

// statMark is what a station's statistics had counted at a second's end:
// the window's counts and sums, and the whole run's integrals.
type statMark struct {
	t                                              int64 // when it was taken
	arrivals, completions, dropped, waited, served uint64
	waitSum, serviceSum, serviceSq                 float64
	queue, busy, servers                           area
	switches                                       uint64 // a database server's core switches
}

// markOf is st's mark now.
func markOf(st *stationStats, now int64) statMark {
	m := statMark{t: now, arrivals: st.arrivals, completions: st.completions, dropped: st.dropped,
		waited: st.waited(), served: st.served, waitSum: st.waitSum, serviceSum: st.serviceSum, serviceSq: st.serviceSq,
		queue: st.queueArea.at(now, st.queued), busy: st.busyArea.at(now, st.busy), servers: st.serverArea.at(now, st.servers)}
	if st.waits != nil {
		m.waitSum = st.waits.sum.float()
	}
	return m
}

// since is st's statistics from mark m to now, as a window of their own.
func (m *statMark) since(st *stationStats) stationStats {
	c := stationStats{servers: st.servers, busy: st.busy, queued: st.queued,
		serverArea: st.serverArea, busyArea: st.busyArea, queueArea: st.queueArea,
		serverReset: m.servers, busyReset: m.busy, queueReset: m.queue,
		arrivals: st.arrivals - m.arrivals, completions: st.completions - m.completions, dropped: st.dropped - m.dropped,
		waitN: st.waited() - m.waited, waitSum: st.waitSum - m.waitSum,
		serviceSum: st.serviceSum - m.serviceSum, serviceSq: st.serviceSq - m.serviceSq, served: st.served - m.served}
	if st.waits != nil {
		c.waitSum = st.waits.sum.float() - m.waitSum
	}
	return c
}

// recentMarks holds the marks of the last RecentSecs+1 seconds, in a
// ring by the second.
type recentMarks struct {
	app [RecentSecs + 1]statMark
	// the stations' and their poolers', by station index
	st, pool [][RecentSecs + 1]statMark
}

// slot is the ring's slot of the second ending at t.
func slot(t int64) int { return int(t/1e9) % (RecentSecs + 1) }

// markRecent marks every station at the end of a second.
func (s *Sim) markRecent() {
	r := &s.recent
	k := slot(s.now)
	r.app[k] = markOf(&s.app, s.now)
	for len(r.st) < len(s.stations) {
		r.st = append(r.st, [RecentSecs + 1]statMark{})
		r.pool = append(r.pool, [RecentSecs + 1]statMark{})
	}
	for i := range s.stations {
		st := &s.stations[i]
		r.st[i][k] = markOf(&st.stats, s.now)
		r.st[i][k].switches = st.db.cs.switches
		r.pool[i][k] = markOf(&st.db.pool.stats, s.now)
	}
}

// statWindow is where the theory's figures are read: the measured window
// (marks nil), or the recent one, from the marks of slot k, taken at
// from.
type statWindow struct {
	marks *recentMarks
	k     int
	from  int64
}

// app, station and pool are the window's statistics of the app's slots,
// station i and its pooler; switched is station i's core switches before
// the window.
func (w statWindow) app(s *Sim) *stationStats {
	if w.marks == nil {
		return &s.app
	}
	c := w.marks.app[w.k].since(&s.app)
	return &c
}

func (w statWindow) station(s *Sim, i int) *stationStats {
	if w.marks == nil {
		return &s.stations[i].stats
	}
	c := w.marks.st[i][w.k].since(&s.stations[i].stats)
	return &c
}

func (w statWindow) pool(s *Sim, i int) *stationStats {
	if w.marks == nil {
		return &s.stations[i].db.pool.stats
	}
	c := w.marks.pool[i][w.k].since(&s.stations[i].db.pool.stats)
	return &c
}

// has reports whether the window has station i: the recent one only
// when it was marked at its start (not added since).
func (w statWindow) has(i int) bool {
	return w.marks == nil || i < len(w.marks.st) && w.marks.st[i][w.k].t == w.from
}

func (w statWindow) switched(s *Sim, i int) uint64 {
	if w.marks == nil {
		return s.stations[i].db.switched
	}
	return w.marks.st[i][w.k].switches
}

// recentWindow is the window of the last RecentSecs seconds, if the
// measured window holds them whole: the mark of RecentSecs before the
// last second's end, taken after the window began.
func (s *Sim) recentWindow() (statWindow, bool) {
	end := s.now / 1e9 * 1e9
	from := end - RecentSecs*1e9
	r := &s.recent
	k := slot(from)
	if from <= s.windowStart || r.app[k].t != from {
		return statWindow{}, false
	}
	return statWindow{marks: r, k: k, from: from}, true
}
