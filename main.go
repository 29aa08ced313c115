// Command scalesim simulates web scaling architectures: a live terminal
// dashboard by default, or headless runs that print a summary.
//
//	scalesim [flags] [FILE|PRESET]        open the live dashboard
//	scalesim run [flags] FILE|PRESET      simulate headless, print a summary
//	scalesim plan FILE|PRESET             the operational laws: bottleneck, ceiling
//	scalesim sweep FILE --set PATH=VALUES simulate a grid, several seeds a point
//	scalesim find FILE --vary PATH --slo  the smallest setting meeting an SLO
//	scalesim compare A [B] [--b PATH=V]   two designs on the same traffic
//	scalesim replay [--headless] FILE     play back a recording (--record FILE)
//	scalesim validate FILE|PRESET...      check topology files
//	scalesim presets [show NAME]          list the embedded presets, or print one
//
// Flags go anywhere on the line; every command has --help.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/mattn/go-isatty"

	"scalesim/presets"
	"scalesim/termsafe"
	"scalesim/topology"
	"scalesim/ui"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // something went wrong that is not the input's fault
	exitInvalid = 2 // bad input: usage, a flag, a file or preset that cannot be read or is not valid
	// A run or a dashboard stopped by a signal exits with 128 + the
	// signal's number, as shells report it: 130 for SIGINT, 143 for SIGTERM.
)

// invalid marks an error as the input's fault (exit code 2).
type invalid struct{ err error }

func (e invalid) Error() string { return e.err.Error() }
func (e invalid) Unwrap() error { return e.err }

func invalidf(format string, args ...any) error { return invalid{fmt.Errorf(format, args...)} }

// env is what a command reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit code and prints any error
// once, here, with control characters escaped (errors quote files).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := &outputWriter{w: stdout}
	code := runTo(args, stdin, out, stderr)
	if out.err != nil {
		fmt.Fprintf(stderr, "scalesim: cannot write the output: %s\n", termsafe.Text(osCause(out.err).Error()))
		return exitFailure
	}
	return code
}

// outputWriter remembers the first write that failed (a full disk, a
// closed pipe), so that no command ends with exit 0 and its output lost;
// later writes are not tried.
type outputWriter struct {
	w   io.Writer
	err error
}

func (o *outputWriter) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}

// osCause is the system's reason inside err ("no space left on device"),
// without Go's "write /dev/stdout:".
func osCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// runTo runs the command with stdout wrapped, and prints its error unless
// the output itself failed.
func runTo(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(args, &env{stdin: stdin, stdout: stdout, stderr: stderr})
	if err == nil {
		return exitOK
	}
	var help errHelp
	if errors.As(err, &help) {
		if help.cmd == nil {
			writeUsage(stdout)
		} else {
			help.cmd.writeHelp(stdout)
		}
		return exitOK
	}
	if o, ok := stdout.(*outputWriter); ok && o.err != nil {
		return exitFailure // the output's error is the one to print
	}
	fmt.Fprintf(stderr, "scalesim: %s\n", termsafe.Text(err.Error()))
	var intr interrupted
	var stop ui.Stopped
	var inv invalid
	var terr topology.Errors
	var te *topology.Error
	switch {
	case errors.As(err, &intr):
		return intr.exitCode()
	case errors.As(err, &stop):
		return 128 + int(stop.Signal)
	case errors.As(err, &inv) || errors.As(err, &terr) || errors.As(err, &te):
		return exitInvalid
	}
	return exitFailure
}

// themeUsage is the dashboards' --theme flag's.
const themeUsage = "colours `T`: default or contrast (a projector's)"

// commands lists the subcommands; the dashboard, the default, is first.
func commands() []*command {
	tui := newCommand("", "[FILE|PRESET]", "open the dashboard (default "+presets.Default+")",
		"Open the live dashboard on FILE or PRESET (default "+presets.Default+").\n"+
			"A name with a / or a .yaml ending is a file; preset:NAME is always a preset; a\n"+
			"bare NAME is a preset, unless a file or folder of that name is here: then\n"+
			"scalesim asks for ./NAME or preset:NAME.")
	tuiOpts := &ui.Options{}
	tuiOpts.Speed = 1
	tui.add(seedFlag{&tuiOpts.Seed}, "seed", "random seed `N`; default: the file's seed")
	tui.add(speedFlag{&tuiOpts.Speed}, "speed", "start at `X` simulated seconds per second")
	tui.add(boolFlag{&tuiOpts.Paused}, "paused", "start paused (space resumes, . steps one second)")
	tui.add(fileFlag{&tuiOpts.Record}, "record", "record the session to `FILE`, for scalesim replay")
	tui.add(choiceFlag{&tuiOpts.Theme, ui.Themes()}, "theme", themeUsage)
	var tuiListen string
	tui.add(addrFlag{&tuiListen}, "metrics-listen", metricsUsage)
	tui.run = func(c *command, pos []string, e *env) error { return tuiCmd(c, pos, e, tuiOpts, tuiListen) }

	alias := *tui
	alias.name, alias.summary = "tui", "the same as scalesim [flags] [FILE|PRESET]"

	return []*command{tui, &alias, newRunCommand(), newReplayCommand(), newPlanCommand(), newSweepCommand(), newFindCommand(), newCompareCommand(), newStoryCommand(), newValidateCommand(), newPresetsCommand(), newHelpCommand()}
}

