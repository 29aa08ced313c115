package topology

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Error is one problem with a topology: where it is, what is wrong and,
// when there is one, a hint at the fix. Errors from Validate carry only
// Path; errors from Parse also carry File, Line and Col.
type Error struct {
	File      string
	Line, Col int
	// Path names the field, as in a file: app.workers,
	// workload.requests[0].steps[2].cpu.
	Path string
	Msg  string
	Hint string
	// Err is the cause from outside the file's text, such as the
	// operating system's error when the file cannot be read; else nil.
	Err error
}

// Unwrap returns the cause, so that errors.Is(err, fs.ErrPermission)
// sees through an Error.
func (e *Error) Unwrap() error { return e.Err }

// Error formats e as "file:line:col: path: msg; hint", leaving out the
// parts that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, "%d:", e.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Errors is a list of problems, one per line when printed. Parse returns
// it sorted by position.
type Errors []*Error

// Error returns the errors one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As and errors.Is look at each error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sortByPosition orders es by file, line and column, keeping the order
// of errors at the same position.
func (es Errors) sortByPosition() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// maxErrors is how many errors Parse and Validate report; the rest are
// only counted, in a last "N more errors" line.
const maxErrors = 100

// withDropped returns es followed, when dropped > 0, by a line saying how
// many more errors there were.
func (es Errors) withDropped(file string, dropped int) Errors {
	if dropped > 0 {
		es = append(es, &Error{File: file, Msg: fmt.Sprintf("%d more errors not shown", dropped)})
	}
	return es
}

// orNil returns es as an error, or nil when it is empty.
func (es Errors) orNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// suggest returns the allowed word closest to s, ignoring case: one
// within edit distance two (and closer than s is long); else one that
// starts with s or that s starts with; else, for words of four letters or
// more, one that contains the other. It returns "" when nothing is close.
func suggest(s string, allowed []string) string {
	ls := strings.ToLower(s)
	best, bestDist := "", 3
	for _, a := range allowed {
		la := strings.ToLower(a)
		d := levenshtein(ls, la)
		if d < bestDist && d < utf8.RuneCountInString(s) {
			best, bestDist = a, d
		}
	}
	if best != "" {
		return best
	}
	if utf8.RuneCountInString(s) < 2 {
		return ""
	}
	for _, a := range allowed {
		la := strings.ToLower(a)
		if strings.HasPrefix(la, ls) || strings.HasPrefix(ls, la) {
			return a
		}
	}
	if utf8.RuneCountInString(s) < 4 {
		return ""
	}
	for _, a := range allowed {
		la := strings.ToLower(a)
		if strings.Contains(la, ls) || (utf8.RuneCountInString(la) >= 4 && strings.Contains(ls, la)) {
			return a
		}
	}
	return ""
}

// Suggest returns the word of allowed closest to s, or "" when none is
// close: the rule behind every "did you mean" of scalesim, exported for
// the command line's flags and preset names.
func Suggest(s string, allowed []string) string { return suggest(s, allowed) }

// levenshtein is the edit distance between a and b, in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// didYouMean returns `did you mean "x"?` for the allowed word closest to
// s, or "".
func didYouMean(s string, allowed []string) string {
	if m := suggest(s, allowed); m != "" {
		return fmt.Sprintf("did you mean %q?", m)
	}
	return ""
}

// keyHint is the hint for an unknown key: a suggestion when one is
// close, otherwise the list of allowed keys.
func keyHint(key string, allowed []string) string {
	if h := didYouMean(key, allowed); h != "" {
		return h
	}
	if valueTail(key) {
		return commaHint("lognormal(8ms, 1.5)")
	}
	return "allowed: " + strings.Join(allowed, ", ")
}

// enumHint is the hint for an unknown enum value: a suggestion when one
// is close, and always the list of allowed values.
func enumHint(value string, allowed []string) string {
	list := "allowed: " + strings.Join(allowed, ", ")
	if h := didYouMean(value, allowed); h != "" {
		return h + " (" + list + ")"
	}
	return list
}

// quote shows a value from a file in a message: quoted, and shortened
// when long.
func quote(s string) string {
	const maxRunes = 40
	if utf8.RuneCountInString(s) > maxRunes {
		s = string([]rune(s)[:maxRunes]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// valueTail reports whether key is what follows the comma of a value
// that YAML's flow style cut there: "1.5)" of {cpu: lognormal(8ms, 1.5)}.
func valueTail(key string) bool {
	return strings.HasSuffix(key, ")") && !strings.Contains(key, "(")
}

// commaHint is the hint for a value cut at its comma inside {...}: the
// example, quoted.
func commaHint(example string) string {
	return fmt.Sprintf("inside {...} a comma ends the value: quote it, as in %q", example)
}
