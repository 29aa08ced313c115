package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readmeExample is a `$ scalesim ...` session of the README: the files
// it writes first with `$ cat FILE`, the command's arguments, and the
// lines the README shows it printing.
type readmeExample struct {
	line  int               // of the command, from 1
	files map[string]string // written by `$ cat NAME` before it
	args  []string
	out   string // stdout redirected with > FILE, if any
	head  string // for `head -N FILE`: FILE, written by the example before
	shown []string
}

// readmeExamples reads every code block of the README holding a `$
// scalesim` command. A command may go on over lines ending in `\`; `$
// cat NAME` shows a file the commands after it read, `$ head -N FILE`
// the first lines of a file the command before wrote. Blocks with
// another command are left out; a command shown without output is
// checked for its exit code only.
func readmeExamples(t *testing.T, readme string) []readmeExample {
	t.Helper()
	var out []readmeExample
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] != "```" || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "$ ") {
			continue
		}
		var block []string
		start := i + 1
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			block = append(block, lines[i])
		}
		files := map[string]string{}
		var cur *readmeExample
		skip := false
		for j := 0; j < len(block); j++ {
			l := block[j]
			if !strings.HasPrefix(l, "$ ") {
				if cur != nil {
					cur.shown = append(cur.shown, l)
				}
				continue
			}
			cmd := strings.TrimPrefix(l, "$ ")
			for strings.HasSuffix(cmd, `\`) && j+1 < len(block) {
				j++
				cmd = strings.TrimSuffix(cmd, `\`) + strings.TrimSpace(block[j])
			}
			switch words := shellWords(t, cmd); {
			case len(words) == 2 && words[0] == "cat":
				var body []string
				for j+1 < len(block) && !strings.HasPrefix(block[j+1], "$ ") {
					j++
					body = append(body, block[j])
				}
				files[words[1]] = strings.Join(body, "\n") + "\n"
				cur = nil
			case len(words) > 1 && words[0] == "scalesim":
				ex := readmeExample{line: start + j + 1, files: files, args: words[1:]}
				if n := len(ex.args); n > 2 && ex.args[n-2] == ">" {
					ex.out, ex.args = ex.args[n-1], ex.args[:n-2]
				}
				out = append(out, ex)
				cur = &out[len(out)-1]
			case len(words) == 3 && words[0] == "head" && strings.HasPrefix(words[1], "-"):
				// the first lines of a file the example before wrote
				ex := readmeExample{line: start + j + 1, files: files, head: words[2], args: words}
				out = append(out, ex)
				cur = &out[len(out)-1]
			default:
				skip = true
			}
		}
		if skip {
			out = out[:len(out)-countFrom(out, start)]
		}
	}
	return out
}

// countFrom counts the examples of out whose command is after line start.
func countFrom(out []readmeExample, start int) int {
	n := 0
	for _, ex := range out {
		if ex.line > start {
			n++
		}
	}
	return n
}

// shellWords splits a command line as sh does for the README's
// commands: words apart at spaces, quotes '…' and "…" kept together.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			w.WriteByte(c)
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if quote != 0 {
		t.Fatalf("the README's command %q has an unclosed quote", s)
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// shownMatches reports whether got holds the lines shown, in order: a
// line "..." stands for any lines, a "..." within a line for any text;
// the other lines follow each other as shown.
func shownMatches(shown []string, got string) bool {
	var pattern strings.Builder
	pattern.WriteString(`(?s)\A`)
	for _, l := range shown {
		if l == "..." {
			pattern.WriteString(`(?:.*\n)?`)
			continue
		}
		parts := strings.Split(l, "...")
		for k, p := range parts {
			if k > 0 {
				pattern.WriteString(`[^\n]*`)
			}
			pattern.WriteString(regexp.QuoteMeta(p))
		}
		pattern.WriteString(`\n`)
	}
	if len(shown) > 0 && shown[len(shown)-1] == "..." {
		pattern.WriteString(`.*`)
	}
	pattern.WriteString(`\z`)
	return regexp.MustCompile(pattern.String()).MatchString(got)
}

// TestReadmeExamples runs every `$ scalesim` example of the README, as a
// new user would copy it, and checks that it prints what the README
// shows (the lines "..." leaves out aside) with exit code 0 or, for
// validate, 2. compare's example is TestReadmeCompare's; under -short
// the searches and sweeps, which take seconds each, are left out, and
// under the race detector all of them.
func TestReadmeExamples(t *testing.T) {
	if raceEnabled {
		t.Skip("the examples run one simulation each, with no goroutines to race; ten times slower under the race detector")
	}
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	examples := readmeExamples(t, string(data))
	if len(examples) < 8 {
		t.Fatalf("found %d examples in the README", len(examples))
	}
	t.Chdir(t.TempDir())
	for _, ex := range examples {
		name := strings.Join(ex.args, " ")
		switch ex.args[0] {
		case "compare":
			continue
		case "find", "sweep":
			if testing.Short() {
				continue
			}
		}
		if ex.head != "" {
			t.Run(name, func(t *testing.T) {
				data, err := os.ReadFile(ex.head)
				if err != nil {
					t.Fatalf("README line %d: %v", ex.line, err)
				}
				lines := strings.SplitAfter(string(data), "\n")
				n, err := strconv.Atoi(strings.TrimPrefix(ex.args[1], "-"))
				if err != nil || n > len(lines) {
					t.Fatalf("README line %d: %s has %d lines", ex.line, ex.head, len(lines))
				}
				got := strings.Join(lines[:n], "")
				if !shownMatches(ex.shown, got) {
					t.Errorf("README line %d: %s starts\n%s\nwhere the README shows\n%s", ex.line, ex.head, got, strings.Join(ex.shown, "\n"))
				}
			})
			continue
		}
		t.Run(name, func(t *testing.T) {
			for f, body := range ex.files {
				if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			limit := 10 * time.Second
			if ex.args[0] == "find" || ex.args[0] == "sweep" {
				limit = 5 * time.Minute // a minute of CPU on a busy machine
			}
			r := runFor(t, limit, ex.args...)
			want := 0
			if ex.args[0] == "validate" {
				want = 2
			}
			if r.code != want {
				t.Fatalf("README line %d: exit %d, want %d; stderr:\n%s", ex.line, r.code, want, r.err)
			}
			got := r.out
			if ex.out != "" {
				// the shell's > FILE
				if err := os.WriteFile(ex.out, []byte(r.out), 0o644); err != nil {
					t.Fatal(err)
				}
				got = ""
			}
			got += r.err
			if len(ex.shown) > 0 && !shownMatches(ex.shown, got) {
				t.Errorf("README line %d: scalesim %s prints\n%s\nwhere the README shows\n%s", ex.line, name, got, strings.Join(ex.shown, "\n"))
			}
		})
	}
}

// TestReadmeStory: the story the README shows as an example passes
// story --check, as a reader who saves it and checks it will see.
func TestReadmeStory(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "\n## Stories\n")
	if !ok {
		t.Fatal("the README has no Stories section")
	}
	_, rest, ok = strings.Cut(rest, "```yaml\n")
	story, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 || !strings.HasPrefix(story, "title:") {
		t.Fatalf("the Stories section does not start with a story in a yaml block:\n%.200s", rest)
	}
	path := filepath.Join(t.TempDir(), "more-workers.yaml")
	if err := os.WriteFile(path, []byte(story), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runFor(t, time.Minute, "story", "--check", path)
	r.check(t, 0, "claims hold on every seed and fail without their step's changes", "")
}
