package topology

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// distForm is how one distribution family is written in a file.
type distForm struct {
	kind    DistKind
	name    string
	params  string // as in the syntax, e.g. "MIN, MAX"
	nparams int
	example string
}

// distForms are the families written name(ARGS); Const is a bare duration.
var distForms = []distForm{
	{Exp, "exp", "MEAN", 1, "exp(15ms)"},
	{Uniform, "uniform", "MIN, MAX", 2, "uniform(5ms, 25ms)"},
	{LogNormal, "lognormal", "MEAN, CV", 2, "lognormal(8ms, 1.5)"},
	{Erlang, "erlang", "K, MEAN", 2, "erlang(3, 10ms)"},
	{Pareto, "pareto", "MEAN, ALPHA", 2, "pareto(10ms, 2.5)"},
}

// distNames lists the family names, for hints.
var distNames = []string{"exp", "uniform", "lognormal", "erlang", "pareto"}

const distHint = "write a duration (15ms) or a distribution: exp(MEAN), uniform(MIN, MAX), lognormal(MEAN, CV), erlang(K, MEAN) or pareto(MEAN, ALPHA)"

// Limits on distribution parameters that Validate enforces.
const (
	maxErlangK    = 1000
	maxLogNormalC = 100
)

// String returns the family's name in a file ("const" for a bare
// duration).
func (k DistKind) String() string {
	if k == Const {
		return "const"
	}
	if f, ok := formOf(k); ok {
		return f.name
	}
	return fmt.Sprintf("DistKind(%d)", int(k))
}

func formOf(k DistKind) (distForm, bool) {
	for _, f := range distForms {
		if f.kind == k {
			return f, true
		}
	}
	return distForm{}, false
}

func formNamed(name string) (distForm, bool) {
	for _, f := range distForms {
		if f.name == name {
			return f, true
		}
	}
	return distForm{}, false
}

// ParseDist reads a distribution: a bare duration (constant, e.g. 15ms),
// exp(MEAN), uniform(MIN, MAX), lognormal(MEAN, CV), erlang(K, MEAN) or
// pareto(MEAN, ALPHA), with optional spaces. It checks syntax only;
// Dist.Validate checks that the parameters are in range.
func ParseDist(s string) (Dist, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Dist{}, &Error{Msg: "missing duration or distribution", Hint: distHint}
	}
	open := strings.IndexByte(s, '(')
	if open < 0 {
		d, err := ParseDuration(s)
		if err != nil {
			if f, ok := formNamed(s); ok {
				return Dist{}, &Error{Msg: f.name + " needs arguments (" + f.params + ")", Hint: "e.g. " + f.example}
			}
			if e := err.(*Error); e.Hint == durationHint {
				return Dist{}, &Error{Msg: "invalid duration or distribution " + quote(s), Hint: distHint}
			}
			return Dist{}, err
		}
		return Dist{Kind: Const, Mean: d}, nil
	}
	name := strings.TrimSpace(s[:open])
	f, ok := formNamed(name)
	if !ok {
		return Dist{}, &Error{Msg: "unknown distribution " + quote(name), Hint: enumHint(name, distNames)}
	}
	if !strings.HasSuffix(s, ")") {
		return Dist{}, &Error{Msg: `missing ")" in ` + quote(s), Hint: "e.g. " + f.example}
	}
	var args []string
	if inner := strings.TrimSpace(s[open+1 : len(s)-1]); inner != "" {
		args = strings.Split(inner, ",")
		for i := range args {
			args[i] = strings.TrimSpace(args[i])
		}
	}
	if len(args) != f.nparams {
		plural := "s"
		if f.nparams == 1 {
			plural = ""
		}
		return Dist{}, &Error{
			Msg:  fmt.Sprintf("%s takes %d argument%s (%s), got %d in %s", f.name, f.nparams, plural, f.params, len(args), quote(s)),
			Hint: "e.g. " + f.example,
		}
	}
	a := argParser{dist: s, form: f}
	d := Dist{Kind: f.kind}
	switch f.kind {
	case Exp:
		d.Mean = a.duration(args[0])
	case Uniform:
		d.Min = a.duration(args[0])
		d.Max = a.duration(args[1])
	case LogNormal:
		d.Mean = a.duration(args[0])
		d.CV = a.number("CV", args[1])
	case Erlang:
		d.K = a.whole("K", args[0])
		d.Mean = a.duration(args[1])
	case Pareto:
		d.Mean = a.duration(args[0])
		d.Alpha = a.number("ALPHA", args[1])
	}
	if a.err != nil {
		return Dist{}, a.err
	}
	return d, nil
}

// argParser reads the arguments of one distribution, keeping the first
// error.
type argParser struct {
	dist string
	form distForm
	err  *Error
}

func (a *argParser) fail(msg, hint string) {
	if a.err == nil {
		a.err = &Error{Msg: msg + " in " + quote(a.dist), Hint: hint}
	}
}

func (a *argParser) duration(s string) time.Duration {
	d, err := ParseDuration(s)
	if err != nil {
		e := err.(*Error)
		a.fail(e.Msg, e.Hint)
	}
	return d
}

func (a *argParser) number(name, s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		a.fail("invalid "+name+" "+quote(s), name+" is a number, e.g. "+a.form.example)
	}
	return f
}

func (a *argParser) whole(name, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		a.fail("invalid "+name+" "+quote(s), name+" is a whole number, e.g. "+a.form.example)
	}
	return n
}

