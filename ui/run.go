package ui

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"

	"scalesim/record"
	"scalesim/sim"
	"scalesim/story"
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
	// OnFrame, if set, is given every snapshot the dashboard takes, on
	// the simulation's goroutine, with the generation of the simulation
	// (a reset or an open starts a new one). It must return quickly and
	// not modify the snapshot.
	OnFrame func(gen int, s sim.Snapshot)
	// Record, if set, is the file the session is recorded to, from
	// simulated time 0 (see recording); the R key records too.
	Record string
	// Story, if set, is played in story mode: its steps, captions and
	// notes, in language Lang.
	Story *story.Story
	Lang  string
	// Replay, if set, is the recording Topology replays (its changes as
	// events): the dashboard checks its checksums as it plays and says
	// on the status line whether the replay agrees.
	Replay *record.Recording
	// Theme is the theme the dashboard starts with: ThemeDefault ("")
	// or ThemeContrast, for a projector (V switches).
	Theme string
}

// Speeds lists the speeds the dashboard runs at, slowest first, in
// simulated seconds per wall-clock second; Options.Speed is rounded to
// the nearest.
func Speeds() []float64 { return slices.Clone(speeds) }

// Run shows the live dashboard on the terminal until the user quits. The
// caller checks that the terminal is one.
//
// Every way out restores the terminal: q and ctrl+c; SIGHUP, SIGQUIT
// and SIGTERM (the program is asked to quit, then killed); a panic in
// the dashboard (Bubble Tea restores the terminal and prints it); and a
// program that does not end even when killed (the terminal is restored
// here and Run returns without it).
func Run(opts Options) error {
	if opts.Topology == nil && opts.Story != nil {
		opts.Topology = opts.Story.Topology
	}
	if opts.Topology == nil {
		return errors.New("ui: no topology")
	}
	if err := CheckTheme(opts.Theme); err != nil {
		return err
	}
	lipgloss.SetColorProfile(styleProfile(noColorEnv(), lipgloss.ColorProfile()))
	speed := opts.Speed
	if speed <= 0 {
		speed = 1
	}
	speed = speeds[speedIndex(speed)]
	r, err := startRunner(opts.Topology, opts.Seed, speed, opts.Paused, opts.OnFrame)
	if err != nil {
		return err
	}
	defer r.Close()
	m := newModel(opts, r, speed, opts.Paused)
	if opts.Record != "" {
		if err := m.startRecording(opts.Record); err != nil {
			return err
		}
	}
	return runProgram(m)
}

// runProgram shows m on the terminal, in the alternate screen, until it
// quits or a signal stops it (see Run).
func runProgram(m tea.Model) error {
	p := tea.NewProgram(m, tea.WithAltScreen())

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	restore := saveTerminal(os.Stdin, os.Stdout)
	ended := make(chan error, 1)
	go func() {
		_, err := p.Run()
		ended <- err
	}()
	return awaitProgram(ended, sigs, p.Quit, p.Kill, restore)
}

// Stopped is the error of a dashboard ended by a signal: SIGHUP, SIGQUIT
// or SIGTERM, or a SIGINT sent by kill (ctrl+c in the dashboard is a key,
// not a signal). A command exits with 128 plus the signal's number.
type Stopped struct{ Signal syscall.Signal }

func (e Stopped) Error() string {
	return "the dashboard was stopped by " + unix.SignalName(e.Signal)
}

// killAfter is how long a program asked to quit (or killed) has before
// the next, harder step.
const killAfter = 500 * time.Millisecond

// awaitProgram waits for the program to end and returns its error. A
// signal asks it to quit; should it not end within killAfter (or should
// a second signal come), it is killed; should it still not end, restore
// puts the terminal back and awaitProgram returns anyway.
func awaitProgram(ended <-chan error, sigs <-chan os.Signal, quit, kill, restore func()) error {
	var sig os.Signal
	select {
	case err := <-ended:
		if errors.Is(err, tea.ErrInterrupted) {
			return Stopped{syscall.SIGINT}
		}
		return err
	case sig = <-sigs:
	}
	stop := Stopped{syscall.SIGTERM}
	if s, ok := sig.(syscall.Signal); ok {
		stop.Signal = s
	}
	stopped := func(err error) error {
		if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			return fmt.Errorf("%w: %w", stop, err)
		}
		return stop
	}
	go quit() // it blocks while the program is busy
	t := time.NewTimer(killAfter)
	defer t.Stop()
	select {
	case err := <-ended:
		return stopped(err)
	case <-sigs:
	case <-t.C:
	}
	kill()
	t.Reset(killAfter)
	select {
	case err := <-ended:
		return stopped(err)
	case <-t.C:
	}
	restore()
	return stopped(nil)
}

// saveTerminal returns a function that puts the terminal back as it is
// now: its mode, the main screen, the cursor shown.
func saveTerminal(in, out *os.File) func() {
	state, err := term.GetState(in.Fd())
	return func() {
		if err == nil {
			_ = term.Restore(in.Fd(), state)
		}
		_, _ = out.WriteString("\x1b[?1049l\x1b[?25h")
	}
}
