package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"scalesim/metrics"
	"scalesim/topology"
	"scalesim/ui"
)

// errHelp asks for a command's help, on stdout, with exit code 0.
type errHelp struct{ cmd *command }

func (e errHelp) Error() string { return "help requested" }

// command is one subcommand: its flags, its arguments and what it does.
type command struct {
	name    string // "" for the dashboard, the default command
	args    string // the positional arguments, for the usage line
	summary string // one line, for scalesim --help
	about   string // a paragraph, for the command's --help
	flags   *flag.FlagSet
	set     map[string]bool   // the flags given on the command line
	given   map[string]string // the value each was given, for a second one
	order   []string          // the flags' names in the order --help lists them
	run     func(c *command, pos []string, env *env) error
}

func newCommand(name, args, summary, about string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &command{name: name, args: args, summary: summary, about: about, flags: fs, set: map[string]bool{}, given: map[string]string{}}
}

// add defines a flag; --help lists flags in the order they are added.
func (c *command) add(v flag.Value, name, usage string) {
	c.flags.Var(v, name, usage)
	c.order = append(c.order, name)
}

// title names the command in messages: "run", or "the dashboard".
func (c *command) title() string {
	if c.name == "" {
		return "the dashboard"
	}
	return c.name
}

// invocation is how a user types the command: "scalesim run".
func (c *command) invocation() string {
	if c.name == "" {
		return "scalesim"
	}
	return "scalesim " + c.name
}

// usageLine is "usage: scalesim run [flags] FILE|PRESET".
func (c *command) usageLine() string {
	s := c.invocation()
	if len(c.order) > 0 {
		s += " [flags]"
	}
	if c.args != "" {
		s += " " + c.args
	}
	return s
}

// writeHelp writes the command's usage, what it does and its flags with
// their defaults.
func (c *command) writeHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.usageLine(), c.about)
	fmt.Fprintf(w, "\nflags (anywhere on the line, as --name value or --name=value):\n")
	c.writeFlags(w)
}

// writeFlags lists the command's flags with their defaults.
func (c *command) writeFlags(w io.Writer) {
	rows := [][2]string{}
	for _, n := range c.order {
		f := c.flags.Lookup(n)
		name, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if !isBool(f) {
			left += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" {
			usage += " (default " + f.DefValue + ")"
		}
		rows = append(rows, [2]string{left, usage})
	}
	rows = append(rows, [2]string{"-h, --help", "show this help"})
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		// a usage of several lines goes on under its first
		usage := strings.ReplaceAll(r[1], "\n", "\n"+strings.Repeat(" ", width+4))
		fmt.Fprintf(w, "  %-*s  %s\n", width, r[0], usage)
	}
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flagName returns the name of a flag argument ("--seed=7" is "seed")
// and whether arg is one at all. "-" and "--" are not.
func flagName(arg string) (name, value string, hasValue, ok bool) {
	if len(arg) < 2 || arg[0] != '-' || arg == "--" {
		return "", "", false, false
	}
	name = strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
	name, value, hasValue = strings.Cut(name, "=")
	return name, value, hasValue, true
}

// parse sets c's flags from args, which may mix flags and positional
// arguments in any order ("--" ends the flags), and returns the
// positional ones. Errors are in scalesim's words, with a did-you-mean.
func (c *command) parse(args []string, all []*command) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return append(pos, args[i+1:]...), nil
		}
		name, value, hasValue, ok := flagName(arg)
		if !ok {
			if d := dashLike(arg); d != "" {
				return nil, invalidf("%s starts with %s, not a hyphen (a word processor's dash?); write --%s\nsee %s --help",
					strconv.Quote(arg), d, strings.TrimLeft(arg, dashes), c.invocation())
			}
			pos = append(pos, arg)
			continue
		}
		if name == "h" || name == "help" {
			return nil, errHelp{c}
		}
		f := c.flags.Lookup(name)
		if f == nil {
			return nil, c.unknownFlag(name, all)
		}
		if !hasValue {
			if isBool(f) {
				value = "true"
			} else {
				if i+1 >= len(args) {
					v, usage := flag.UnquoteUsage(f)
					return nil, invalidf("--%s needs a value %s (%s)", name, v, usage)
				}
				i++
				value = args[i]
			}
		}
		if prev, twice := c.given[name]; twice && !repeatable(f) {
			if isBool(f) {
				return nil, invalidf("--%s given twice; give it once", name)
			}
			return nil, invalidf("--%s given twice (%s, then %s); give it once", name, strconv.Quote(prev), strconv.Quote(value))
		}
		c.given[name] = value
		if err := f.Value.Set(value); err != nil {
			var fe flagError
			if isBool(f) {
				return nil, invalidf("--%s=%s: expected true or false, or --%s alone for true", name, strconv.Quote(value), name)
			}
			if errors.As(err, &fe) {
				return nil, invalidf("--%s %s: %s", name, strconv.Quote(value), fe.msg)
			}
			return nil, invalidf("--%s %s: %v", name, strconv.Quote(value), err)
		}
		c.set[name] = true
	}
	return pos, nil
}

