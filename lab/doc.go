// Package lab measures a real uWSGI server on this machine against
// scalesim's prediction for the same topology: a tiny WSGI app (app.py)
// whose pages burn a given CPU time and wait a given I/O time, uWSGI
// configurations for sync workers, threads and gevent pinned to one
// core, an open and a closed load generator, and the simulation of the
// matching topology.
//
// The comparison tests the model, not the sampling or a guess: an open
// load sends exactly the arrivals scalesim draws for the run's seed
// (sim.Arrivals), scalesim simulates the same warm-up and window with
// that seed, and the CPU a request costs is measured during each run
// (the uWSGI processes' run time, exact from their schedstat, over the
// requests completed: the service demand law), with the part of a
// request's latency outside the server, measured at one connection, as
// the load balancer's hop.
//
// It runs only when asked (SCALESIM_LAB=1; see run.sh and the README's
// "The lab"), listens on loopback only, and stops every server it
// starts. Its load generator, CPU meter and results are tested on their
// own in every run, and its measurements (lab/measured) are checked
// against the simulator by TestFidelityToQuietMeasurements.
package lab
