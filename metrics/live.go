package metrics

import (
	"strconv"

	"scalesim/sim"
	"scalesim/termsafe"
)

// Live builds the families of a running simulation from one snapshot.
// Every metric carries run_id: counters cover the whole run of one
// simulation and never go backwards while it runs, whatever is edited
// live; a new simulation (the dashboard's reset, or opening a file)
// starts a new run_id, as a restarted process would.
//
// Names are in base units: seconds, bytes, ratios. Counters end in
// _total; the station integrals (busy_seconds_total, queue_seconds_total)
// grow by the busy servers or waiting requests times the simulated
// seconds passed, so their rate over scalesim_simulated_seconds_total's
// is a time-averaged count.
func Live(runID string, s *sim.Snapshot) *Families {
	f := NewFamilies("run_id", runID)
	G, C := GaugeType, CounterType
	sm := &s.Summary

	f.Add("scalesim_info", "The simulated topology and seed.", G,
		Gauge(1, "name", termsafe.Line(sm.Name), "seed", strconv.FormatUint(s.Seed, 10)))
	f.Add("scalesim_simulated_seconds_total", "Simulated time since the run started. Divide a rate by this one's for a rate per simulated second: rate(x[1m]) / rate(scalesim_simulated_seconds_total[1m]).", C,
		Counter(s.Now.Seconds()))
	f.Add("scalesim_events_total", "Events the simulator processed.", C, Count(s.Events))
	t := s.Totals
	f.Add("scalesim_requests_arrived_total", "Requests sent by clients.", C, Count(t.Arrived))
	f.Add("scalesim_requests_total", "Requests that ended, by outcome and the cause of a drop or failure.", C, Outcomes(t)...)
	f.Add("scalesim_requests_in_flight", "Requests in the system now.", G, Gauge(float64(t.InFlight)))
	f.Add("scalesim_requests_wasted_total", "Requests the servers completed after their client had stopped waiting.", C, Count(t.Wasted))
	clients(f, t)

	var hists []*Metric
	for _, c := range s.Life.Classes {
		hists = append(hists, Histogram(c.Latency, "class", termsafe.Line(c.Name)))
	}
	f.Add("scalesim_request_duration_seconds", "Latency of the requests answered while their client waited, from the first attempt sent, by request class, in simulated seconds.", HistogramType, hists...)
	if t := s.Topology; t != nil && len(t.Workload.Populations) > 0 {
		var users []*Metric
		for _, p := range t.Workload.Populations {
			users = append(users, Gauge(float64(p.Users), "population", termsafe.Line(p.Name)))
		}
		f.Add("scalesim_population_users", "Users of each population of the closed workload now.", G, users...)
	}

	var changes []*Metric
	for _, c := range s.Life.Changes {
		changes = append(changes, Count(c.Count, "source", termsafe.Line(c.Source)))
	}
	f.Add("scalesim_changes_total", "Changes applied to the running simulation, by who made them: key, timeline, autoscaler, failure.", C, changes...)
	stations(f, s.Life.Stations)
	dbServers(f, s)
	nodes(f, s.Nodes)
	if c := sm.Cache; c != nil {
		f.Add("scalesim_cache_enabled", "1 when the cache is on, 0 when it is turned off.", G, Gauge(boolValue(c.Enabled)))
		f.Add("scalesim_cache_keys", "Keys in the cache now.", G, Gauge(float64(c.Keys)))
	}
	if a := s.Autoscale; a != nil {
		autoscaler(f, a)
	}
	if st := sm.Stock; st != nil {
		lbl := []string{"strategy", st.Strategy}
		f.Add("scalesim_stock_initial_units", "Units on sale at the start.", G, Gauge(float64(st.Initial), lbl...))
		f.Add("scalesim_stock_left_units", "Units left in the database's count now.", G, Gauge(float64(st.Left), lbl...))
		f.Add("scalesim_stock_real_left_units", "Units really left now: the initial stock less the sales confirmed.", G, Gauge(float64(st.RealLeft), lbl...))
		f.Add("scalesim_stock_overclaimed_units", "Units the count the strategy sells from claims beyond the real stock (negative: fewer).", G, Gauge(float64(st.CounterError), lbl...))
		f.Add("scalesim_stock_sold_total", "Sales confirmed over the whole run.", C, Count(st.Sold, lbl...))
		f.Add("scalesim_stock_oversold_units", "Sales confirmed of units that no longer existed, over the whole run.", G, Gauge(float64(st.Oversold), lbl...))
		f.Add("scalesim_stock_lock_queue", "Buyers waiting for a row lock now.", G, Gauge(float64(st.LockQueue), lbl...))
		f.Add("scalesim_stock_orders_pending", "Orders sold in Redis and not yet committed to the database (redis strategy).", G, Gauge(float64(st.OrdersPending), lbl...))
	}
	return f
}

