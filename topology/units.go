package topology

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// plainNumber matches a number written without a unit.
var plainNumber = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// DecimalOnly is how scalesim reads every number, in a file and on the
// command line alike, said as a hint: digits with an optional point and
// exponent (20, 0.5, 1e3). YAML tools disagree on the other forms (017
// is 15 to YAML 1.1, 17 to YAML 1.2; 1_000 is text to YAML 1.2), so
// scalesim refuses them all rather than guess.
const DecimalOnly = "scalesim reads numbers in decimal only (no 0x, 0o, leading 0 or _)"

// ParseNumber reads a number written as scalesim reads every number:
// decimal digits with an optional sign, point and exponent (20, -0.5,
// 1e3), and finite. Go's ParseFloat would also take 0x14, 0x1p-2, inf
// and nan; those are errors, with DecimalOnly as their hint.
func ParseNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if !plainNumber.MatchString(t) {
		return 0, &Error{Msg: "expected a number, got " + quote(s), Hint: DecimalOnly}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, &Error{Msg: "number " + quote(s) + " is too large", Hint: "numbers go up to about 1.8e308"}
	}
	return f, nil
}

// ParseWhole reads a whole number from 0 to 2^64-1 in decimal, as
// scalesim reads every number: a sign, a leading zero (017, which YAML
// tools read differently) and anything strconv would take beyond digits
// are errors.
func ParseWhole(s string) (uint64, error) {
	if s == "" || strings.Trim(s, "0123456789") != "" || len(s) > 1 && s[0] == '0' {
		return 0, &Error{Msg: "expected a whole number, got " + quote(s), Hint: DecimalOnly}
	}
	return strconv.ParseUint(s, 10, 64)
}

const durationHint = "write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)"

// ParseDuration reads a duration as written in a file: Go syntax (250us,
// 15ms, 2s, 1m30s, also µs) or a bare 0. A number other than 0 without a
// unit is an error, and so is a duration that is not a whole number of
// nanoseconds (0.1ns, 1.5ns: the clock counts whole nanoseconds) or that
// is longer than time.Duration holds. Negative durations parse; Validate
// rejects them.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, &Error{Msg: "missing duration", Hint: durationHint}
	}
	if plainNumber.MatchString(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == 0 {
			return 0, nil
		}
		return 0, &Error{Msg: "missing unit in duration " + quote(s), Hint: "add a unit, e.g. 15ms"}
	}
	if m := exponentDuration.FindStringSubmatch(s); m != nil {
		if r, ok := new(big.Rat).SetString(m[1]); ok && r.IsInt() && r.Num().BitLen() < 64 {
			return 0, &Error{Msg: "invalid duration " + quote(s), Hint: "write " + r.Num().String() + m[2] + ": a duration's number takes no exponent"}
		}
	}
	if !durationSyntax.MatchString(s) {
		return 0, &Error{Msg: "invalid duration " + quote(s), Hint: durationHint}
	}
	// Sum the parts exactly, so that nothing is rounded or wraps around.
	sum := new(big.Rat)
	for _, m := range durationPart.FindAllStringSubmatch(s, -1) {
		r, ok := new(big.Rat).SetString(m[1])
		if !ok {
			return 0, &Error{Msg: "invalid duration " + quote(s), Hint: durationHint}
		}
		sum.Add(sum, r.Mul(r, new(big.Rat).SetInt64(int64(durationUnits[m[2]]))))
	}
	if strings.HasPrefix(s, "-") {
		sum.Neg(sum)
	}
	switch {
	case sum.Sign() != 0 && sum.Cmp(big.NewRat(1, 1)) < 0 && sum.Cmp(big.NewRat(-1, 1)) > 0:
		return 0, &Error{Msg: "duration " + quote(s) + " is shorter than 1ns", Hint: "write 0 for none, or at least 1ns"}
	case !sum.IsInt():
		return 0, &Error{Msg: "duration " + quote(s) + " is not a whole number of nanoseconds", Hint: "scalesim's clock counts whole nanoseconds"}
	case !sum.Num().IsInt64():
		return 0, &Error{Msg: "duration " + quote(s) + " is too long", Hint: "durations go up to 2562047h (about 292 years)"}
	}
	return time.Duration(sum.Num().Int64()), nil
}

// durationSyntax is Go's duration syntax: an optional sign, then numbers
// each followed by a unit; durationPart matches one number and unit.
var (
	durationSyntax = regexp.MustCompile(`^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+$`)
	// exponentDuration is one number with an exponent and a unit (1e3ms),
	// which Go's syntax does not take
	exponentDuration = regexp.MustCompile(`^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+)(ns|us|µs|μs|ms|s|m|h)$`)
	durationPart     = regexp.MustCompile(`([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)`)
	durationUnits    = map[string]time.Duration{
		"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond, "μs": time.Microsecond,
		"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
	}
)

