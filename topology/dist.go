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
	maxErlangK    = 1000 // the simulator draws k exponentials per sample
	maxLogNormalC = 100
)

// MaxDraw is the longest duration the simulator draws from a
// distribution: a longer draw (the far tail of a heavy-tailed one) is cut
// to MaxDraw, which keeps every time on the clock and every sum finite.
// A distribution whose mean the cut would change by more than
// maxMeanLost is refused, so the cut never changes a result.
const MaxDraw = 240 * time.Hour

// maxMeanLost is the largest fraction of a distribution's mean that
// draws beyond MaxDraw may carry.
const maxMeanLost = 0.01

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
		hint := "e.g. " + f.example
		if strings.Contains(f.example, ",") && !strings.Contains(s, ",") {
			// The usual cause: inside {...} a comma ends the value.
			hint = commaHint(f.example)
		}
		return Dist{}, &Error{Msg: `missing ")" in ` + quote(s), Hint: hint}
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
	f, err := ParseNumber(s)
	if err != nil {
		a.fail("invalid "+name+" "+quote(s), name+" is a number in decimal, e.g. "+a.form.example)
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
	var e *Error
	switch d.Kind {
	case Const:
		if d.Mean < 0 {
			return &Error{Msg: "must not be negative, got " + FormatDuration(d.Mean)}
		}
	case Exp:
		e = positiveMean()
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
		e = positiveMean()
	case Pareto:
		if e := positiveMean(); e != nil {
			return e
		}
		if !(d.Alpha > 1) || math.IsInf(d.Alpha, 0) {
			return &Error{Msg: "pareto alpha must be greater than 1, got " + formatFloat(d.Alpha), Hint: "alpha ≤ 1 has no finite mean; e.g. " + f.example}
		}
	}
	if e != nil {
		return e
	}
	return d.checkCut(1)
}

// checkCut refuses d when draws of d divided by scale (a speed) longer
// than MaxDraw would carry more than maxMeanLost of its mean.
func (d Dist) checkCut(scale float64) *Error {
	limit := MaxDraw.Seconds() * scale
	lost := d.meanLost(limit)
	if !(lost > maxMeanLost) && !(d.Kind == Const && lost > 0) {
		return nil
	}
	longest := FormatDuration(MaxDraw)
	at, takes := "", func(d time.Duration) string { return FormatDuration(d) + " is" }
	if scale != 1 {
		at = "at speed " + formatFloat(scale) + ", "
		takes = func(d time.Duration) string {
			return FormatDuration(d) + " takes " + FormatDuration(time.Duration(min(float64(d)/scale, math.MaxInt64))) + ","
		}
	}
	switch d.Kind {
	case Const:
		return &Error{Msg: fmt.Sprintf("%s%s longer than %s, the longest duration the simulator draws", at, takes(d.Mean), longest)}
	case Uniform:
		return &Error{Msg: fmt.Sprintf("%suniform max %s longer than %s, the longest duration the simulator draws", at, takes(d.Max), longest)}
	}
	msg := fmt.Sprintf("%s%s would lose %s of its mean to draws longer than %s, the longest the simulator draws",
		at, d, percent(lost), longest)
	hint := "use a smaller mean"
	switch d.Kind {
	case LogNormal:
		hint = "use a smaller mean or cv"
	case Pareto:
		hint = "alpha close to 1 puts most of the mean in rare, enormous draws that no run sees"
		if a, ok := paretoAlphaFor(d.Mean, limit); ok {
			hint = fmt.Sprintf("use alpha %s or more (%s), or a smaller mean", formatFloat(a), hint)
		}
	}
	return &Error{Msg: msg, Hint: hint}
}

// percent formats a fraction as a percentage: 77%, 1.5%, 100%.
func percent(f float64) string {
	if f >= 0.1 {
		return strconv.FormatFloat(100*f, 'f', 0, 64) + "%"
	}
	return strconv.FormatFloat(100*f, 'g', 2, 64) + "%"
}

// meanLost is the fraction of d's mean carried by draws beyond limit
// seconds: 1 - E[min(X, limit)]/E[X], from each family's closed form.
func (d Dist) meanLost(limit float64) float64 {
	m := d.MeanSeconds()
	if !(m > 0) {
		return 0
	}
	switch d.Kind {
	case Const:
		return max(0, m-limit) / m
	case Uniform:
		lo, hi := d.Min.Seconds(), d.Max.Seconds()
		if hi <= limit {
			return 0
		}
		if lo >= limit {
			return (m - limit) / m
		}
		// E[(X-limit)+] = (hi-limit)²/(2(hi-lo))
		return (hi - limit) * (hi - limit) / (2 * (hi - lo)) / m
	case Exp:
		return math.Exp(-limit / m)
	case Erlang:
		// X ~ Gamma(k, θ): E[(X-L)+] = kθ·Q(k+1, L/θ) − L·Q(k, L/θ)
		k := d.K
		theta := m / float64(k)
		lam := limit / theta
		return max(0, m*poissonBelow(k+1, lam)-limit*poissonBelow(k, lam)) / m
	case LogNormal:
		if d.CV == 0 {
			return max(0, m-limit) / m
		}
		s2 := math.Log1p(d.CV * d.CV)
		s := math.Sqrt(s2)
		mu := math.Log(m) - s2/2
		z := (math.Log(limit) - mu) / s
		// E[(X-L)+] = m·Φ̄(z-σ) − L·Φ̄(z)
		return max(0, m*normalAbove(z-s)-limit*normalAbove(z)) / m
	case Pareto:
		a := d.Alpha
		xm := m * (a - 1) / a
		if xm >= limit {
			return (m - limit) / m
		}
		// E[(X-L)+] = xm/(α-1)·(xm/L)^(α-1) = (m/α)·(xm/L)^(α-1)
		return math.Exp((a-1)*math.Log(xm/limit)) / a
	}
	return 0
}

// poissonBelow is P(N < k) for N Poisson with mean lam: the regularized
// upper incomplete gamma function Q(k, lam), for whole k ≥ 1.
func poissonBelow(k int, lam float64) float64 {
	sum := 0.0
	for j := 0; j < k; j++ {
		lg, _ := math.Lgamma(float64(j + 1))
		sum += math.Exp(-lam + float64(j)*math.Log(lam) - lg)
	}
	return min(sum, 1)
}

// normalAbove is P(Z > z) for a standard normal Z.
func normalAbove(z float64) float64 { return math.Erfc(z/math.Sqrt2) / 2 }

// paretoAlphaFor is the smallest alpha, to two decimals, at which a
// Pareto of the given mean loses at most maxMeanLost of it to draws
// beyond limit seconds.
func paretoAlphaFor(mean time.Duration, limit float64) (float64, bool) {
	lost := func(a float64) float64 { return Dist{Kind: Pareto, Mean: mean, Alpha: a}.meanLost(limit) }
	lo, hi := 1.0, 64.0
	if lost(hi) > maxMeanLost {
		return 0, false
	}
	for i := 0; i < 60; i++ {
		mid := (lo + hi) / 2
		if lost(mid) > maxMeanLost {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Ceil(hi*100) / 100, true
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
