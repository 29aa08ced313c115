package topology

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// This file holds the parser's generic half: reading yaml.Nodes as
// mappings and typed scalars, reporting errors at their positions, and
// remembering where each path was written.

// position is where something was written in a file (1-based).
type position struct{ line, col int }

// parser turns a yaml.Node tree into a Topology, collecting every error.
type parser struct {
	file    string
	errs    Errors
	dropped int // errors beyond maxErrors
	// pos maps field paths (app.workers, workload.requests[0].steps[1].cpu)
	// to where they were written, to place Validate's errors.
	pos map[string]position

	// Steps parsed so far, in all and in the current request class,
	// counted to stop aliases from expanding a small file into a huge
	// topology.
	totalSteps    int
	classSteps    int
	classPath     string
	classAt       *yaml.Node // the class's steps key
	stepsExceeded bool       // in the current class
	totalExceeded bool

	// eventIndex maps each event, sorted by time, to its place in the file
	eventIndex []int
}

// fail records an error at n (which may be nil for "no position").
func (p *parser) fail(n *yaml.Node, path, hint, format string, args ...any) {
	if len(p.errs) >= maxErrors {
		p.dropped++
		return
	}
	e := &Error{File: p.file, Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

// failWith records err, an *Error from ParseDuration and friends, at n.
func (p *parser) failWith(n *yaml.Node, path string, err error) {
	if e, ok := err.(*Error); ok {
		p.fail(n, path, e.Hint, "%s", e.Msg)
		return
	}
	p.fail(n, path, "", "%v", err)
}

// record remembers where path was written: at its value when that is a
// scalar, at its key when the value is a mapping, a list or empty.
func (p *parser) record(path string, key, val *yaml.Node) {
	n := val
	if r := resolve(val); key != nil && (r == nil || r.Kind != yaml.ScalarNode || isNull(r)) {
		n = key
	}
	if n != nil && n.Line > 0 {
		p.pos[path] = position{n.Line, n.Column}
	}
}

// locate finds where path, or failing that its nearest parent, was
// written.
func (p *parser) locate(path string) position {
	for path != "" {
		if at, ok := p.pos[path]; ok {
			return at
		}
		cut := max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, '['))
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return position{}
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is missing or an empty value (`key:`, ~, null).
func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || n.Kind == yaml.AliasNode || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// describe names what n is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	switch {
	case isNull(n):
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.ShortTag() == "!!str":
		return quote(n.Value)
	}
	return n.Value
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func indexPath(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

// entry is one key and its value in a mapping.
type entry struct{ key, val *yaml.Node }

// section is a mapping that has been checked against its allowed keys,
// with typed getters that report errors at each value's position.
type section struct {
	p      *parser
	path   string
	fields map[string]entry
}

// section reads n as a mapping with the allowed keys, reporting unknown,
// duplicate and non-name keys. An empty value (`cache:`) is an empty
// mapping. ok is false, and the error reported, when n is not a mapping;
// hint then says what to write (by default the allowed keys).
func (p *parser) section(n *yaml.Node, path string, allowed []string, hint string) (section, bool) {
	s := section{p: p, path: path, fields: map[string]entry{}}
	v := resolve(n)
	if isNull(v) {
		return s, true
	}
	if v.Kind != yaml.MappingNode {
		if hint == "" {
			hint = "allowed keys: " + strings.Join(allowed, ", ")
		}
		p.fail(n, path, hint, "expected a mapping, got %s", describe(v))
		return s, false
	}
	if v.Style&yaml.TaggedStyle != 0 && v.ShortTag() != "!!map" {
		p.fail(n, path, "remove the tag: scalesim reads plain YAML", "a mapping tagged %s", v.ShortTag())
		return s, false
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolve(v.Content[i]), v.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.fail(k, path, "", "keys must be plain names, got %s", describe(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			p.fail(k, path, "write the keys out, or anchor the whole value (&name) and reuse it (*name)", "merge keys (<<) are not supported")
			continue
		}
		name := k.Value
		kp := joinPath(path, name)
		if !slices.Contains(allowed, name) {
			p.fail(k, kp, keyHint(name, allowed), "unknown key")
			continue
		}
		if prev, dup := s.fields[name]; dup {
			p.fail(k, kp, fmt.Sprintf("it is already set on line %d", prev.key.Line), "duplicate key")
			continue
		}
		s.fields[name] = entry{k, val}
		p.record(kp, k, val)
	}
	return s, true
}

// get returns the value of key and whether it was written.
func (s section) get(key string) (*yaml.Node, bool) {
	e, ok := s.fields[key]
	return e.val, ok
}

func (s section) sub(key string) string { return joinPath(s.path, key) }

// scalar returns the scalar that key holds, reporting anything else
// (including an empty value) as not what was wanted.
func (s section) scalar(key, want string) (*yaml.Node, bool) {
	e, ok := s.fields[key]
	if !ok {
		return nil, false
	}
	return s.p.scalar(e, s.sub(key), want)
}

// scalar returns the scalar value of e, reporting anything else.
func (p *parser) scalar(e entry, path, want string) (*yaml.Node, bool) {
	n := e.val
	v := resolve(n)
	if isNull(v) {
		if e.key != nil {
			n = e.key
		}
		p.fail(n, path, "", "missing value, expected %s", want)
		return nil, false
	}
	if v.Kind != yaml.ScalarNode {
		p.fail(n, path, "", "expected %s, got %s", want, describe(v))
		return nil, false
	}
	return v, true
}

// str reads a string; any scalar is taken as written, an empty value is "".
func (s section) str(key string, dst *string) {
	n, ok := s.get(key)
	if !ok {
		return
	}
	if isNull(n) {
		*dst = ""
		return
	}
	if v, ok := s.p.scalar(s.fields[key], s.sub(key), "text"); ok {
		*dst = v.Value
	}
}

// integer reads a whole number into dst; ok is false when key is absent
// or its value is not one.
func (s section) integer(key string, dst *int) (ok bool) {
	const want = "a whole number"
	v, ok := s.scalar(key, want)
	if !ok || s.notDecimal(key, v) {
		return false
	}
	if v.ShortTag() != "!!int" {
		s.wrongType(key, v, want, "!!int")
		return false
	}
	var i int64
	if err := v.Decode(&i); err != nil || i < math.MinInt || i > math.MaxInt {
		s.p.fail(s.fields[key].val, s.sub(key), "", "%s is too large", v.Value)
		return false
	}
	*dst = int(i)
	return true
}

// seed reads a whole number from 0 to 2^64-1.
func (s section) seed(key string, dst *uint64) {
	const want = "a whole number from 0 to 18446744073709551615"
	v, ok := s.scalar(key, want)
	if !ok || s.notDecimal(key, v) {
		return
	}
	var u uint64
	if v.ShortTag() != "!!int" || v.Decode(&u) != nil {
		s.wrongType(key, v, want, "!!int")
		return
	}
	*dst = u
}

// number reads a number (whole or not) into dst; it reports whether key
// was given.
func (s section) number(key string, dst *float64) bool {
	const want = "a number"
	v, ok := s.scalar(key, want)
	if !ok {
		_, given := s.get(key)
		return given
	}
	if s.notDecimal(key, v) {
		return true
	}
	var f float64
	if tag := v.ShortTag(); (tag != "!!int" && tag != "!!float") || v.Decode(&f) != nil {
		if _, err := ParseNumber(v.Value); err != nil && plainNumber.MatchString(v.Value) {
			// 1e400: a number, but beyond a float's range
			s.p.fail(s.fields[key].val, s.sub(key), "numbers go up to about 1.8e308", "%s is too large", v.Value)
			return true
		}
		if notFinite(v.Value) {
			s.p.fail(s.fields[key].val, s.sub(key), "write a finite number in decimal, such as 100 or 0.5", "%q is not a finite number", v.Value)
			return true
		}
		s.wrongType(key, v, want, "!!int", "!!float")
		return true
	}
	*dst = f
	return true
}

// notFinite reports whether s spells a number that is not finite, as
// other languages and tools write it: NaN, Inf, Infinity, -inf
// (YAML's own .nan and .inf decode, and the ranges refuse them).
func notFinite(s string) bool {
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "nan", "inf", "infinity":
		return true
	}
	return false
}

var (
	implicitOctal = regexp.MustCompile(`^[+-]?0[0-7_]+$`)
	leadingZero   = regexp.MustCompile(`^[+-]?0[0-9_]+(\.[0-9]*)?$`)
	explicitOctal = regexp.MustCompile(`^[+-]?0o[0-7_]+$`)
	hexadecimal   = regexp.MustCompile(`^[+-]?0x[0-9a-fA-F_]+$`)
	separated     = regexp.MustCompile(`^[+-]?[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9]+)?$`)
)

// notDecimal reports, and returns true for, a number written unquoted
// other than in decimal digits, which is how scalesim reads every number
// (DecimalOnly): with a leading zero (017) or in octal (0o17), which
// YAML 1.1 tools read as the octal 15, YAML 1.2 tools as 17, and yaml.v3
// as 15 (yamllint's octal-values rule forbids both forms); in
// hexadecimal (0x11); with digit separators (1_000: YAML 1.1 reads
// 1000, YAML 1.2 the text "1_000"). (.inf and .nan are YAML's own and
// every tool's; the limits refuse them where they do not belong.)
func (s section) notDecimal(key string, v *yaml.Node) bool {
	if v.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return false
	}
	n, path, val := s.fields[key].val, s.sub(key), v.Value
	sign, digits := "", strings.TrimLeft(val, "+-")
	if len(digits) < len(val) {
		sign = val[:1]
		if sign == "+" {
			sign = ""
		}
	}
	decimal := sign + strings.TrimLeft(strings.ReplaceAll(digits, "_", ""), "0")
	if decimal == sign || strings.HasPrefix(decimal, sign+".") {
		decimal = sign + "0" + strings.TrimPrefix(decimal, sign)
	}
	switch {
	case explicitOctal.MatchString(val):
		o, _ := strconv.ParseInt(strings.ReplaceAll(sign+digits[2:], "_", ""), 8, 64)
		s.p.fail(n, path, fmt.Sprintf("write %d: %s", o, DecimalOnly), "%s is an octal number (%d)", val, o)
	case implicitOctal.MatchString(val):
		o, _ := strconv.ParseInt(strings.ReplaceAll(sign+digits, "_", ""), 8, 64)
		s.p.fail(n, path, fmt.Sprintf("write %s (or %d if octal was meant): %s", decimal, o, DecimalOnly),
			"%s has a leading zero, so YAML reads it as the octal number %d", val, o)
	case leadingZero.MatchString(val):
		s.p.fail(n, path, fmt.Sprintf("write %s: %s", decimal, DecimalOnly), "%s has a leading zero, which YAML tools read differently", val)
	case hexadecimal.MatchString(val):
		x, err := strconv.ParseInt(strings.ReplaceAll(sign+digits[2:], "_", ""), 16, 64)
		if err != nil {
			s.p.fail(n, path, DecimalOnly, "%s is a hexadecimal number", val)
			break
		}
		s.p.fail(n, path, fmt.Sprintf("write %d: %s", x, DecimalOnly), "%s is a hexadecimal number (%d)", val, x)
	case separated.MatchString(val) && strings.Contains(val, "_"):
		s.p.fail(n, path, fmt.Sprintf("write %s: %s", strings.ReplaceAll(val, "_", ""), DecimalOnly),
			"%s has digit separators (_), which YAML 1.2 reads as text", val)
	default:
		return false
	}
	return true
}

// wrongType reports that v is not the want key needs (a value of one of
// tags), with the fix when it is plain: a tag or quotes around a value
// that is right without them, or a whole number written as a float.
func (s section) wrongType(key string, v *yaml.Node, want string, tags ...string) {
	got, hint := describe(v), ""
	plain := (&yaml.Node{Kind: yaml.ScalarNode, Value: v.Value}).ShortTag()
	var f float64
	switch {
	case v.Style&yaml.TaggedStyle != 0:
		got += " tagged " + v.ShortTag()
		if slices.Contains(tags, plain) {
			hint = "remove the tag"
		}
	case v.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 && slices.Contains(tags, plain):
		hint = "remove the quotes: YAML reads a quoted value as text"
	case slices.Contains(tags, "!!int") && v.ShortTag() == "!!float" && v.Decode(&f) == nil &&
		f == math.Trunc(f) && math.Abs(f) <= 1e15:
		hint = "write " + strconv.FormatFloat(f, 'f', -1, 64)
	}
	s.p.fail(s.fields[key].val, s.sub(key), hint, "expected %s, got %s", want, got)
}

// boolean reads true or false.
func (s section) boolean(key string, dst *bool) {
	const want = "true or false"
	v, ok := s.scalar(key, want)
	if !ok {
		return
	}
	var b bool
	if v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		s.wrongType(key, v, want, "!!bool")
		return
	}
	*dst = b
}

