package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"scalesim/runplot"
	"scalesim/sim"
	"scalesim/topology"
)

// plotFlag is --plot FILE: its extension, checked when the flag is
// read, says the format.
type plotFlag struct{ path *string }

func (f plotFlag) String() string {
	if f.path == nil {
		return ""
	}
	return *f.path
}

func (f plotFlag) Set(s string) error {
	if _, err := runplot.Format(s); err != nil {
		return flagError{err.Error()}
	}
	*f.path = s
	return nil
}

// plotFile is a run's picture: the file, created before the run so that
// a path that cannot be written is said at once, and the recorder.
type plotFile struct {
	f      *os.File
	format string
	rec    *runplot.Recorder
}

// createPlot creates path (truncating it) for the picture of a run
// measured after warmup; nil, nil when path is "".
func createPlot(path string, warmup time.Duration) (*plotFile, error) {
	if path == "" {
		return nil, nil
	}
	format, err := runplot.Format(path)
	if err != nil {
		return nil, invalid{err}
	}
	f, err := topology.CreateFile(path)
	if err != nil {
		return nil, fmt.Errorf("--plot: %w", err)
	}
	return &plotFile{f: f, format: format, rec: runplot.New(warmup)}, nil
}

// recorder is the plot's recorder, or nil.
func (pf *plotFile) recorder() *runplot.Recorder {
	if pf == nil {
		return nil
	}
	return pf.rec
}

// onSecond adds the plot's recorder to the simulation's OnSecond f.
func (pf *plotFile) onSecond(f func(sim.Second)) func(sim.Second) {
	if pf == nil {
		return f
	}
	if f == nil {
		return pf.rec.Second
	}
	return func(r sim.Second) { f(r); pf.rec.Second(r) }
}

// close draws the run of s, the topology named name, and closes the
// file; a nil plot does nothing.
func (pf *plotFile) close(name string, s *sim.Sim) error {
	if pf == nil {
		return nil
	}
	var err error
	if s != nil {
		pf.rec.Marks(s.Marks())
		w := bufio.NewWriter(pf.f)
		title := name + ", seed " + strconv.FormatUint(s.Snapshot().Seed, 10)
		err = errors.Join(pf.rec.Write(w, pf.format, title), w.Flush())
	}
	if err = errors.Join(err, pf.f.Close()); err != nil {
		return fmt.Errorf("--plot %s: %w", pf.f.Name(), err)
	}
	return nil
}
