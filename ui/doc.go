// Package ui owns scalesim's live terminal dashboard: the Bubble Tea
// model that draws a running simulation (the topology as a diagram, live
// charts, a stations table, the event log, help) and turns key presses
// into live edits of the topology.
//
// It talks to the simulation only through sim's public API (Advance,
// Apply, Snapshot, ...) from one goroutine at a time: a Stepper owns the
// *sim.Sim, runs it paced to the wall clock in its own goroutine (the
// runner) or synchronously for tests, and hands the model plain-data
// Frames. The package knows nothing of event heaps, request records or
// how a station computes its statistics; it edits topologies only by
// cloning, changing and validating them.
package ui
