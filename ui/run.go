package ui

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"scalesim/topology"
)

// Options start the dashboard.
type Options struct {
	// Topology is what to simulate; it must be valid.
	Topology *topology.Topology
	// Source is the file path or preset name it came from: shown in the
	// header and used for the default name when saving.
	Source string
	// Seed overrides the topology's seed when non-zero.
	Seed uint64
	// Speed is the initial speed in simulated seconds per wall-clock
	// second; 0 means 1 (real time).
	Speed float64
	// Paused starts the dashboard paused, for a presenter who explains
	// the diagram before the clock runs.
	Paused bool
}

// Run shows the live dashboard on the terminal until the user quits. The
// caller checks that the terminal is one.
func Run(opts Options) error {
	if opts.Topology == nil {
		return errors.New("ui: no topology")
	}
	speed := opts.Speed
	if speed <= 0 {
		speed = 1
	}
	speed = speeds[speedIndex(speed)]
	r, err := newRunner(opts.Topology, opts.Seed, speed, opts.Paused)
	if err != nil {
		return err
	}
	defer r.Close()
	m := newModel(opts, r, speed, opts.Paused)
	_, err = tea.NewProgram(m, tea.WithAltScreen()).Run()
	return err
}