// duration reads a duration (15ms, 1m30s, 0).
func (s section) duration(key string, dst *time.Duration) {
	v, ok := s.scalar(key, "a duration like 15ms")
	if !ok {
		return
	}
	d, err := ParseDuration(v.Value)
	if err != nil {
		s.p.failWith(s.fields[key].val, s.sub(key), err)
		return
	}
	*dst = d
}

// dist reads a distribution (15ms, exp(15ms), …).
func (s section) dist(key string, dst *Dist) {
	e, ok := s.fields[key]
	if !ok {
		return
	}
	if d, ok := s.p.dist(e, s.sub(key)); ok {
		*dst = d
	}
}

// dist reads the distribution that e holds.
func (p *parser) dist(e entry, path string) (Dist, bool) {
	v, ok := p.scalar(e, path, "a duration like 15ms or a distribution like exp(15ms)")
	if !ok {
		return Dist{}, false
	}
	d, err := ParseDist(v.Value)
	if err != nil {
		p.failWith(e.val, path, err)
		return Dist{}, false
	}
	return d, true
}

// size reads a memory size (120MiB, 4GiB, 1048576).
func (s section) size(key string, dst *int64) {
	v, ok := s.scalar(key, "a size like 512MiB")
	if !ok || s.notDecimal(key, v) {
		return
	}
	n, err := ParseSize(v.Value)
	if err != nil {
		s.p.failWith(s.fields[key].val, s.sub(key), err)
		return
	}
	*dst = n
}

// enum reads one of names and returns its index, or -1.
func (s section) enum(key, what string, names []string) int {
	v, ok := s.scalar(key, "one of "+strings.Join(names, ", "))
	if !ok {
		return -1
	}
	for i, name := range names {
		if v.Value == name {
			return i
		}
	}
	s.p.fail(s.fields[key].val, s.sub(key), enumHint(v.Value, names), "unknown %s %s", what, quote(v.Value))
	return -1
}