// String returns d in the form ParseDist reads back exactly: 15ms,
// exp(15ms), uniform(5ms, 25ms), lognormal(8ms, 1.5), erlang(3, 10ms),
// pareto(10ms, 2.5).
func (d Dist) String() string {
	dur := FormatDuration
	switch d.Kind {
	case Const:
		return dur(d.Mean)
	case Exp:
		return "exp(" + dur(d.Mean) + ")"
	case Uniform:
		return "uniform(" + dur(d.Min) + ", " + dur(d.Max) + ")"
	case LogNormal:
		return "lognormal(" + dur(d.Mean) + ", " + formatFloat(d.CV) + ")"
	case Erlang:
		return "erlang(" + strconv.Itoa(d.K) + ", " + dur(d.Mean) + ")"
	case Pareto:
		return "pareto(" + dur(d.Mean) + ", " + formatFloat(d.Alpha) + ")"
	}
	return fmt.Sprintf("%v(?)", d.Kind)
}

// MeanSeconds is the distribution's mean in seconds.
func (d Dist) MeanSeconds() float64 {
	if d.Kind == Uniform {
		return (d.Min.Seconds() + d.Max.Seconds()) / 2
	}
	return d.Mean.Seconds()
}

// CoefVar is the coefficient of variation (standard deviation over mean):
// 0 for const, 1 for exp, (max-min)/((max+min)·√3) for uniform, CV for
// lognormal, 1/√k for erlang, and 1/√(α(α-2)) for pareto, which is +Inf
// when α ≤ 2. (It cannot be called CV: that is a field of Dist.)
func (d Dist) CoefVar() float64 {
	switch d.Kind {
	case Const:
		return 0
	case Exp:
		return 1
	case Uniform:
		sum := d.Min.Seconds() + d.Max.Seconds()
		if sum == 0 {
			return 0
		}
		return (d.Max.Seconds() - d.Min.Seconds()) / (sum * math.Sqrt(3))
	case LogNormal:
		return d.CV
	case Erlang:
		if d.K < 1 {
			return math.Inf(1)
		}
		return 1 / math.Sqrt(float64(d.K))
	case Pareto:
		if d.Alpha <= 2 {
			return math.Inf(1)
		}
		return 1 / math.Sqrt(d.Alpha*(d.Alpha-2))
	}
	return math.NaN()
}

// Validate reports the first parameter of d that is out of range, or a
// field that d's kind does not use. The error has Msg and Hint but no
// Path; Topology.Validate adds it.
func (d Dist) Validate() error {
	if e := d.check(); e != nil {
		return e
	}
	return nil
}

func (d Dist) check() *Error {
	f, named := formOf(d.Kind)
	if d.Kind != Const && !named {
		return &Error{Msg: fmt.Sprintf("unknown distribution kind %d", int(d.Kind)), Hint: "allowed: " + strings.Join(distNames, ", ") + " or a bare duration"}
	}
	if unused := d.unusedFields(); unused != "" {
		return &Error{Msg: fmt.Sprintf("%v distribution has %s set, which it does not use", d.Kind, unused)}
	}
	positiveMean := func() *Error {
		if d.Mean <= 0 {
			return &Error{Msg: fmt.Sprintf("%s mean must be positive, got %s", f.name, FormatDuration(d.Mean)), Hint: "e.g. " + f.example}
		}
		return nil
	}
	switch d.Kind {
	case Const:
		if d.Mean < 0 {
			return &Error{Msg: "must not be negative, got " + FormatDuration(d.Mean)}
		}
	case Exp:
		return positiveMean()
	case Uniform:
		if d.Min < 0 {
			return &Error{Msg: "uniform min must not be negative, got " + FormatDuration(d.Min)}
		}
		if d.Min > d.Max {
			return &Error{
				Msg:  fmt.Sprintf("uniform min %s is greater than max %s", FormatDuration(d.Min), FormatDuration(d.Max)),
				Hint: "write uniform(MIN, MAX) with MIN ≤ MAX",
			}
		}
	case LogNormal:
		if e := positiveMean(); e != nil {
			return e
		}
		if !(d.CV >= 0 && d.CV <= maxLogNormalC) {
			return &Error{Msg: fmt.Sprintf("lognormal cv must be between 0 and %d, got %s", maxLogNormalC, formatFloat(d.CV)), Hint: "e.g. " + f.example}
		}
	case Erlang:
		if d.K < 1 || d.K > maxErlangK {
			return &Error{Msg: fmt.Sprintf("erlang k must be between 1 and %d, got %d", maxErlangK, d.K), Hint: "e.g. " + f.example}
		}
		return positiveMean()
	case Pareto:
		if e := positiveMean(); e != nil {
			return e
		}
		if !(d.Alpha > 1) || math.IsInf(d.Alpha, 0) {
			return &Error{Msg: "pareto alpha must be greater than 1, got " + formatFloat(d.Alpha), Hint: "alpha ≤ 1 has no finite mean; e.g. " + f.example}
		}
	}
	return nil
}

// unusedFields names the fields set that d's kind does not use.
func (d Dist) unusedFields() string {
	var set []string
	use := map[DistKind]string{
		Const: "Mean", Exp: "Mean", Uniform: "Min Max", LogNormal: "Mean CV",
		Erlang: "K Mean", Pareto: "Mean Alpha",
	}[d.Kind]
	uses := func(field string) bool { return strings.Contains(" "+use+" ", " "+field+" ") }
	check := func(field string, isSet bool) {
		if isSet && !uses(field) {
			set = append(set, field)
		}
	}
	check("Mean", d.Mean != 0)
	check("Min", d.Min != 0)
	check("Max", d.Max != 0)
	check("CV", d.CV != 0)
	check("K", d.K != 0)
	check("Alpha", d.Alpha != 0)
	return strings.Join(set, " and ")
}
