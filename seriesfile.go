package main

import (
	"errors"
	"fmt"
	"os"

	"scalesim/report"
	"scalesim/sim"
	"scalesim/topology"
)

// seriesFlag is --series FILE: its extension, checked when the flag is
// read, says the format.
type seriesFlag struct{ path *string }

func (f seriesFlag) String() string {
	if f.path == nil {
		return ""
	}
	return *f.path
}

func (f seriesFlag) Set(s string) error {
	if _, err := report.SeriesFormat(s); err != nil {
		return flagError{err.Error()}
	}
	*f.path = s
	return nil
}

// seriesFile writes a run's seconds to a file as they close.
type seriesFile struct {
	f *os.File
	w *report.SeriesWriter
}

// createSeries creates path (truncating it) for the series; nil, nil
// when path is "".
func createSeries(path string) (*seriesFile, error) {
	if path == "" {
		return nil, nil
	}
	format, err := report.SeriesFormat(path)
	if err != nil {
		return nil, invalid{err}
	}
	f, err := topology.CreateFile(path)
	if err != nil {
		return nil, fmt.Errorf("--series: %w", err)
	}
	return &seriesFile{f: f, w: report.NewSeriesWriter(f, format)}, nil
}

// onSecond is the simulation's Options.OnSecond for the file, or nil.
func (sf *seriesFile) onSecond() func(sim.Second) {
	if sf == nil {
		return nil
	}
	return func(r sim.Second) { _ = sf.w.Write(r) } // the first error is kept for close
}

// close flushes and closes the file, returning the first error of any
// write.
func (sf *seriesFile) close() error {
	if sf == nil {
		return nil
	}
	err := errors.Join(sf.w.Flush(), sf.f.Close())
	if err != nil {
		return fmt.Errorf("--series %s: %w", sf.f.Name(), err)
	}
	return nil
}
