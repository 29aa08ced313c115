package ui

import "errors"

// RunSplit shows the split dashboard of opts.A and opts.B on the
// terminal until the user quits; the caller checks that the terminal is
// one. Every way out restores the terminal, as Run's do.
func RunSplit(opts SplitOptions) error {
	if opts.A == nil || opts.B == nil {
		return errors.New("ui: a split needs two topologies")
	}
	speed := opts.Speed
	if speed <= 0 {
		speed = 1
	}
	speed = speeds[speedIndex(speed)]
	pair, err := startPairRunner(opts.A, opts.B, opts.Seed, speed, opts.Paused)
	if err != nil {
		return err
	}
	defer pair.Close()
	return runProgram(newSplitModel(opts, pair, speed, opts.Paused))
}
