// Command scalesim simulates web scaling architectures: a live terminal
// dashboard by default, or headless runs that print a summary.
//
//	scalesim [FILE|PRESET]              open the live dashboard
//	scalesim run [flags] FILE|PRESET    simulate headless, print a summary
//	scalesim validate FILE...           check topology files
//	scalesim presets                    list the embedded presets
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"scalesim/presets"
	"scalesim/report"
	"scalesim/sim"
	"scalesim/topology"
	"scalesim/ui"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // something went wrong that is not the input's fault
	exitInvalid = 2 // bad input: usage, a topology file, a flag
)

// invalid marks an error as the input's fault (exit code 2).
type invalid struct{ err error }

func (e invalid) Error() string { return e.err.Error() }
func (e invalid) Unwrap() error { return e.err }

func invalidf(format string, args ...any) error { return invalid{fmt.Errorf(format, args...)} }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit code and prints any error
// once, here.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(args, stdin, stdout)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "scalesim: %v\n", err)
	var inv invalid
	var terr topology.Errors
	var te *topology.Error
	if errors.As(err, &inv) || errors.As(err, &terr) || errors.As(err, &te) {
		return exitInvalid
	}
	return exitFailure
}

func dispatch(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return tui(nil, stdin, stdout)
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout)
	case "validate":
		return validateCmd(args[1:], stdout)
	case "presets":
		return presetsCmd(args[1:], stdout)
	case "tui":
		return tui(args[1:], stdin, stdout)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if strings.HasPrefix(args[0], "-") {
		return invalidf("unknown flag %s\n%s", args[0], usage)
	}
	return tui(args, stdin, stdout)
}

const usage = `usage:
  scalesim [FILE|PRESET]              open the live dashboard (default preset: ` + presets.Default + `)
  scalesim tui [--seed N] [FILE|PRESET]
  scalesim run [--duration D] [--warmup D] [--seed N] [--format text|json|prom] FILE|PRESET
  scalesim validate FILE...           check topology files (exit 0 if all are valid, 2 if not)
  scalesim presets                    list the embedded presets
`

// load reads a topology from a file or an embedded preset; see
// presets.Resolve for the rules.
func load(arg string) (*topology.Topology, error) {
	return presets.Resolve(arg)
}

// parseArgs parses flags placed before or after the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, invalid{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func runCmd(args []string, stdout io.Writer) error {
	fs := newFlags("run")
	duration := fs.Duration("duration", 60*time.Second, "simulated time measured, after the warm-up")
	warmup := fs.Duration("warmup", 10*time.Second, "simulated time run first and not measured")
	seed := fs.Uint64("seed", 0, "random seed (0: the file's seed)")
	format := fs.String("format", "text", "output format: text, json or prom")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return invalidf("run takes one FILE or PRESET\n%s", usage)
	}
	if *duration <= 0 {
		return invalidf("--duration must be positive, got %v", *duration)
	}
	if *warmup < 0 {
		return invalidf("--warmup must not be negative, got %v", *warmup)
	}
	if !validFormat(*format) {
		return invalidf("--format %q: allowed: %s", *format, strings.Join(report.Formats, ", "))
	}
	t, err := load(pos[0])
	if err != nil {
		return err
	}
	s, err := sim.New(t, sim.Options{Seed: *seed, Warmup: *warmup})
	if err != nil {
		return err
	}
	s.Advance(*warmup + *duration)
	return report.Write(stdout, *format, s.Summary())
}

func validFormat(f string) bool {
	for _, ok := range report.Formats {
		if f == ok {
			return true
		}
	}
	return false
}

func validateCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return invalidf("validate takes one or more FILEs\n%s", usage)
	}
	var errs []error
	for _, a := range args {
		if _, err := load(a); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", a)
	}
	if len(errs) > 0 {
		return invalid{errors.Join(errs...)}
	}
	return nil
}

func presetsCmd(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return invalidf("presets takes no arguments")
	}
	list := presets.List()
	w := 0
	for _, p := range list {
		w = max(w, len(p.Name))
	}
	for _, p := range list {
		desc := ""
		if t, err := p.Load(); err == nil {
			desc = t.Name
		} else {
			desc = "(invalid: " + err.Error() + ")"
		}
		fmt.Fprintf(stdout, "%-*s  %s\n", w, p.Name, desc)
	}
	return nil
}

func tui(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("tui")
	seed := fs.Uint64("seed", 0, "random seed (0: the file's seed)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return invalidf("the dashboard opens one FILE or PRESET\n%s", usage)
	}
	source := presets.Default
	if len(pos) == 1 {
		source = pos[0]
	}
	t, err := load(source)
	if err != nil {
		return err
	}
	if !isTerminal(stdin) || !isTerminal(stdout) {
		return invalidf("the dashboard needs a terminal; for a headless summary run: scalesim run %s", source)
	}
	return ui.Run(ui.Options{Topology: t, Source: source, Seed: *seed})
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && (isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd()))
}
