//go:build !race

package story

// raceEnabled: the tests run under the race detector.
const raceEnabled = false