// commandNames lists the commands by name, as help shows them.
func commandNames() []string {
	var names []string
	for _, c := range commands() {
		if c.name != "" {
			names = append(names, c.name)
		}
	}
	return names
}

// dispatch finds the command (the first argument that is not a flag or a
// flag's value, when it names one) and runs it.
func dispatch(args []string, e *env) error {
	all := commands()
	cmd, rest := all[0], args
	if i := commandIndex(args, all); i >= 0 {
		for _, c := range all[1:] {
			if c.name == args[i] {
				cmd = c
			}
		}
		rest = append(append([]string{}, args[:i]...), args[i+1:]...)
	}
	pos, err := cmd.parse(rest, all)
	var help errHelp
	if errors.As(err, &help) && cmd == all[0] {
		return errHelp{} // scalesim --help: the whole usage
	}
	if err != nil {
		return err
	}
	return cmd.run(cmd, pos, e)
}

// commandIndex returns the index of the first positional argument of
// args when it names a subcommand, else -1. Flags before it are skipped
// with their values, as any command would read them.
func commandIndex(args []string, all []*command) int {
	for i := 0; i < len(args); i++ {
		if args[i] == "--" {
			return -1
		}
		name, _, hasValue, ok := flagName(args[i])
		if !ok {
			for _, c := range all[1:] {
				if c.name == args[i] {
					return i
				}
			}
			return -1
		}
		if hasValue {
			continue
		}
		for _, c := range all {
			if f := c.flags.Lookup(name); f != nil {
				if !isBool(f) {
					i++
				}
				break
			}
		}
	}
	return -1
}

// writeUsage is scalesim --help.
func writeUsage(w io.Writer) {
	fmt.Fprintln(w, "scalesim simulates web scaling architectures: Django on uWSGI, caches, load")
	fmt.Fprintln(w, "balancers, databases. usage:")
	fmt.Fprintln(w)
	all := commands()
	width := 0
	for _, c := range all {
		if c.name != "tui" {
			width = max(width, len(c.usageLine()))
		}
	}
	for _, c := range all {
		if c.name == "tui" {
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.usageLine(), c.summary)
	}
	fmt.Fprintln(w, "\nFlags go anywhere on the line. scalesim COMMAND --help lists a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 failure, 2 bad input, 128+N stopped by signal N (130 for\nSIGINT, 143 for SIGTERM).")
	fmt.Fprintln(w, "\nThe dashboard's flags:")
	all[0].writeFlags(w)
}

// noArgs refuses positional arguments for commands that take none.
func noArgs(c *command, pos []string) error {
	if len(pos) > 0 {
		return invalidf("%s takes no arguments, got %s\nsee %s --help", c.title(), strings.Join(pos, " "), c.invocation())
	}
	return nil
}

func newHelpCommand() *command {
	c := newCommand("help", "[COMMAND]", "show this help, or a command's", "Show scalesim's help, or COMMAND's.")
	c.run = func(c *command, pos []string, e *env) error {
		if len(pos) == 0 {
			return errHelp{}
		}
		for _, o := range commands() {
			if o.name == pos[0] && o.name != "" {
				if len(pos) > 1 {
					return invalidf("help shows one command's help, got %s; write scalesim help %s", strings.Join(pos, " "), pos[0])
				}
				return errHelp{o}
			}
		}
		return invalidf("no command %q; commands: %s", pos[0], strings.Join(commandNames(), ", "))
	}
	return c
}

func tuiCmd(c *command, pos []string, e *env, opts *ui.Options, listen string) error {
	if len(pos) > 0 {
		if err := commandTypo(pos[0]); err != nil {
			return err
		}
	}
	if len(pos) > 1 {
		return invalidf("the dashboard opens one FILE or PRESET, got %d: %s", len(pos), strings.Join(pos, " "))
	}
	source := presets.Default
	if len(pos) == 1 {
		source = pos[0]
	}
	t, err := presets.Resolve(source)
	if err != nil {
		return err
	}
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return invalidf("the dashboard needs a terminal; for a headless summary run: scalesim run %s", source)
	}
	if c.set["seed"] {
		t.Seed = opts.Seed // a seed like any other, 0 included
	}
	opts.Topology, opts.Source, opts.Seed = t, source, 0
	if listen != "" {
		pub, stop, err := serveMetrics(listen)
		if err != nil {
			return err
		}
		defer stop()
		opts.OnFrame = pub.Publish
	}
	return ui.Run(*opts)
}

// commandTypo returns an error when arg, taken for the dashboard's FILE
// or PRESET, is neither but is close to a command's name (valdate).
func commandTypo(arg string) error {
	names := commandNames()
	m := topology.Suggest(arg, names)
	if m == "" || strings.ContainsAny(arg, "/.:") {
		return nil
	}
	if _, err := os.Lstat(arg); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if _, ok := presets.Get(arg); ok {
		return nil
	}
	return invalidf("%s: no such command, file or preset; did you mean scalesim %s? (commands: %s)", arg, m, strings.Join(names, ", "))
}

func isTerminal(f any) bool {
	if o, ok := f.(*outputWriter); ok {
		f = o.w
	}
	file, ok := f.(*os.File)
	return ok && (isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd()))
}
