package story

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
)

func check(t *testing.T, path, lang string, seeds int) (*Story, *Report, string) {
	t.Helper()
	st := load(t, path, lang)
	r, err := Check(st, st.Seeds(seeds))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return st, r, b.String()
}

// load reads the story at path in lang.
func load(t *testing.T, path, lang string) *Story {
	t.Helper()
	st, err := Load(path, lang)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestCheckPasses: a story whose claims hold and depend on their steps.
func TestCheckPasses(t *testing.T) {
	_, r, out := check(t, "testdata/good.yaml", "", 3)
	if !r.OK() || r.Failed() != 0 || r.Claims() != 5 || len(r.Failures()) != 0 {
		t.Fatalf("good.yaml fails:\n%s", out)
	}
	for _, want := range []string{
		"testdata/good.yaml, 3 steps; seeds 1-3",
		"step 3: Three workers\n  ok   throughput > 1.2x step 2: ",
		"       step 2: ",
		"all 5 claims hold on every seed and fail without their step's changes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}

// TestCheckCatchesWrongClaims: a story written to be wrong fails on a
// claim that does not hold, on claims that hold without their step's
// changes, and on a claim of a step without changes; each failure names
// the step's number and caption, the claim as written and the values.
func TestCheckCatchesWrongClaims(t *testing.T) {
	_, r, out := check(t, "testdata/wrong.yaml", "", 2)
	if r.OK() || r.Failed() != 4 {
		t.Fatalf("wrong.yaml: %d failed, want 4:\n%s", r.Failed(), out)
	}
	fs := strings.Join(r.Failures(), "\n")
	for _, want := range []string{
		"step 1 (Twenty a second) claims p99 < 100ms: it fails on 2 of 2 seeds (",
		"step 1 (Twenty a second) claims throughput > 10/s but it holds without the step's changes on 2 of 2 seeds (",
		"step 2 (Least connections with one node) claims throughput > 10/s but it holds without the step's changes on 2 of 2 seeds",
		"step 3 (Nothing changes) claims throughput > 10/s but the step has no changes it could depend on",
	} {
		if !strings.Contains(fs, want) {
			t.Errorf("the failures lack %q:\n%s", want, fs)
		}
	}
	if !strings.Contains(out, "  FAIL p99 < 100ms: ") || !strings.Contains(out, "4 of 4 claims failed:") {
		t.Errorf("the report:\n%s", out)
	}
	c := r.Steps[0].Claims[0]
	if len(c.Values) != 2 || c.Values[0] < 1000 {
		t.Errorf("step 1's p99 per seed %v: one worker at 20 a second queues for seconds", c.Values)
	}
}

// TestCheckIsDeterministic: the same story and seeds give the same
// report, byte for byte, however the runs are scheduled.
func TestCheckIsDeterministic(t *testing.T) {
	_, _, a := check(t, "testdata/wrong.yaml", "", 2)
	_, _, b := check(t, "testdata/wrong.yaml", "", 2)
	if a != b {
		t.Errorf("two checks differ:\n%s\n----\n%s", a, b)
	}
	st, err := Load("testdata/wrong.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := Check(st, []uint64{2})
	r2, _ := Check(st, []uint64{1, 2})
	if r1.Steps[0].Claims[0].Values[0] != r2.Steps[0].Claims[0].Values[1] {
		t.Errorf("seed 2 alone %v, with seed 1 %v", r1.Steps[0].Claims[0].Values, r2.Steps[0].Claims[0].Values)
	}
}

// TestTour checks the shipped tour in both languages: every claim holds
// on every seed and fails without its step's changes. Both languages
// have the same steps, changes, runs and claims, so the check's values
// are the same in both and zh-TW runs one seed. Under -short fewer seeds
// run; scalesim story --check tour runs five.
func TestTour(t *testing.T) {
	start := time.Now()
	var en, zh *Story
	if testing.Short() {
		// one check, in English: the languages' steps, changes and
		// claims are compared equal below, so zh-TW's runs are the same
		// runs; under the race detector, whose runs of the tour take
		// minutes, the checker's pool is raced by TestCheckPasses
		// instead, and the tour is only read
		en, zh = load(t, "tour", "en"), load(t, "tour", "zh-TW")
		if !raceEnabled {
			if _, r, out := check(t, "tour", "en", 1); !r.OK() {
				t.Errorf("the tour fails in en:\n%s", out)
			}
		}
	} else {
		var r *Report
		var out string
		en, r, out = check(t, "tour", "en", 3)
		if !r.OK() {
			t.Errorf("the tour fails in en:\n%s", out)
		}
		zh, r, out = check(t, "tour", "zh-TW", 1)
		if !r.OK() {
			t.Errorf("the tour fails in zh-TW:\n%s", out)
		}
	}
	t.Logf("the tour checked in %s", time.Since(start).Round(time.Millisecond))
	if len(en.Steps) != len(zh.Steps) || en.Title == zh.Title {
		t.Fatalf("en has %d steps, zh-TW %d; titles %q, %q", len(en.Steps), len(zh.Steps), en.Title, zh.Title)
	}
	for k := range en.Steps {
		a, b := en.Steps[k], zh.Steps[k]
		if len(a.Expect) == 0 || len(a.Changes) == 0 {
			t.Errorf("step %d (%s) has %d claims and %d changes: every step of the tour claims what its changes do", k+1, a.Caption, len(a.Expect), len(a.Changes))
		}
		if a.Caption == b.Caption || a.Notes == "" || b.Notes == "" || a.Notes == b.Notes {
			t.Errorf("step %d: the caption or notes are not translated: %q / %q", k+1, a.Caption, b.Caption)
		}
		if strings.Contains(b.Notes, "。 ") || strings.Contains(b.Notes, "， ") || strings.Contains(b.Notes, "： ") {
			t.Errorf("step %d: the zh-TW notes have a space after a full-width mark (a folded line?): %q", k+1, b.Notes)
		}
		if a.Run != b.Run || len(a.Changes) != len(b.Changes) || len(a.Expect) != len(b.Expect) {
			t.Errorf("step %d differs between languages", k+1)
		}
	}
	if en.Langs[0] != "en" || en.Langs[1] != "zh-TW" {
		t.Errorf("langs %v", en.Langs)
	}
}

// TestTourCaptionsFit: every caption of the tour is one line of at most
// MaxCaptionWidth columns in both languages, CJK characters counted two
// columns wide, so that it fits an 80-column screen.
func TestTourCaptionsFit(t *testing.T) {
	for _, lang := range []string{"en", "zh-TW"} {
		st, err := Load("tour", lang)
		if err != nil {
			t.Fatal(err)
		}
		for k, s := range append([]Step{{Caption: st.Title}}, st.Steps...) {
			w := lipgloss.Width(s.Caption)
			if w > MaxCaptionWidth || strings.ContainsAny(s.Caption, "\n\r") {
				t.Errorf("%s step %d: %q is %d columns wide", lang, k, s.Caption, w)
			}
			if lang == "zh-TW" && w <= len([]rune(s.Caption)) {
				t.Errorf("%s step %d: %q measured %d columns for %d runes: CJK counts two", lang, k, s.Caption, w, len([]rune(s.Caption)))
			}
		}
	}
	if w := lipgloss.Width("一個 worker"); w != 11 {
		t.Errorf("lipgloss.Width(一個 worker) = %d, want 11", w)
	}
}
