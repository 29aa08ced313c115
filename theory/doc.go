// Package theory holds the queueing formulas scalesim's measurements are
// checked against and shown beside: Erlang B and C, the M/M/c queue and
// its finite-room variant M/M/c/K, the M/G/1 queue of Pollaczek and
// Khinchine, Allen and Cunneen's approximation for M/G/c, processor
// sharing on c servers (M/M/c-PS, and M/G/c-PS, the same by
// insensitivity), and exact Mean
// Value Analysis of closed networks, with one class of users or several.
//
// It exists so that there is one copy of each formula, tested against
// published values, for the simulator's tests, the headless report and
// the dashboard alike. It is pure arithmetic: it knows nothing of the
// simulator, topologies or terminals, and the simulator does not use it
// to decide anything (its behaviour comes from its mechanism; theory
// only predicts it).
package theory
