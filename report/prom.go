package report

import (
	"io"
	"strconv"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"

	"scalesim/metrics"
	"scalesim/sim"
	"scalesim/termsafe"
)

// Prom writes s in the Prometheus text exposition format: metric names in
// base units (seconds, ratios), counters ending in _total, labels for the
// station, the outcome and its cause. A count's scope is its label scope:
// "run" for the whole run, "window" for the measured window (after the
// warm-up); gauges of rates, ratios and means cover the window, as their
// help says.
func Prom(w io.Writer, s sim.Summary) error {
	fams := metrics.NewFamilies()
	add := fams.Add
	gauge, counter := metrics.Gauge, metrics.Count
	G, C := metrics.GaugeType, metrics.CounterType

	add("scalesim_info", "The simulated topology and seed.", G, gauge(1, "name", termsafe.Line(s.Name), "seed", strconv.FormatUint(s.Seed, 10)))
	add("scalesim_simulated_seconds", "Length of the measured window, in simulated seconds.", G, gauge(s.DurationS))
	add("scalesim_warmup_seconds", "Simulated warm-up discarded before the window.", G, gauge(s.WarmupS))
	add("scalesim_events_total", "Events the simulator processed.", C, counter(s.Events))
	r, wn := s.Requests, s.Window
	add("scalesim_requests_arrived_total", "Requests that reached the load balancer (attempts: retries included), over the whole run (scope run) and in the window.", C,
		counter(r.Arrived, "scope", "run"), counter(wn.Arrived, "scope", "window"))
	var ended []*dto.Metric
	for _, sc := range []struct {
		scope string
		c     sim.Counts
	}{{"run", r}, {"window", wn}} {
		ended = append(ended, metrics.Outcomes(sc.c, "scope", sc.scope)...)
	}
	add("scalesim_requests_total", "Requests that ended, by outcome and the cause of a drop or failure.", C, ended...)
	add("scalesim_requests_retries_total", "Arrived requests that were retries: attempts beyond the first of their logical request.", C,
		counter(r.Retries, "scope", "run"), counter(wn.Retries, "scope", "window"))
	add("scalesim_requests_wasted_total", "Completed requests whose client had stopped waiting: work done for nobody.", C,
		counter(r.Wasted, "scope", "run"), counter(wn.Wasted, "scope", "window"))
	var logical []*dto.Metric
	for _, sc := range []struct {
		scope string
		l     sim.Logical
	}{{"run", r.Logical}, {"window", wn.Logical}} {
		logical = append(logical, metrics.LogicalOutcomes(sc.l, "scope", sc.scope)...)
	}
	add("scalesim_logical_requests_sent_total", "Logical requests clients sent, however many attempts each took.", C,
		counter(r.Logical.Sent, "scope", "run"), counter(wn.Logical.Sent, "scope", "window"))
	add("scalesim_logical_requests_total", "Logical requests that ended: answered while their client waited, dropped or failed on their last attempt, or abandoned by their client.", C, logical...)
	add("scalesim_logical_requests_waiting", "Logical requests in flight at the end of the run: an attempt pending or a retry backing off.", G, gauge(float64(r.Logical.Waiting)))
	add("scalesim_retries_throttled_total", "Retries a retry budget refused.", C,
		counter(r.Logical.Throttled, "scope", "run"), counter(wn.Logical.Throttled, "scope", "window"))
	add("scalesim_requests_in_flight", "Requests in the system at the end of the run.", G, gauge(float64(r.InFlight)))
	add("scalesim_in_flight_cap", "The simulator's cap on requests in the system at once; arrivals beyond it are dropped (cause in_flight_cap).", G, gauge(float64(s.InFlightCap)))
	add("scalesim_throughput_requests_per_second", "Completed requests per simulated second in the window.", G, gauge(s.ThroughputRPS))
	add("scalesim_goodput_requests_per_second", "Logical requests answered while their client waited, per simulated second in the window.", G, gauge(s.GoodputRPS))

	l := s.LatencyMs
	add("scalesim_request_duration_seconds", "End-to-end latency, as their clients saw it, of logical requests answered in the window (retries included).", metrics.SummaryType,
		&dto.Metric{Summary: &dto.Summary{
			SampleCount: proto.Uint64(s.Window.Logical.Goodput),
			SampleSum:   proto.Float64(l.Mean / 1e3 * float64(s.Window.Logical.Goodput)),
			Quantile: []*dto.Quantile{
				{Quantile: proto.Float64(0.5), Value: proto.Float64(l.P50 / 1e3)},
				{Quantile: proto.Float64(0.95), Value: proto.Float64(l.P95 / 1e3)},
				{Quantile: proto.Float64(0.99), Value: proto.Float64(l.P99 / 1e3)},
			},
		}})
	add("scalesim_request_duration_max_seconds", "Longest end-to-end latency in the window.", G, gauge(l.Max/1e3))
	var byClass, classRate []*dto.Metric
	for _, c := range s.Classes {
		byClass = append(byClass, latencySummary(c.LatencyMs, c.Completed, "class", termsafe.Line(c.Name)))
		classRate = append(classRate, gauge(c.ThroughputRPS, "class", termsafe.Line(c.Name)))
	}
	add("scalesim_class_request_duration_seconds", "End-to-end latency of a request class's requests completed in the window.", dto.MetricType_SUMMARY, byClass...)
	add("scalesim_class_throughput_requests_per_second", "Completed requests of a class per simulated second in the window.", G, classRate...)
	var classDone []*dto.Metric
	for _, c := range s.Classes {
		classDone = append(classDone, counter(c.Completed, "class", termsafe.Line(c.Name), "scope", "window"))
	}
	add("scalesim_class_requests_completed_total", "Requests of a class answered in the window.", C, classDone...)
	if len(s.Populations) > 0 {
		var users, think, popRate, popDone, popLat []*dto.Metric
		for _, p := range s.Populations {
			users = append(users, gauge(float64(p.Users), "population", termsafe.Line(p.Name)))
			think = append(think, gauge(p.ThinkMs/1e3, "population", termsafe.Line(p.Name)))
			popRate = append(popRate, gauge(p.ThroughputRPS, "population", termsafe.Line(p.Name)))
			popDone = append(popDone, counter(p.Completed, "population", termsafe.Line(p.Name), "scope", "window"))
			popLat = append(popLat, latencySummary(p.LatencyMs, p.Completed, "population", termsafe.Line(p.Name)))
		}
		add("scalesim_population_users", "Users of a population of the closed workload.", G, users...)
		add("scalesim_population_think_seconds", "Mean think time of a population's users.", G, think...)
		add("scalesim_population_request_duration_seconds", "End-to-end latency of the requests of a population's classes completed in the window.", dto.MetricType_SUMMARY, popLat...)
		add("scalesim_population_throughput_requests_per_second", "Completed requests of a population's classes per simulated second in the window.", G, popRate...)
		add("scalesim_population_requests_completed_total", "Requests of a population's classes answered in the window.", C, popDone...)
	}

	per := func(name, help string, typ dto.MetricType, f func(st sim.StationStats) *dto.Metric) {
		var ms []*dto.Metric
		for _, st := range s.Stations {
			ms = append(ms, f(st))
		}
		add(name, help, typ, ms...)
	}
	per("scalesim_station_servers", "Servers of a station: worker slots, cores, DB cores, cache threads.", G,
		func(st sim.StationStats) *dto.Metric { return gauge(float64(st.Servers), "station", st.Name) })
	per("scalesim_station_utilization_ratio", "Time-averaged fraction of a station's servers busy.", G,
		func(st sim.StationStats) *dto.Metric { return gauge(st.Utilization, "station", st.Name) })
	per("scalesim_station_throughput_per_second", "Services a station completed per simulated second.", G,
		func(st sim.StationStats) *dto.Metric { return gauge(st.ThroughputRPS, "station", st.Name) })
	per("scalesim_station_queue_length", "Time-averaged number of requests waiting at a station.", G,
		func(st sim.StationStats) *dto.Metric { return gauge(st.QueueMean, "station", st.Name) })
	per("scalesim_station_wait_seconds", "Mean time a request waited at a station before service.", G,
		func(st sim.StationStats) *dto.Metric { return gauge(st.WaitMsMean/1e3, "station", st.Name) })
	per("scalesim_station_service_seconds", "Mean service time at a station.", G,
		func(st sim.StationStats) *dto.Metric { return gauge(st.ServiceMsMean/1e3, "station", st.Name) })
	per("scalesim_station_completions_total", "Services a station completed in the window.", C,
		func(st sim.StationStats) *dto.Metric {
			return counter(st.Completions, "station", st.Name, "scope", "window")
		})
	per("scalesim_station_dropped_total", "Requests a station refused for lack of room in the window.", C,
		func(st sim.StationStats) *dto.Metric {
			return counter(st.Dropped, "station", st.Name, "scope", "window")
		})

	if c := s.Cache; c != nil {
		add("scalesim_cache_lookups_total", "Cache reads in the window, by result.", C,
			counter(c.Hits, "result", "hit", "scope", "window"), counter(c.Misses, "result", "miss", "scope", "window"))
		if c.Used { // without a lookup there is no ratio
			add("scalesim_cache_hit_ratio", "Fraction of cache reads that hit in the window.", G, gauge(c.HitRatio))
		}
	}
	if d := s.DB; d != nil {
		var conns, refused []*dto.Metric
		for _, sv := range d.Servers {
			conns = append(conns, gauge(float64(sv.Connections), "server", sv.Name, "role", sv.Role))
			refused = append(refused, counter(sv.Refused, "server", sv.Name, "role", sv.Role, "scope", "window"))
		}
		add("scalesim_db_connections", "Connections open to a database server at the end of the run.", G, conns...)
		add("scalesim_db_connections_refused_total", "Connections a database server refused in the window (max_connections).", C, refused...)
		if d.Replicas > 0 {
			add("scalesim_db_replica_reads_total", "Reads served by replicas in the window.", C, counter(d.ReplicaReads, "scope", "window"))
			if d.StaleUpperBound {
				add("scalesim_db_stale_reads_upper_bound_total", "Replica reads served while a committed write had not reached the replica, in the window: at most this many were stale (rows are not modelled).", C,
					counter(d.StaleReads, "scope", "window"))
			} else {
				add("scalesim_db_stale_reads_total", "Replica reads of a row written within the replication lag, in the window.", C, counter(d.StaleReads, "scope", "window"))
			}
		}
		add("scalesim_db_pool_wait_seconds", "Mean wait for a pooler connection in the window.", G, gauge(d.PoolWaitMsMean/1e3))
	}
	if st := s.Stock; st != nil {
		lbl := []string{"strategy", st.Strategy}
		run := append(lbl, "scope", "run")
		win := append(lbl[:2:2], "scope", "window")
		add("scalesim_stock_initial_units", "Units on sale at the start.", G, gauge(float64(st.Initial), lbl...))
		add("scalesim_stock_left_units", "Units left in the database's count at the end.", G, gauge(float64(st.Left), lbl...))
		add("scalesim_stock_real_left_units", "Units really left at the end: the initial stock less the sales confirmed.", G, gauge(float64(st.RealLeft), lbl...))
		add("scalesim_stock_counter_error_units", "Units the counter the strategy sells from claims beyond the real stock, at the end.", G, gauge(float64(st.CounterError), lbl...))
		add("scalesim_stock_sold_total", "Sales confirmed, over the whole run and in the window.", C, counter(st.Sold, run...), counter(st.SoldWindow, win...))
		add("scalesim_stock_oversold_units", "Sales confirmed of units that no longer existed, over the whole run.", G, gauge(float64(st.Oversold), run...))
		add("scalesim_stock_lost_updates", "Units stock write-backs left in the counter by overwriting other buyers', over the whole run.", G, gauge(float64(st.LostUpdates), run...))
		add("scalesim_stock_sold_out_total", "Buyers told the item was sold out in the window.", C, counter(st.SoldOut, win...))
		add("scalesim_stock_conflicts_total", "Optimistic updates that found the row changed, in the window.", C, counter(st.Conflicts, win...))
		add("scalesim_stock_retries_total", "Optimistic retries in the window.", C, counter(st.Retries, win...))
		add("scalesim_stock_gave_up_total", "Buyers who ran out of optimistic retries in the window.", C, counter(st.GaveUp, win...))
		add("scalesim_stock_lock_wait_seconds", "Row lock wait: mean and 99th percentile in the window.", G,
			gauge(st.LockWaitMs/1e3, append(lbl[:2:2], "stat", "mean")...), gauge(st.LockWaitP99Ms/1e3, append(lbl[:2:2], "stat", "p99")...))
		add("scalesim_stock_lock_queue_length", "Time-averaged buyers waiting for a row lock in the window.", G, gauge(st.LockQueueMean, lbl...))
		add("scalesim_stock_orders_queued", "Orders waiting to be written at the end (redis strategy).", G, gauge(float64(st.OrdersQueued), lbl...))
		add("scalesim_stock_order_lag_seconds", "Mean time from a sale to its order in the database in the window (redis strategy).", G, gauge(st.OrderLagMs/1e3, lbl...))
	}
	var oom []*dto.Metric
	for i, n := range s.Nodes {
		oom = append(oom, counter(uint64(n.OOMKills), "node", strconv.Itoa(i+1), "scope", "run"))
	}
	add("scalesim_app_oom_kills_total", "Worker processes the OOM killer took, by app node.", C, oom...)

	return fams.WriteText(w)
}

// latencySummary is a summary of n latencies l (in ms), in seconds, with
// the label k=v.
func latencySummary(l sim.Latency, n uint64, k, v string) *dto.Metric {
	return &dto.Metric{
		Label: []*dto.LabelPair{{Name: proto.String(k), Value: proto.String(v)}},
		Summary: &dto.Summary{
			SampleCount: proto.Uint64(n),
			SampleSum:   proto.Float64(l.Mean / 1e3 * float64(n)),
			Quantile: []*dto.Quantile{
				{Quantile: proto.Float64(0.5), Value: proto.Float64(l.P50 / 1e3)},
				{Quantile: proto.Float64(0.95), Value: proto.Float64(l.P95 / 1e3)},
				{Quantile: proto.Float64(0.99), Value: proto.Float64(l.P99 / 1e3)},
			},
		}}
}
