// Package lab measures a real uWSGI server on this machine against
// scalesim's prediction for the same topology: a tiny WSGI app (app.py)
// whose pages burn a given CPU time and wait a given I/O time, uWSGI
// configurations for sync workers, threads and gevent pinned to one
// core, an open (Poisson) and a closed load generator, and the
// simulation of the matching topology with the service time measured on
// the real server first.
//
// It runs only when asked (SCALESIM_LAB=1; see run.sh and the README's
// "The lab"), listens on loopback only, and stops every server it
// starts. Its load generator is tested on its own in every run.
package lab
