package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"scalesim/record"
	"scalesim/story"
	"scalesim/topology"
)

// TestReplayToStory turns a recording into a story and reads it back:
// the story's timeline is the recording's changes at their times, and
// its captions say what each change did.
func TestReplayToStory(t *testing.T) {
	dir := t.TempDir()
	recFile := filepath.Join(dir, "demo.rec.yaml")
	recordSession(t, recFile)
	out, stderr, code := runOut(t, "replay", "--to-story", recFile)
	if code != 0 {
		t.Fatalf("--to-story: exit %d: %s", code, stderr)
	}
	file := filepath.Join(dir, "demo.story.yaml")
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := story.Load(file, "")
	if err != nil {
		t.Fatalf("the story --to-story wrote does not load: %v\n%s", err, out)
	}
	rec, err := record.Load(recFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := rec.Scenario("")
	if err != nil {
		t.Fatal(err)
	}
	got := st.Timeline(len(st.Steps)-1, nil)
	strip := func(evs []topology.Event) []topology.Event {
		var out []topology.Event
		for _, e := range evs {
			e.Changes = append([]topology.Change(nil), e.Changes...)
			for i := range e.Changes {
				e.Changes[i].Source = ""
			}
			out = append(out, e)
		}
		return out
	}
	if !reflect.DeepEqual(strip(got.Events), strip(want.Events)) {
		t.Errorf("the story's timeline differs from the recording's:\n%v\n%v", got.Events, want.Events)
	}
	if st.Seed != rec.Seed || got.Seed != rec.Seed {
		t.Errorf("seed %d (timeline %d), want the recording's %d", st.Seed, got.Seed, rec.Seed)
	}
	var captions []string
	for _, s := range st.Steps {
		captions = append(captions, s.Caption)
	}
	wantCaps := []string{"the start", "app.workers = 6", "workload.rate = 90", "node 1 down", "node 1 up"}
	if !reflect.DeepEqual(captions, wantCaps) {
		t.Errorf("captions %q, want %q", captions, wantCaps)
	}
	if end := st.Start(len(st.Steps)); end != rec.Length() {
		t.Errorf("the story runs %s, the recording %s", end, rec.Length())
	}
	check, stderr, code := runOut(t, "story", "--check", "--seeds", "1", file)
	if code != 0 || !strings.Contains(check, "no claims to check") {
		t.Errorf("story --check of a story without claims: exit %d: %s%s", code, check, stderr)
	}
}

// TestStoryCommand: --check exits 0 when every claim holds, 1 naming
// the failed claims, 2 for a file that is not a story; --list lists the
// shipped stories; flags that do not go together are refused.
func TestStoryCommand(t *testing.T) {
	out, stderr, code := runOut(t, "story", "--check", "--seeds", "2", "story/testdata/good.yaml")
	if code != 0 || !strings.Contains(out, "all 5 claims hold on every seed") || stderr != "" {
		t.Errorf("good story: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = runOut(t, "story", "--check", "--seeds", "1", "story/testdata/wrong.yaml")
	if code != 1 || !strings.Contains(out, "step 1 (Twenty a second) claims p99 < 100ms: it fails on 1 of 1 seeds") ||
		!strings.Contains(stderr, "scalesim: story/testdata/wrong.yaml: 4 of 4 claims failed") {
		t.Errorf("wrong story: exit %d\n%s%s", code, out, stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("title: x\ntopology: preset:single-worker\nsteps: [{caption: a, run: 1s, expect: {p99: 5}}]\n"), 0o644)
	_, stderr, code = runOut(t, "story", "--check", bad)
	if code != 2 || !strings.Contains(stderr, bad+":3:") || !strings.Contains(stderr, "step 1.expect.p99") {
		t.Errorf("bad story: exit %d: %s", code, stderr)
	}
	_, stderr, code = runOut(t, "story", "--check", "--lang", "fr", "story/testdata/good.yaml")
	if code != 2 || !strings.Contains(stderr, "no fr; this story is in en, zh-TW") {
		t.Errorf("--lang fr: exit %d: %s", code, stderr)
	}
	out, _, code = runOut(t, "story", "--list")
	if code != 0 || !strings.HasPrefix(out, "tour     Scaling Django") || !strings.Contains(out, "en, zh-TW") {
		t.Errorf("--list: exit %d: %s", code, out)
	}
	for _, args := range [][]string{
		{"story", "--seeds", "3", "tour"},
		{"story", "--check", "--seeds", "1001", "tour"},
		{"story", "--list", "tour"},
		{"story"},
		{"story", "tour"}, // not a terminal
	} {
		if _, stderr, code := runOut(t, args...); code != 2 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
}
