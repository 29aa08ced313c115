//go:build race

package sim

// raceEnabled: the race detector instruments allocations, so tests that
// count them run only without it.
const raceEnabled = true
