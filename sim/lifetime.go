package sim

// lifetime keeps what the whole run has counted, which neither the end
// of the warm-up nor ResetStats (every live edit on the dashboard)
// forgets: the counters an exporter serves must never go backwards. Its
// memory is fixed per request class.
type lifetime struct {
	latency LatencyHistogram
	classes []ClassLifetime // by class index, moved by live edits (classmap.go)
	// one: the workload has had one class since the run began and every
	// completion was of it, so that its figures are the total's, which
	// are not counted twice: classes[0]'s own are unused then.
	one     bool
	changes []ChangeCount // by source, in order of first appearance
}

// LatencyBounds are the upper bounds, in seconds, of the whole-run
// latency histogram's buckets: from a millisecond (a cache hit) to a
// minute (a request stuck behind a full backlog), about three to a
// decade, as web latencies are usually bucketed. A last bucket, +Inf,
// takes the rest.
var LatencyBounds = [...]float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// latencyBoundsNs are LatencyBounds in nanoseconds, for recording.
var latencyBoundsNs = func() (ns [len(LatencyBounds)]int64) {
	for i, b := range LatencyBounds {
		ns[i] = int64(b * 1e9)
	}
	return ns
}()

// LatencyHistogram counts completed requests by latency: Buckets[i]
// counts those of at most LatencyBounds[i] seconds and more than the
// bound before (not cumulative); Buckets[len(LatencyBounds)] those
// above the last bound. SumS is their latencies' sum in seconds.
type LatencyHistogram struct {
	Buckets [len(LatencyBounds) + 1]uint64 `json:"buckets"`
	Count   uint64                         `json:"count"`
	SumS    float64                        `json:"sum_s"`
}

// record adds a latency of ns whose Histogram bucket is hi.
func (h *LatencyHistogram) record(hi int, ns int64) {
	i := int(lifeBucket[hi])
	if i < 0 {
		i = lifeIndex(ns)
	}
	h.Buckets[i]++
	h.Count++
	h.SumS += float64(ns) / 1e9
}

// ClassLifetime is one request class over the whole run.
type ClassLifetime struct {
	Name      string           `json:"name"`
	Completed uint64           `json:"completed"`
	Latency   LatencyHistogram `json:"latency"`
}

// StationLifetime is one station now and over the whole run: its
// servers, busy servers and waiting requests now; its counts, and
// the time integrals of its servers, busy servers and waiting requests,
// in seconds (server-seconds, busy-seconds, request-seconds waited), so
// that a rate of one over simulated time is a mean.
type StationLifetime struct {
	Name          string  `json:"name"`
	Role          string  `json:"role,omitempty"` // database servers: primary | replica
	Servers       int     `json:"servers"`
	Busy          int     `json:"busy"`
	Queued        int     `json:"queued"`
	Completions   uint64  `json:"completions"`
	Dropped       uint64  `json:"dropped"`
	ServerSeconds float64 `json:"server_seconds"`
	BusySeconds   float64 `json:"busy_seconds"`
	QueueSeconds  float64 `json:"queue_seconds"`
}

// ChangeCount counts the changes applied from one source: "key",
// "timeline", "autoscaler", "failure", ...
type ChangeCount struct {
	Source string `json:"source"`
	Count  uint64 `json:"count"`
}

// marked counts a change applied from source.
func (l *lifetime) marked(source string) {
	for i := range l.changes {
		if l.changes[i].Source == source {
			l.changes[i].Count++
			return
		}
	}
	l.changes = append(l.changes, ChangeCount{Source: source, Count: 1})
}

// Lifetime is what a snapshot carries of the whole run.
type Lifetime struct {
	// Latency is every completed request's end-to-end latency.
	Latency LatencyHistogram `json:"latency"`
	// Classes are by request class, named as the topology in force
	// names them (a class an edit renames keeps its counts).
	Classes []ClassLifetime `json:"classes"`
	// Stations are the app's worker slots, the cores, the database
	// servers together, the cache and the offload service, those
	// present; DBServers each database server ever started.
	Stations  []StationLifetime `json:"stations"`
	DBServers []StationLifetime `json:"db_servers,omitempty"`
	// Changes count the changes applied (each mark), by source.
	Changes []ChangeCount `json:"changes,omitempty"`
}

// complete records a request of class c completed after ns, in
// Histogram bucket i (a class an edit removed counts only in the total).
func (l *lifetime) complete(c int32, i int, ns int64) {
	if c != 0 && l.one {
		l.split()
	}
	l.latency.record(i, ns)
	if l.one || c < 0 || int(c) >= len(l.classes) {
		return
	}
	cl := &l.classes[c]
	cl.Completed++
	cl.Latency.record(i, ns)
}

// split gives the one class figures of its own: the total's so far.
func (l *lifetime) split() {
	if l.one {
		l.one = false
		l.classes[0].Latency = l.latency
		l.classes[0].Completed = l.latency.Count
	}
}

// class is class c's figures (without its name).
func (l *lifetime) class(c int) ClassLifetime {
	if l.one {
		return ClassLifetime{Completed: l.latency.Count, Latency: l.latency}
	}
	return l.classes[c]
}

// resize keeps one entry per class of a workload of n classes.
func (l *lifetime) resize(n int) {
	if len(l.classes) == 0 && n == 1 {
		l.one = true
	}
	if n != 1 {
		l.split()
	}
	for len(l.classes) < n {
		l.classes = append(l.classes, ClassLifetime{})
	}
	l.classes = l.classes[:n]
}

// lifeAt returns the whole-run station figures up to now without
// advancing the integrals (reading never writes).
func (st *stationStats) lifeAt(name string, now int64) StationLifetime {
	queue, busy, servers := st.lifeAreas(now)
	return StationLifetime{
		Name:          name,
		Servers:       st.servers,
		Busy:          st.busy,
		Queued:        st.queued,
		Completions:   st.beforeCompletions + st.completions,
		Dropped:       st.beforeDropped + st.dropped,
		ServerSeconds: servers / 1e9,
		BusySeconds:   busy / 1e9,
		QueueSeconds:  queue / 1e9,
	}
}

// lifetime reads the whole run's figures.
func (s *Sim) lifetime() Lifetime {
	out := Lifetime{Latency: s.life.latency, Changes: append([]ChangeCount(nil), s.life.changes...)}
	for i := range s.life.classes {
		c := s.life.class(i)
		if i < len(s.topo.Workload.Requests) {
			c.Name = s.topo.Workload.Requests[i].Name
		}
		out.Classes = append(out.Classes, c)
	}
	var dbDone, dbDropped uint64
	for sid := sidDB; sid < len(s.stations); sid++ {
		st := &s.stations[sid]
		l := st.stats.lifeAt(st.name, s.now)
		l.Role = "primary"
		if st.db.replica > 0 {
			l.Role = "replica"
		}
		dbDone, dbDropped = dbDone+l.Completions, dbDropped+l.Dropped
		out.DBServers = append(out.DBServers, l)
	}
	p := s.present()
	for k, st := range s.seriesStations() {
		l := st.lifeAt(seriesNames[k], s.now)
		if k == serDB { // the aggregate keeps the integrals, the servers the counts
			l.Completions, l.Dropped = dbDone, dbDropped
		}
		if p[k] || l.Completions > 0 || l.BusySeconds > 0 {
			out.Stations = append(out.Stations, l)
		}
	}
	return out
}
