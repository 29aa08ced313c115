package story

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"gopkg.in/yaml.v3"
)

// texts is a text in several languages: a plain string is English.
type texts map[string]string

// langPattern is what a language key looks like: en, zh-TW, pt-BR.
var langPattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// Bounds of a story's texts.
const (
	maxCaptionBytes = 200  // a line of 76 columns of CJK is 114 bytes
	maxNotesBytes   = 4000 // a long paragraph in any script
	maxLangs        = 8
)

// text reads a caption, title or notes at n: a string, or a mapping of
// languages to strings with "en" among them. oneLine refuses line
// breaks and text wider than MaxCaptionWidth columns.
func (r *reader) text(n *yaml.Node, path string, oneLine bool) texts {
	n = deref(n)
	limit := maxNotesBytes
	if oneLine {
		limit = maxCaptionBytes
	}
	check := func(at *yaml.Node, p, s string) bool {
		if oneLine {
			s = strings.TrimSpace(s)
		}
		switch {
		case oneLine && s == "":
			r.fail(at, p, "the line the audience reads", "empty text")
		case len(s) > limit:
			r.fail(at, p, "", "%d bytes; at most %d are allowed", len(s), limit)
		case strings.IndexFunc(s, badRune(oneLine)) >= 0:
			if oneLine && strings.ContainsAny(s, "\n\r") {
				r.fail(at, p, "put the rest in notes:", "a caption is one line")
			} else {
				r.fail(at, p, "remove the control characters", "text with a control character")
			}
		case oneLine && lipgloss.Width(s) > MaxCaptionWidth:
			r.fail(at, p, "shorten it; say more in notes:", "%d columns wide; a caption fits in %d (a CJK character takes two)", lipgloss.Width(s), MaxCaptionWidth)
		default:
			return true
		}
		return false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag != "!!str" {
			r.fail(n, path, `e.g. "More workers" or {en: "More workers", zh-TW: "更多 worker"}`, "expected text, got %s", describeNode(n))
			return nil
		}
		if !check(n, path, n.Value) {
			return nil
		}
		return texts{"en": tidy(n.Value, oneLine)}
	case yaml.MappingNode:
		out := texts{}
		r.duplicates(n, path)
		if len(n.Content)/2 > maxLangs {
			r.fail(n, path, "", "%d languages; at most %d are allowed", len(n.Content)/2, maxLangs)
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], deref(n.Content[i+1])
			p := path + "." + k.Value
			if !langPattern.MatchString(k.Value) {
				r.fail(k, p, "a language is written like en or zh-TW", "not a language: %q", k.Value)
				continue
			}
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				r.fail(v, p, "", "expected text, got %s", describeNode(v))
				continue
			}
			if check(v, p, v.Value) {
				out[k.Value] = tidy(v.Value, oneLine)
			}
		}
		if _, ok := out["en"]; !ok && len(out) > 0 {
			r.fail(n, path, "every text has an English version, the language of the check's report", "no en")
		}
		return out
	}
	r.fail(n, path, `e.g. "More workers" or {en: "More workers", zh-TW: "更多 worker"}`, "expected text, got %s", describeNode(n))
	return nil
}

// tidy trims a caption, and the trailing line break a YAML block leaves
// on notes.
func tidy(s string, oneLine bool) string {
	if oneLine {
		return strings.TrimSpace(s)
	}
	return strings.TrimRight(s, "\n ")
}

// badRune reports the runes a text must not have: control characters
// (escape sequences would reach the terminal), but line breaks in notes.
func badRune(oneLine bool) func(rune) bool {
	return func(c rune) bool {
		if c == '\n' && !oneLine {
			return false
		}
		return unicode.IsControl(c) || c == '\u2028' || c == '\u2029' || unicode.Is(unicode.Bidi_Control, c)
	}
}

// langs are the languages of t, sorted.
func (t texts) langs() []string {
	out := make([]string, 0, len(t))
	for l := range t {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// describeNode says what kind of YAML value n is, for messages.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}

// deref follows an alias to what it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	if n == nil || n.Kind == yaml.AliasNode {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	return n
}