// clients adds what the clients saw, named as the summary names them:
// a logical request may take several attempts (scalesim_requests_total
// counts the attempts), and ends once, answered (goodput), dropped,
// failed or abandoned.
func clients(f *Families, t sim.Counts) {
	l := t.Logical
	f.Add("scalesim_logical_requests_sent_total", "Logical requests clients sent, however many attempts each took.", CounterType, Count(l.Sent))
	f.Add("scalesim_logical_requests_total", "Logical requests that ended: answered while their client waited, dropped or failed on their last attempt, or abandoned by their client.", CounterType,
		LogicalOutcomes(l)...)
	f.Add("scalesim_logical_requests_waiting", "Logical requests in flight now: an attempt pending or a retry backing off.", GaugeType, Gauge(float64(l.Waiting)))
	f.Add("scalesim_requests_retries_total", "Arrived requests that were retries: attempts beyond the first of their logical request.", CounterType, Count(t.Retries))
	f.Add("scalesim_retries_throttled_total", "Retries a retry budget refused.", CounterType, Count(l.Throttled))
}

// autoscaler adds the autoscaler's state.
func autoscaler(f *Families, a *sim.AutoscaleState) {
	f.Add("scalesim_autoscaler_current_nodes", "App nodes taking traffic now.", GaugeType, Gauge(float64(a.Current)))
	f.Add("scalesim_autoscaler_booting_nodes", "App nodes booting now.", GaugeType, Gauge(float64(a.Booting)))
	f.Add("scalesim_autoscaler_desired_nodes", "App nodes the pool should have: what the autoscaler, or a person, last asked for.", GaugeType, Gauge(float64(a.Desired)))
	f.Add("scalesim_autoscaler_recommended_nodes", "What the rule's formula gave at the last evaluation, before the limits.", GaugeType, Gauge(float64(a.Recommended)))
	f.Add("scalesim_autoscaler_min_nodes", "The autoscaler's lower bound.", GaugeType, Gauge(float64(a.Min)))
	f.Add("scalesim_autoscaler_max_nodes", "The autoscaler's upper bound.", GaugeType, Gauge(float64(a.Max)))
	if a.Measured {
		f.Add("scalesim_autoscaler_metric_value", "The metric the autoscaler scales on, at its last evaluation, in the metric's unit (a ratio for cpu and busy_workers, requests per node for backlog, seconds for p99).", GaugeType,
			Gauge(autoscaleUnit(a.Metric, a.Value), "metric", a.Metric))
	}
	f.Add("scalesim_autoscaler_metric_target", "The autoscaler's target for its metric, in the metric's unit.", GaugeType,
		Gauge(autoscaleUnit(a.Metric, a.Target), "metric", a.Metric))
	f.Add("scalesim_autoscaler_evaluations_total", "Evaluations the autoscaler made.", CounterType, Count(uint64(a.Evaluations)))
}

// autoscaleUnit turns the autoscaler's p99, in milliseconds, into
// seconds; other metrics are in base units already.
func autoscaleUnit(metric string, v float64) float64 {
	if metric == "p99" {
		return v / 1e3
	}
	return v
}

// stations adds the per-station families: the app's worker slots, the
// cores, the database (all servers), the cache and the offload service.
func stations(f *Families, sts []sim.StationLifetime) {
	per := func(name, help string, typ MetricType, v func(st sim.StationLifetime) float64) {
		var ms []*Metric
		for _, st := range sts {
			m := Gauge(v(st), "station", st.Name)
			if typ == CounterType {
				m = Counter(v(st), "station", st.Name)
			}
			ms = append(ms, m)
		}
		f.Add(name, help, typ, ms...)
	}
	per("scalesim_station_servers", "Servers of a station now: worker slots, cores, database cores, cache threads.", GaugeType,
		func(st sim.StationLifetime) float64 { return float64(st.Servers) })
	per("scalesim_station_busy", "Servers of a station busy now.", GaugeType,
		func(st sim.StationLifetime) float64 { return float64(st.Busy) })
	per("scalesim_station_queue_length", "Requests waiting at a station now (the app's: in the nodes' backlogs).", GaugeType,
		func(st sim.StationLifetime) float64 { return float64(st.Queued) })
	per("scalesim_station_completions_total", "Services a station completed.", CounterType,
		func(st sim.StationLifetime) float64 { return float64(st.Completions) })
	per("scalesim_station_dropped_total", "Requests a station refused for lack of room.", CounterType,
		func(st sim.StationLifetime) float64 { return float64(st.Dropped) })
	per("scalesim_station_server_seconds_total", "Servers times the simulated seconds they existed.", CounterType,
		func(st sim.StationLifetime) float64 { return st.ServerSeconds })
	per("scalesim_station_busy_seconds_total", "Busy servers times simulated seconds: its rate over the server seconds' is the utilisation.", CounterType,
		func(st sim.StationLifetime) float64 { return st.BusySeconds })
	per("scalesim_station_queue_seconds_total", "Waiting requests times simulated seconds: its rate over simulated seconds' is the mean queue length.", CounterType,
		func(st sim.StationLifetime) float64 { return st.QueueSeconds })
}

