// Package sim owns the discrete-event simulation of a topology: the event
// loop, the stations (worker slots, GILs, cores, cache, database, offload
// service), the workload, and the streaming statistics that describe a run.
//
// It takes a *topology.Topology and produces plain data: a Summary at the
// end of a run and Snapshots while it runs. It knows nothing of terminals,
// output formats or files. Everything runs on one goroutine: a heap of
// timestamped events, no goroutine per request, and no allocation per event
// once the run has warmed up its free lists.
package sim