// repeatable reports whether f takes a value each time it is given
// (--set, --b); any other flag given twice is refused, rather than the
// last one silently winning.
func repeatable(f *flag.Flag) bool {
	_, ok := f.Value.(listFlag)
	return ok
}

// dashes are the characters a word processor or a web page puts where a
// command line's hyphens were: the en dash, the em dash, the minus sign.
const dashes = "–—−"

// dashLike names the dash arg starts with when it looks like a flag
// written with one of dashes ("—duration"), or "".
func dashLike(arg string) string {
	for _, d := range dashes {
		if rest, ok := strings.CutPrefix(arg, string(d)); ok && rest != "" {
			return fmt.Sprintf("%q (U+%04X)", string(d), d)
		}
	}
	return ""
}

// unknownFlag is the error for --name, which c does not have.
func (c *command) unknownFlag(name string, all []*command) error {
	names := append(append([]string{}, c.order...), "help")
	msg := fmt.Sprintf("%s has no flag --%s", c.title(), name)
	other := false
	for _, o := range all {
		if o != c && o.flags.Lookup(name) != nil {
			msg, other = fmt.Sprintf("--%s is a flag of %s, not of %s", name, o.title(), c.title()), true
			break
		}
	}
	if m := topology.Suggest(name, names); m != "" && !other {
		msg += fmt.Sprintf("; did you mean --%s?", m)
	}
	return invalidf("%s\nsee %s --help", msg, c.invocation())
}

// flagError is a flag value's own message, shown after the flag and its
// value.
type flagError struct{ msg string }

func (e flagError) Error() string { return e.msg }

// durationFlag reads a duration the way topology files write them;
// positive is set for a flag that refuses 0.
type durationFlag struct {
	d        *time.Duration
	positive bool
}

// String is "" for a positive flag at 0: a default that means "not
// given" (replay's --duration).
func (f durationFlag) String() string {
	if f.d == nil || (f.positive && *f.d == 0) {
		return ""
	}
	return topology.FormatDuration(*f.d)
}

func (f durationFlag) Set(s string) error {
	d, err := topology.ParseDuration(s)
	if err != nil {
		var te *topology.Error
		if errors.As(err, &te) {
			// the flag's message shows the value already
			q := strconv.Quote(s)
			msg := strings.Replace(te.Msg, " "+q, "", 1)
			hint := te.Hint
			if f.positive && strings.HasPrefix(hint, "write 0 for none") {
				hint = "give at least 1ns"
			}
			if hint != "" {
				msg += "; " + hint
			}
			return flagError{msg}
		}
		return err
	}
	*f.d = d
	return nil
}

// seedFlag reads a seed: any whole number from 0 to 2^64-1.
type seedFlag struct{ u *uint64 }

// String is "": the default is the file's seed, which --help says.
func (f seedFlag) String() string { return "" }

func (f seedFlag) Set(s string) error {
	u, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return flagError{"expected a whole number from 0 to 18446744073709551615"}
	}
	*f.u = u
	return nil
}

// boolFlag is a flag given alone for true (--paused), or as --name=false.
type boolFlag struct{ b *bool }

func (f boolFlag) IsBoolFlag() bool { return true }

func (f boolFlag) String() string {
	if f.b == nil || !*f.b {
		return "false"
	}
	return "true"
}

func (f boolFlag) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return flagError{"expected true or false"}
	}
	*f.b = b
	return nil
}

// choiceFlag reads one of a fixed list of words, or numbers.
type choiceFlag struct {
	v       *string
	allowed []string
}

func (f choiceFlag) String() string {
	if f.v == nil {
		return ""
	}
	return *f.v
}

func (f choiceFlag) Set(s string) error {
	for _, a := range f.allowed {
		if s == a {
			*f.v = s
			return nil
		}
	}
	msg := "allowed: " + strings.Join(f.allowed, ", ")
	if m := topology.Suggest(s, f.allowed); m != "" {
		msg = fmt.Sprintf("did you mean %q? (%s)", m, msg)
	}
	return flagError{msg}
}