// FormatDuration writes d the way ParseDuration reads it back exactly:
// time.Duration's String, with "us" for microseconds and without trailing
// zero units (5m rather than 5m0s, 1h rather than 1h0m0s). Zero is "0s".
func FormatDuration(d time.Duration) string {
	s := strings.Replace(d.String(), "µs", "us", 1)
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// sizeUnit is a unit of memory size.
type sizeUnit struct {
	name  string
	bytes int64
}

// binaryUnits and decimalUnits are the size units, largest first.
var (
	binaryUnits = []sizeUnit{
		{"EiB", 1 << 60}, {"PiB", 1 << 50}, {"TiB", 1 << 40},
		{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	}
	decimalUnits = []sizeUnit{
		{"EB", 1e18}, {"PB", 1e15}, {"TB", 1e12},
		{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3},
	}
)

// sizeUnitNames lists the units a size may have, for hints.
var sizeUnitNames = []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "KB", "MB", "GB", "TB", "PB", "EB"}

// exponent matches the rest of a number written with an exponent (1e9).
var exponent = regexp.MustCompile(`^[eE][+-]?[0-9]`)

// sizeNumber splits a size into its number and the rest.
var sizeNumber = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)`)

const sizeHint = "write bytes as a whole number, or a number with a unit: B, KiB, MiB, GiB, TiB, KB, MB, GB, TB (e.g. 512MiB, 4GiB)"

// ParseSize reads a memory size: a whole number of bytes, or a number
// with a binary (KiB, MiB, GiB, TiB, PiB, EiB) or decimal (KB, MB, GB,
// TB, PB, EB) unit, or B. Units ignore case; a space may separate number
// and unit; a fraction is fine when the result is a whole number of bytes
// (1.5GiB). Negative sizes parse; Validate rejects them.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, &Error{Msg: "missing size", Hint: sizeHint}
	}
	num := sizeNumber.FindString(s)
	if num == "" || len(num) > 40 {
		return 0, &Error{Msg: "invalid size " + quote(s), Hint: sizeHint}
	}
	unitName := strings.TrimSpace(s[len(num):])
	unit := int64(1)
	if unitName != "" {
		u, ok := lookupSizeUnit(unitName)
		switch {
		case ok:
		case len(unitName) == 1 && strings.ContainsAny(unitName, "KMGTPEkmgtpe"):
			p := strings.ToUpper(unitName)
			return 0, &Error{
				Msg:  "ambiguous size unit " + quote(unitName) + " in " + quote(s),
				Hint: fmt.Sprintf("write %siB for binary or %sB for decimal units", p, p),
			}
		case exponent.MatchString(unitName):
			return 0, &Error{Msg: "invalid size " + quote(s), Hint: sizeHint}
		default:
			return 0, &Error{Msg: "unknown size unit " + quote(unitName) + " in " + quote(s), Hint: enumHint(unitName, sizeUnitNames)}
		}
		unit = u
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, &Error{Msg: "invalid size " + quote(s), Hint: sizeHint}
	}
	r.Mul(r, new(big.Rat).SetInt64(unit))
	if !r.IsInt() {
		return 0, &Error{Msg: "size " + quote(s) + " is not a whole number of bytes", Hint: sizeHint}
	}
	if !r.Num().IsInt64() {
		return 0, &Error{Msg: "size " + quote(s) + " is too large", Hint: "sizes go up to 7EiB"}
	}
	return r.Num().Int64(), nil
}

// lookupSizeUnit finds a unit by name, ignoring case.
func lookupSizeUnit(name string) (int64, bool) {
	if strings.EqualFold(name, "B") {
		return 1, true
	}
	for _, units := range [][]sizeUnit{binaryUnits, decimalUnits} {
		for _, u := range units {
			if strings.EqualFold(name, u.name) {
				return u.bytes, true
			}
		}
	}
	return 0, false
}

// FormatSize writes n exactly, in the largest binary unit that divides it
// evenly (120MiB, 4GiB, 1000B), so that ParseSize reads it back. A decimal
// unit is used instead only when it is a larger unit than the binary one
// (1GB rather than 1953125KiB). Zero is "0B".
func FormatSize(n int64) string {
	if n == 0 {
		return "0B"
	}
	sign, mag := "", uint64(n)
	if n < 0 {
		sign, mag = "-", -uint64(n) // two's complement: also right for MinInt64
	}
	bin, binLevel := largestUnit(mag, binaryUnits)
	dec, decLevel := largestUnit(mag, decimalUnits)
	u := bin
	if decLevel > binLevel {
		u = dec
	}
	if u.bytes == 1 {
		return sign + strconv.FormatUint(mag, 10) + "B"
	}
	return sign + strconv.FormatUint(mag/uint64(u.bytes), 10) + u.name
}

// largestUnit returns the largest of units that divides n, and its level
// (1 for kilo up to 6 for exa), or bytes and level 0.
func largestUnit(n uint64, units []sizeUnit) (sizeUnit, int) {
	for i, u := range units {
		if n%uint64(u.bytes) == 0 {
			return u, len(units) - i
		}
	}
	return sizeUnit{"B", 1}, 0
}

// formatFloat writes f so that strconv.ParseFloat and YAML read it back
// exactly: plain decimals in the usual range (0.1, 33.333, 120), the
// shortest exponent form outside it (1e-09, 1e+21).
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	if a := math.Abs(f); a == 0 || (a >= 1e-6 && a < 1e15) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