// dbServers adds the families of each database server ever started.
func dbServers(f *Families, s *sim.Snapshot) {
	conns := map[string]int{}
	if d := s.Summary.DB; d != nil {
		for _, sv := range d.Servers {
			conns[sv.Name] = sv.Connections
		}
	}
	var busy, queue, cores, done, busyS, queueS, open []*Metric
	for _, sv := range s.Life.DBServers {
		l := []string{"server", sv.Name, "role", sv.Role}
		cores = append(cores, Gauge(float64(sv.Servers), l...))
		busy = append(busy, Gauge(float64(sv.Busy), l...))
		queue = append(queue, Gauge(float64(sv.Queued), l...))
		open = append(open, Gauge(float64(conns[sv.Name]), l...))
		done = append(done, Count(sv.Completions, l...))
		busyS = append(busyS, Counter(sv.BusySeconds, l...))
		queueS = append(queueS, Counter(sv.QueueSeconds, l...))
	}
	f.Add("scalesim_db_server_cores", "Cores of a database server now (0 once removed).", GaugeType, cores...)
	f.Add("scalesim_db_server_busy", "Cores of a database server busy now.", GaugeType, busy...)
	f.Add("scalesim_db_server_queue_length", "Queries waiting for a core of a database server now.", GaugeType, queue...)
	f.Add("scalesim_db_server_connections", "Connections open to a database server now.", GaugeType, open...)
	f.Add("scalesim_db_server_queries_total", "Queries a database server completed.", CounterType, done...)
	f.Add("scalesim_db_server_busy_seconds_total", "Busy cores of a database server times simulated seconds.", CounterType, busyS...)
	f.Add("scalesim_db_server_queue_seconds_total", "Waiting queries of a database server times simulated seconds.", CounterType, queueS...)
}

// nodes adds the families of each app node, labelled by its number.
func nodes(f *Families, ns []sim.NodeState) {
	var up, state, inflight, backlog, cores, busy, mem, oom []*Metric
	counts := map[sim.NodeStatus]int{}
	for i, n := range ns {
		l := []string{"node", strconv.Itoa(i + 1)}
		counts[n.State]++
		up = append(up, Gauge(boolValue(n.State == sim.NodeUp), l...))
		state = append(state, Gauge(1, append(l, "state", n.State.String())...))
		inflight = append(inflight, Gauge(float64(n.InFlight), l...))
		backlog = append(backlog, Gauge(float64(n.Backlog), l...))
		cores = append(cores, Gauge(float64(n.Cores), l...))
		busy = append(busy, Gauge(float64(n.BusyCores), l...))
		mem = append(mem, Gauge(float64(n.MemoryUsed), l...))
		oom = append(oom, Count(uint64(n.OOMKills), l...))
	}
	var byState []*Metric
	for _, st := range nodeStates {
		byState = append(byState, Gauge(float64(counts[st]), "state", st.String()))
	}
	f.Add("scalesim_nodes", "App nodes by state.", GaugeType, byState...)
	f.Add("scalesim_node_up", "1 when an app node takes requests.", GaugeType, up...)
	f.Add("scalesim_node_state", "An app node's state: 1 for the state it is in.", GaugeType, state...)
	f.Add("scalesim_node_in_flight", "Requests on an app node now, in its backlog or its workers.", GaugeType, inflight...)
	f.Add("scalesim_node_backlog", "Requests in an app node's listen backlog now.", GaugeType, backlog...)
	f.Add("scalesim_node_cores", "Cores of an app node.", GaugeType, cores...)
	f.Add("scalesim_node_busy_cores", "Cores of an app node running now.", GaugeType, busy...)
	f.Add("scalesim_node_memory_used_bytes", "Memory the workers of an app node use now.", GaugeType, mem...)
	f.Add("scalesim_node_oom_kills_total", "Worker processes the OOM killer took on an app node.", CounterType, oom...)
}

// nodeStates are the states a node is counted in.
var nodeStates = []sim.NodeStatus{sim.NodeUp, sim.NodeBooting, sim.NodeDraining, sim.NodeDown}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