// speedFlag reads one of the dashboard's speeds.
type speedFlag struct{ v *float64 }

func (f speedFlag) String() string {
	if f.v == nil {
		return ""
	}
	return strconv.FormatFloat(*f.v, 'g', -1, 64)
}

func (f speedFlag) Set(s string) error {
	v, err := topology.ParseNumber(strings.TrimSuffix(s, "x"))
	for _, ok := range ui.Speeds() {
		if err == nil && v == ok {
			*f.v = v
			return nil
		}
	}
	list := make([]string, 0, len(ui.Speeds()))
	for _, ok := range ui.Speeds() {
		list = append(list, strconv.FormatFloat(ok, 'g', -1, 64))
	}
	return flagError{"the dashboard runs at " + strings.Join(list, ", ") + " simulated seconds per second"}
}

// addrFlag reads the address of the metrics endpoint: HOST:PORT, HOST,
// :PORT or PORT, completed with loopback and the default port.
type addrFlag struct{ addr *string }

func (f addrFlag) String() string { return "" }

func (f addrFlag) Set(s string) error {
	a, err := metrics.ParseAddr(s)
	if err != nil {
		return flagError{err.Error()}
	}
	*f.addr = a
	return nil
}

// paceFlag reads a positive speed in simulated seconds per second; 0
// (the default) is as fast as the machine goes.
type paceFlag struct{ v *float64 }

func (f paceFlag) String() string {
	if f.v == nil || *f.v == 0 {
		return ""
	}
	return strconv.FormatFloat(*f.v, 'g', -1, 64)
}

func (f paceFlag) Set(s string) error {
	v, err := topology.ParseNumber(strings.TrimSuffix(s, "x"))
	if err != nil || !(v > 0) {
		return flagError{"expected a positive number of simulated seconds per second, such as 10 or 0.5"}
	}
	*f.v = v
	return nil
}

// intFlag reads a whole number of at least min.
type intFlag struct {
	v   *int
	min int
}

// String is "" below min: a default that means "not given" (--jobs).
func (f intFlag) String() string {
	if f.v == nil || *f.v < f.min {
		return ""
	}
	return strconv.Itoa(*f.v)
}

func (f intFlag) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil || v < f.min {
		return flagError{fmt.Sprintf("expected a whole number of at least %d", f.min)}
	}
	*f.v = v
	return nil
}

// seedCountFlag reads how many seeds to run: a whole number from min to
// maxSeeds, so that a slip (--seeds 1000000000) is refused at once
// instead of allocating every seed's run before the first.
type seedCountFlag struct {
	v   *int
	min int
}

func (f seedCountFlag) String() string { return intFlag{f.v, f.min}.String() }

func (f seedCountFlag) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil || v < f.min || v > maxSeeds {
		return flagError{fmt.Sprintf("expected a whole number from %d to %d", f.min, maxSeeds)}
	}
	*f.v = v
	return nil
}

// listFlag collects the values of a flag given several times (--set).
type listFlag struct{ v *[]string }

func (f listFlag) String() string { return "" }

func (f listFlag) Set(s string) error {
	*f.v = append(*f.v, s)
	return nil
}

// textFlag reads any text; its meaning is checked by the command.
type textFlag struct{ v *string }

func (f textFlag) String() string {
	if f.v == nil {
		return ""
	}
	return *f.v
}

func (f textFlag) Set(s string) error {
	*f.v = s
	return nil
}

// fractionFlag reads a fraction above 0 and below 1, or a percentage.
type fractionFlag struct{ v *float64 }

func (f fractionFlag) String() string {
	if f.v == nil {
		return ""
	}
	return strconv.FormatFloat(100**f.v, 'g', -1, 64) + "%"
}

func (f fractionFlag) Set(s string) error {
	pct := strings.HasSuffix(s, "%")
	v, err := topology.ParseNumber(strings.TrimSuffix(s, "%"))
	if pct {
		v /= 100
	}
	if err != nil || !(v > 0) || v >= 1 {
		return flagError{"expected a fraction above 0 and below 1 (0.01) or a percentage (1%)"}
	}
	*f.v = v
	return nil
}

// fileFlag reads a file's path.
type fileFlag struct{ path *string }

func (f fileFlag) String() string { return "" }

func (f fileFlag) Set(s string) error {
	if s == "" {
		return flagError{"needs a file's path"}
	}
	*f.path = s
	return nil
}
