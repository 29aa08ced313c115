package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"scalesim/presets"
	"scalesim/report"
	"scalesim/sim"
	"scalesim/topology"
)

// result is what one run of the command printed and returned.
type result struct {
	code     int
	out, err string
}

// runWithin runs the command with args, failing the test if it does not
// return within 10 seconds (a FIFO or a device read forever, a flag
// ignored).
func runWithin(t *testing.T, args ...string) result {
	t.Helper()
	return runFor(t, 10*time.Second, args...)
}

// runFor runs the command with args, failing the test if it does not
// return within limit.
func runFor(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader(""), &out, &errb)
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(limit):
		t.Fatalf("scalesim %s did not return within %s", strings.Join(args, " "), limit)
		return result{}
	}
}

// check asserts the exit code and that stdout and stderr contain the
// given texts; an error is printed exactly once.
func (r result) check(t *testing.T, code int, out, err string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d; stderr: %s", r.code, code, r.err)
	}
	if !strings.Contains(r.out, out) {
		t.Errorf("stdout lacks %q:\n%s", out, r.out)
	}
	if !strings.Contains(r.err, err) {
		t.Errorf("stderr lacks %q:\n%s", err, r.err)
	}
	if code == 2 && strings.Count(r.err, "scalesim:") != 1 {
		t.Errorf("the error is not printed exactly once:\n%s", r.err)
	}
	if code == 0 && r.err != "" {
		t.Errorf("a successful run printed on stderr (not a terminal):\n%s", r.err)
	}
}

func TestCommands(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"presets", []string{"presets"}, 0, "uwsgi-workers", ""},
		{"validate good", []string{"validate", "testdata/minimal.yaml"}, 0, "testdata/minimal.yaml: ok", ""},
		{"validate a preset", []string{"validate", "redis-cache"}, 0, "redis-cache: ok", ""},
		{"validate typo", []string{"validate", "testdata/wrokers.yaml"}, 2, "",
			`testdata/wrokers.yaml:7:3: app.wrokers: unknown key; did you mean "workers"?`},
		{"validate none", []string{"validate"}, 2, "", "validate takes one or more FILEs or PRESETs"},
		{"run a file", []string{"run", "--duration", "5s", "--warmup", "1s", "testdata/minimal.yaml"}, 0, "throughput", ""},
		{"run flags after the file", []string{"run", "testdata/minimal.yaml", "--duration", "5s", "--format", "prom"}, 0, "scalesim_requests_total", ""},
		{"run flags as name=value", []string{"run", "--duration=5s", "--format=json", "testdata/minimal.yaml"}, 0, `"duration_s": 5`, ""},
		{"run a preset", []string{"run", "--duration", "2s", "--format", "json", "redis-cache"}, 0, `"throughput_rps"`, ""},
		{"run a typo", []string{"run", "testdata/wrokers.yaml"}, 2, "", "did you mean"},
		{"run nothing", []string{"run", "no-such-thing"}, 2, "", "no-such-thing: no such file or preset"},
		{"run a preset typo", []string{"run", "redis-cach"}, 2, "", `redis-cach: no such file or preset; did you mean "redis-cache"?`},
		{"run a missing path", []string{"run", "testdata/nope.yaml"}, 2, "", "testdata/nope.yaml: no such file or directory"},
		{"bad format", []string{"run", "--format", "xml", "redis-cache"}, 2, "", `--format "xml": allowed: text, json, prom`},
		{"format typo", []string{"run", "--format", "jsn", "redis-cache"}, 2, "", `--format "jsn": did you mean "json"?`},
		{"bad duration", []string{"run", "--duration", "-1s", "redis-cache"}, 2, "", "--duration must be positive, got -1s"},
		{"duration without unit", []string{"run", "--duration", "10", "redis-cache"}, 2, "", `--duration "10": missing unit in duration; add a unit`},
		{"sub-nanosecond duration", []string{"run", "--duration", "0.1ns", "redis-cache"}, 2, "", `--duration "0.1ns": duration is shorter than 1ns; give at least 1ns`},
		{"negative warm-up", []string{"run", "--warmup", "-1s", "redis-cache"}, 2, "", "--warmup must not be negative, got -1s"},
		{"sweep of no duration", []string{"sweep", "--duration", "0s", "--set", "app.workers=2,4", "redis-cache"}, 2, "", "--duration must be positive, got 0s"},
		{"find of no duration", []string{"find", "--duration", "0s", "--vary", "app.workers", "--slo", "p99<200ms", "redis-cache"}, 2, "", "--duration must be positive, got 0s"},
		{"overflowing run", []string{"run", "--duration", "2562047h", "--warmup", "1h", "redis-cache"}, 2, "",
			"--warmup 1h plus --duration 2562047h is more than the 876000h (100 years) a run may simulate"},
		{"duration past the clock", []string{"run", "--duration", "2562048h", "redis-cache"}, 2, "", `--duration "2562048h": duration is too long; durations go up to 2562047h`},
		{"series of no format", []string{"run", "--series", "out.txt", "redis-cache"}, 2, "",
			`--series "out.txt": .txt is no series format: name the file .csv for CSV, or .json or .jsonl for JSON lines`},
		{"series without extension", []string{"run", "--series", "out", "redis-cache"}, 2, "", `--series "out": no extension`},
		{"series in no directory", []string{"run", "--series", "testdata/no/such/dir/out.csv", "redis-cache"}, 2, "", "--series: testdata/no/such/dir/out.csv: cannot be created: testdata/no/such/dir is not a directory that exists"},
		{"bad seed", []string{"run", "--seed", "-1", "redis-cache"}, 2, "", `--seed "-1": expected a whole number from 0 to 18446744073709551615`},
		{"missing flag value", []string{"run", "redis-cache", "--seed"}, 2, "", "--seed needs a value N"},
		{"unknown flag", []string{"run", "--sped", "2", "redis-cache"}, 2, "", "run has no flag --sped; did you mean --seed?\nsee scalesim run --help"},
		{"single-dash unknown flag", []string{"-bogus", "redis-cache"}, 2, "", "the dashboard has no flag --bogus\nsee scalesim --help"},
		{"another command's flag", []string{"run", "--paused", "redis-cache"}, 2, "", "--paused is a flag of the dashboard, not of run"},
		{"run's flag on the dashboard", []string{"--duration", "5s", "redis-cache"}, 2, "", "--duration is a flag of run, not of the dashboard"},
		{"bad speed", []string{"--speed", "3", "redis-cache"}, 2, "", `--speed "3": the dashboard runs at 0.1, 0.2, 0.5, 1, 2, 5, 10`},
		{"bad paused", []string{"--paused=maybe", "redis-cache"}, 2, "", `--paused="maybe": expected true or false`},
		{"no terminal", []string{"redis-cache"}, 2, "", "the dashboard needs a terminal; for a headless summary run: scalesim run redis-cache"},
		{"dashboard flags, no terminal", []string{"--speed", "10", "--paused", "--seed", "7", "redis-cache"}, 2, "", "the dashboard needs a terminal"},
		{"two files for the dashboard", []string{"redis-cache", "uwsgi-workers"}, 2, "", "the dashboard opens one FILE or PRESET, got 2"},
		{"help", []string{"help"}, 0, "usage:", ""},
		{"a command's typo", []string{"valdate", "redis-cache"}, 2, "", "valdate: no such command, file or preset; did you mean scalesim validate?"},
		{"a command's typo alone", []string{"presset"}, 2, "", "presset: no such command, file or preset; did you mean scalesim presets?"},
		{"help of a command", []string{"help", "run"}, 0, "usage: scalesim run [flags] FILE|PRESET", ""},
		{"help of a command and more", []string{"help", "run", "extra"}, 2, "", "help shows one command's help, got run extra; write scalesim help run"},
		{"help of no command", []string{"help", "bogus"}, 2, "", `no command "bogus"; commands: tui, run, replay, plan, sweep, find, compare, story, validate, presets, help`},
		{"a typo of compare", []string{"compaer", "redis-cache"}, 2, "", "compaer: no such command, file or preset; did you mean scalesim compare?"},
		{"a typo of story", []string{"stroy", "tour"}, 2, "", "stroy: no such command, file or preset; did you mean scalesim story?"},
		{"presets with an argument", []string{"presets", "bogus"}, 2, "", "presets takes no arguments or show NAME, got bogus"},
		{"presets show nothing", []string{"presets", "show"}, 2, "", "presets show takes one preset NAME"},
		{"presets show a typo", []string{"presets", "show", "redis-cach"}, 2, "", `redis-cach: no such preset; did you mean "redis-cache"?`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runWithin(t, tc.args...).check(t, tc.code, tc.out, tc.err)
		})
	}
}

// Every command has --help (and -h), listing its flags with their
// defaults, on stdout, with exit code 0, wherever the flag is.
func TestEveryCommandHasHelp(t *testing.T) {
	cases := map[string][]string{ // the command -> what its help must list
		"":         {"  scalesim [flags] [FILE|PRESET]", "--seed N", "--speed X", "(default 1)", "--paused", "scalesim run [flags] FILE|PRESET", "scalesim presets [show NAME]"},
		"tui":      {"usage: scalesim tui [flags] [FILE|PRESET]", "--seed N", "--speed X", "--paused"},
		"run":      {"usage: scalesim run [flags] FILE|PRESET", "--duration D", "(default 1m)", "--warmup D", "(default 10s)", "--seed N", "default: the file's seed", "--format F", "(default text)", "130"},
		"validate": {"usage: scalesim validate FILE|PRESET...", "-h, --help"},
		"presets":  {"usage: scalesim presets [show NAME]", "scalesim presets show redis-cache > mine.yaml"},
		"help":     {"usage: scalesim help [COMMAND]"},
		"replay":   {"usage: scalesim replay [flags] FILE"},
		"plan":     {"usage: scalesim plan [flags] FILE|PRESET"},
		"sweep":    {"usage: scalesim sweep [flags] FILE|PRESET", "--set"},
		"find":     {"usage: scalesim find [flags] FILE|PRESET", "--slo"},
		"compare":  {"usage: scalesim compare [flags] A [B]", "--b PATH=VALUE", "--seeds N", "(default 5)", "--json"},
	}
	for cmd, wants := range cases {
		for _, args := range [][]string{{cmd, "--help"}, {cmd, "-h"}, {"--help", cmd}, {cmd, "redis-cache", "-help"}} {
			if cmd == "" {
				args = slices.DeleteFunc(args, func(a string) bool { return a == "" })
			}
			r := runWithin(t, args...)
			if r.code != 0 || r.err != "" {
				t.Errorf("scalesim %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.err)
			}
			for _, want := range wants {
				if !strings.Contains(r.out, want) {
					t.Errorf("scalesim %s lacks %q:\n%s", strings.Join(args, " "), want, r.out)
				}
			}
			// help is read in an 80-column terminal
			for _, line := range strings.Split(r.out, "\n") {
				if n := utf8.RuneCountInString(line); n > 80 {
					t.Errorf("scalesim %s: a line of %d columns: %q", strings.Join(args, " "), n, line)
				}
			}
		}
	}
}

// Flags go before the command, between its arguments and after them.
func TestFlagsAnywhere(t *testing.T) {
	want := runWithin(t, "run", "--seed", "7", "--duration", "3s", "--format", "json", "redis-cache")
	want.check(t, 0, `"seed": 7`, "")
	for _, args := range [][]string{
		{"--seed", "7", "run", "--duration", "3s", "--format", "json", "redis-cache"},
		{"--seed=7", "--duration", "3s", "run", "redis-cache", "--format", "json"},
		{"run", "redis-cache", "--format=json", "--seed", "7", "--duration=3s"},
		{"run", "-seed", "7", "-duration", "3s", "-format", "json", "--", "redis-cache"},
	} {
		got := runWithin(t, args...)
		if got.code != 0 || got.out != want.out {
			t.Errorf("scalesim %s: exit %d, printed other bytes than the flags in order; stderr %s", strings.Join(args, " "), got.code, got.err)
		}
	}
	// Flags before the file reach the dashboard too: it fails only for
	// want of a terminal, after reading every flag.
	runWithin(t, "--seed", "7", "redis-cache").check(t, 2, "", "the dashboard needs a terminal")
}

// --seed 0 is a seed like any other; without --seed the file's seed is used.
func TestSeedZeroIsASeed(t *testing.T) {
	file := runWithin(t, "run", "--duration", "5s", "--format", "json", "testdata/minimal.yaml")
	zero := runWithin(t, "run", "--duration", "5s", "--format", "json", "--seed", "0", "testdata/minimal.yaml")
	file.check(t, 0, `"seed": 1`, "")
	zero.check(t, 0, `"seed": 0,`, "")
	if file.out == zero.out {
		t.Error("--seed 0 ran the file's seed")
	}
}

func TestPresetsShowPrintsTheEmbeddedFile(t *testing.T) {
	for _, name := range []string{"redis-cache", "preset:flash-sale-naive"} {
		r := runWithin(t, "presets", "show", name)
		p, _ := presets.Get(strings.TrimPrefix(name, "preset:"))
		if r.code != 0 || r.out != string(p.Data) {
			t.Errorf("presets show %s: exit %d, and stdout is not the embedded file:\n%s", name, r.code, r.out)
		}
	}
	// What it prints is a file that validates.
	path := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(path, []byte(runWithin(t, "presets", "show", "redis-cache").out), 0o600); err != nil {
		t.Fatal(err)
	}
	runWithin(t, "validate", path).check(t, 0, path+": ok", "")
}

// A file that cannot be a topology gives the same message and exit code
// 2 from every command, promptly, without reading it.
func TestUnreadableInputs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop.yaml")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), 200_000), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		fifo:        fifo + ": is a named pipe, not a topology file",
		dir:         dir + ": is a directory, not a topology file",
		"/dev/zero": "/dev/zero: is a character device, not a topology file",
		loop:        loop + ": too many levels of symbolic links",
		big:         big + ": file is larger than 1MiB",
	}
	if os.Geteuid() != 0 { // permissions do not stop root
		locked := filepath.Join(dir, "locked.yaml")
		if err := os.WriteFile(locked, []byte("app: {}\n"), 0o000); err != nil {
			t.Fatal(err)
		}
		cases[locked] = locked + ": permission denied"
		closed := filepath.Join(dir, "closed")
		if err := os.Mkdir(closed, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(closed, "t.yaml"), []byte("app: {}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(closed, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(closed, 0o700) })
		cases[filepath.Join(closed, "t.yaml")] = filepath.Join(closed, "t.yaml") + ": permission denied"
	} else {
		t.Log("running as root: the permission cases are skipped")
	}
	for path, want := range cases {
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			t.Logf("skipping %s: %v", path, err)
			continue
		}
		for _, cmd := range [][]string{{"validate", path}, {"run", "--duration", "1s", path}, {path}, {"tui", path}} {
			r := runWithin(t, cmd...)
			r.check(t, 2, "", "scalesim: "+want)
			if strings.Contains(r.err, "no such file or preset") {
				t.Errorf("scalesim %s hides the cause: %s", strings.Join(cmd, " "), r.err)
			}
		}
	}
}

// A folder or file in the current folder with a preset's name is not
// silently taken for the preset, nor the preset for it.
func TestPresetNameThatIsAlsoAPath(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("redis-cache", 0o700); err != nil {
		t.Fatal(err)
	}
	runWithin(t, "run", "redis-cache").check(t, 2, "", "redis-cache: names both a preset and a folder in the current folder; write preset:redis-cache for the preset")
	runWithin(t, "run", "--duration", "1s", "preset:redis-cache").check(t, 0, "throughput", "")
	runWithin(t, "run", "./redis-cache").check(t, 2, "", "./redis-cache: is a directory")
}

func TestBadFilesGiveOneClearMessage(t *testing.T) {
	dir := t.TempDir()
	minimal, err := os.ReadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]struct {
		data []byte
		code int
		err  string
	}{
		"one-bom.yaml":  {append([]byte("\uFEFF"), minimal...), 0, ""},
		"two-boms.yaml": {append([]byte("\uFEFF\uFEFF"), minimal...), 2, "two-boms.yaml:1:1: a second byte order mark (U+FEFF) after the first; save the file as UTF-8 without a BOM"},
		"octal.yaml":    {append(append([]byte{}, minimal...), "\nseed: 017\n"...), 2, "octal.yaml:4:7: seed: 017 has a leading zero, so YAML reads it as the octal number 15; write 17"},
		"tiny.yaml":     {[]byte("workload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}\napp: {timeout: 0.1ns}\n"), 2, `tiny.yaml:2:16: app.timeout: duration "0.1ns" is shorter than 1ns; write 0 for none, or at least 1ns`},
		"escape.yaml":   {[]byte("name: \"\\e[2J\\e]0;pwned\\a\"\nworkload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}\napp: {wrokers: 2}\nlb: {\"\\e[31m\": 1}\n"), 2, `escape.yaml:4:6: lb.\x1b[31m: unknown key`},
	}
	for name, f := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, f.data, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runWithin(t, "validate", path)
		r.check(t, f.code, "", f.err)
		if f.code != 0 && strings.Count(r.err, "\n") != strings.Count(f.err, "\n")+1 && !strings.Contains(name, "escape") {
			t.Errorf("%s: more than one problem reported:\n%s", name, r.err)
		}
		if strings.ContainsRune(r.err, 0x1b) || strings.ContainsRune(r.err, 0x07) {
			t.Errorf("%s: a control character reached the terminal: %q", name, r.err)
		}
	}
}

// The topology's and its request classes' names reach the terminal
// escaped, in text and in the Prometheus format.
func TestTextReportEscapesTheName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evil.yaml")
	data := "name: \"\\e[2J\\e[31mRED\\e]0;pwned\\a\"\nworkload: {rate: 5, requests: [{name: \"a\\e[5m\", steps: [{cpu: 1ms}]}, {name: \"b\\e[2J\", steps: [{cpu: 1ms}]}]}\napp: {}\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ format, want string }{
		{"text", `\x1b[2J\x1b[31mRED\x1b]0;pwned\x07` + "\n"},
		{"prom", `name="\\x1b[2J\\x1b[31mRED\\x1b]0;pwned\\x07"`}, // with the format's own escaping of \
		// a request class's name, in the classes' table and their labels
		{"text", `a\x1b[5m `},
		{"prom", `class="b\\x1b[2J"`},
	} {
		r := runWithin(t, "run", "--duration", "1s", "--format", c.format, path)
		r.check(t, 0, c.want, "")
		if strings.ContainsRune(r.out, 0x1b) || strings.ContainsRune(r.out, 0x07) {
			t.Errorf("%s: a control character reached stdout: %q", c.format, r.out)
		}
	}
}

func TestSameFileAndSeedSameBytes(t *testing.T) {
	args := []string{"run", "--duration", "20s", "--format", "json", "--seed", "42", "flash-sale-naive"}
	a, b := runWithin(t, args...), runWithin(t, args...)
	if a.code != 0 || b.code != 0 {
		t.Fatal("run failed")
	}
	if a.out != b.out {
		t.Fatal("two runs with the same file and seed printed different JSON")
	}
	if !strings.Contains(a.out, `"seed": 42`) {
		t.Fatal("the seed flag was not used")
	}
}

// run advances the simulation in slices (to show progress and stop on a
// signal); it prints the bytes of one Advance to the end.
func TestSlicedRunPrintsWhatOneAdvancePrints(t *testing.T) {
	got := runWithin(t, "run", "--duration", "30s", "--warmup", "5s", "--format", "json", "redis-cache")
	p, _ := presets.Get("redis-cache")
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{Warmup: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(35 * time.Second)
	var want bytes.Buffer
	if err := report.JSON(&want, s.Summary()); err != nil {
		t.Fatal(err)
	}
	if got.out != want.String() {
		t.Fatalf("the sliced run differs from one Advance:\n%s\nwant:\n%s", got.out, want.String())
	}
}

// SIGINT, SIGTERM, SIGHUP and SIGQUIT stop a long run: the summary of
// what was simulated is printed, marked partial, and the exit code is 128
// plus the signal's number (no Go stack dump on SIGQUIT).
func TestSignalPrintsAPartialSummary(t *testing.T) {
	names := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP", syscall.SIGQUIT: "SIGQUIT"}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		for _, format := range []string{"text", "json", "prom"} {
			ready := make(chan struct{})
			old := notifySignals
			notifySignals = func(c chan<- os.Signal) {
				old(c)
				close(ready)
			}
			go func() {
				<-ready
				time.Sleep(200 * time.Millisecond) // let it simulate a little
				syscall.Kill(os.Getpid(), sig)
			}()
			r := runWithin(t, "run", "--duration", "100000h", "--format", format, "redis-cache")
			notifySignals = old
			r.check(t, 128+int(sig), "", "scalesim: interrupted by "+names[sig])
			if !strings.Contains(r.err, "of 100000h0m10s; the summary is partial") {
				t.Errorf("%s: stderr does not say the summary is partial: %s", format, r.err)
			}
			switch format {
			case "text":
				if !strings.HasPrefix(r.out, "PARTIAL: interrupted by ") || !strings.Contains(r.out, "throughput") {
					t.Errorf("text: not a summary marked partial:\n%s", r.out)
				}
			case "json":
				var v struct {
					Partial struct {
						Signal     string  `json:"signal"`
						SimulatedS float64 `json:"simulated_s"`
						PlannedS   float64 `json:"planned_s"`
					} `json:"partial"`
					DurationS float64 `json:"duration_s"`
					Events    uint64  `json:"events"`
				}
				if err := json.Unmarshal([]byte(r.out), &v); err != nil {
					t.Fatalf("json: %v\n%s", err, r.out)
				}
				p := v.Partial
				if p.Signal == "" || p.PlannedS != 100000*3600+10 || !(p.SimulatedS > 0 && p.SimulatedS < p.PlannedS) ||
					v.Events == 0 || v.DurationS <= 0 || v.DurationS > p.SimulatedS {
					t.Errorf("json: not a partial summary of what was simulated:\n%s", r.out)
				}
			case "prom":
				if !strings.Contains(r.out, "\nscalesim_partial 1\n") || !strings.Contains(r.out, "scalesim_requests_total") {
					t.Errorf("prom: not marked partial:\n%s", r.out)
				}
			}
		}
	}
}

func TestProgressLine(t *testing.T) {
	cases := []struct {
		done, total, elapsed time.Duration
		want                 string
	}{
		{0, time.Hour, 0, "simulated 0s of 1h ░░░░░░░░░░░░░░░░░░░░   0%"},
		{15 * time.Minute, time.Hour, 10 * time.Second, "simulated 15m of 1h █████░░░░░░░░░░░░░░░  25%, about 30s left"},
		{time.Hour, time.Hour, time.Minute, "simulated 1h of 1h ████████████████████ 100%"},
		{30 * time.Minute, 2 * time.Hour, 20 * time.Minute, "simulated 30m of 2h █████░░░░░░░░░░░░░░░  25%, about 1h left"},
		{1500 * time.Millisecond, 720*time.Hour + 10*time.Second, 2 * time.Second, "simulated 2s of 720h ░░░░░░░░░░░░░░░░░░░░   0%, about 960h left"},
		{99*time.Hour + 59*time.Minute, 100000 * time.Hour, time.Hour, "simulated 100h of 100000h ░░░░░░░░░░░░░░░░░░░░   0%, about 999h left"},
	}
	for _, c := range cases {
		got := progressLine(c.done, c.total, c.elapsed, 80)
		if got != c.want {
			t.Errorf("progressLine(%v, %v, %v) = %q, want %q", c.done, c.total, c.elapsed, got, c.want)
		}
		if n := len([]rune(got)); n > 72 {
			t.Errorf("progress line of %d columns: %q", n, got)
		}
	}
}

// On a narrow terminal the progress line drops the estimate, then
// narrows its bar, then keeps only the figures, but never wraps: a
// wrapped line is not redrawn in place and fills the screen.
func TestProgressLineFitsTheTerminal(t *testing.T) {
	done, total, elapsed := 15*time.Minute, 8760*time.Hour, 10*time.Second
	for width := 1; width <= 100; width++ {
		got := progressLine(done, total, elapsed, width)
		if n := len([]rune(got)); width > 1 && n >= width {
			t.Errorf("width %d: a line of %d columns: %q", width, n, got)
		}
	}
	for _, c := range []struct {
		width int
		want  string
	}{
		{80, "simulated 15m of 8760h ░░░░░░░░░░░░░░░░░░░░   0%, about 97h left"},
		{50, "simulated 15m of 8760h ░░░░░░░░░░░░░░░░░░░░   0%"},
		{40, "simulated 15m of 8760h ░░░░░░░░░░░   0%"},
		{30, "simulated 15m of 8760h   0%"},
		{20, "15m of 8760h   0%"},
	} {
		if got := progressLine(done, total, elapsed, c.width); got != c.want {
			t.Errorf("width %d: %q, want %q", c.width, got, c.want)
		}
	}
}

// The README documents every flag of every command, and its steps table
// is one table holding every step.
func TestREADME(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, c := range commands() {
		for _, name := range c.order {
			if !strings.Contains(readme, "--"+name) {
				t.Errorf("the README does not mention %s's flag --%s", c.title(), name)
			}
		}
	}
	if !strings.Contains(readme, "presets show NAME") {
		t.Error("the README does not mention presets show NAME")
	}
	_, steps, ok := strings.Cut(readme, "\n| step | what it does |\n|---|---|\n")
	if !ok {
		t.Fatal("the README has no steps table")
	}
	var rows []string
	for _, line := range strings.Split(steps, "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		rows = append(rows, line)
	}
	table := strings.Join(rows, "\n")
	for _, k := range []topology.StepKind{topology.StepCPU, topology.StepIO, topology.StepDB, topology.StepRead,
		topology.StepWrite, topology.StepBuy, topology.StepCache, topology.StepOffload} {
		if !strings.Contains(table, "| `"+k.String()+":") {
			t.Errorf("the README's steps table (%d rows in one piece) has no row for %s", len(rows), k)
		}
	}
}

// fullWriter fails every write, as /dev/full does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// Output that cannot be written is a failure (exit 1) said once in
// scalesim's words, from every command: never an exit 0 with the output
// lost, nor Go's "write /dev/stdout:".
func TestOutputThatCannotBeWritten(t *testing.T) {
	for _, args := range [][]string{
		{"validate", "redis-cache"}, {"presets"}, {"presets", "show", "redis-cache"},
		{"--help"}, {"run", "--help"}, {"help", "validate"},
		{"run", "--duration", "1s", "redis-cache"}, {"run", "--duration", "1s", "--format", "json", "redis-cache"},
	} {
		var errb bytes.Buffer
		code := run(args, strings.NewReader(""), fullWriter{}, &errb)
		want := "scalesim: cannot write the output: no space left on device\n"
		if code != exitFailure || errb.String() != want {
			t.Errorf("scalesim %s: exit %d, stderr %q; want exit 1 and %q", strings.Join(args, " "), code, errb.String(), want)
		}
	}
}

// A duration flag's error names the value once and gives the hint that
// fits the flag: --duration refuses 0, --warmup takes it.
func TestDurationFlagErrors(t *testing.T) {
	runWithin(t, "run", "--duration", "0.1ns", "redis-cache").check(t, 2, "",
		"scalesim: --duration \"0.1ns\": duration is shorter than 1ns; give at least 1ns\n")
	runWithin(t, "run", "--warmup", "0.4ns", "redis-cache").check(t, 2, "",
		"scalesim: --warmup \"0.4ns\": duration is shorter than 1ns; write 0 for none, or at least 1ns\n")
	runWithin(t, "run", "--duration", "1", "redis-cache").check(t, 2, "",
		"scalesim: --duration \"1\": missing unit in duration; add a unit, e.g. 15ms\n")
}

// run --series writes one row per simulated second, warm-up included,
// the bytes a one-call run's rows give, and prints the usual summary.
func TestRunWritesTheSeries(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{"csv", "json"} {
		path := filepath.Join(dir, "out."+ext)
		r := runWithin(t, "run", "--duration", "5s", "--warmup", "2s", "--series", path, "flash-sale-naive")
		r.check(t, 0, "measured", "")
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := presets.Get("flash-sale-naive")
		top, err := p.Load()
		if err != nil {
			t.Fatal(err)
		}
		format, _ := report.SeriesFormat(path)
		var want bytes.Buffer
		w := report.NewSeriesWriter(&want, format)
		s, err := sim.New(top, sim.Options{Warmup: 2 * time.Second, OnSecond: func(r sim.Second) { w.Write(r) }})
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(7 * time.Second)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%s: the file differs from one Advance's rows:\n%s\nwant:\n%s", ext, got, want.Bytes())
		}
		lines := strings.Count(string(got), "\n")
		if want := map[string]int{"csv": 8, "json": 7}[ext]; lines != want {
			t.Fatalf("%s: %d lines, want %d", ext, lines, want)
		}
	}
}

// An output flag naming a named pipe nobody reads is refused at once
// with exit 2, before anything runs: opening it would wait for a reader
// for ever, or fill the pipe's buffer and hang or lose the output.
func TestOutputsToAPipeNobodyReads(t *testing.T) {
	dir := t.TempDir()
	pipe := func(name string) string {
		p := filepath.Join(dir, name)
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	svg, csv := pipe("p.svg"), pipe("rows.csv")
	want := ": is a named pipe that nobody reads; write to a regular file, or start the pipe's reader first"
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"run", "--duration", "1s", "--plot", svg, "redis-cache"}, "--plot: " + svg + want},
		{[]string{"run", "--duration", "1s", "--series", csv, "redis-cache"}, "--series: " + csv + want},
		{[]string{"sweep", "redis-cache", "--set", "app.workers=2", "--duration", "1s", "--seeds", "2", "--out", csv}, csv + want},
		{[]string{"sweep", "redis-cache", "--set", "app.workers=2", "--duration", "1s", "--seeds", "2", "--summary", csv}, csv + want},
		{[]string{"sweep", "redis-cache", "--set", "workload.rate=100,200", "--duration", "1s", "--seeds", "2", "--plot", svg}, "--plot: " + svg + want},
	} {
		runWithin(t, c.args...).check(t, 2, "", c.err)
	}
}

// An output flag naming a directory, a file in a folder that does not
// exist, or one that may not be written is the user's mistake: said at
// once, before anything runs, with exit 2, by every command that writes
// one.
func TestOutputsToPathsThatCannotBeFiles(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "out.csv")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	svgDir := filepath.Join(dir, "p.svg")
	if err := os.Mkdir(svgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no", "such", "rows.csv")
	isDir := ": is a directory; name a file in it, such as "
	noDir := ": cannot be created: " + filepath.Dir(missing) + " is not a directory that exists; create the directory first"
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"run", "--duration", "1s", "--series", sub, "redis-cache"}, "--series: " + sub + isDir + filepath.Join(sub, "out.csv")},
		{[]string{"run", "--duration", "1s", "--series", missing, "redis-cache"}, "--series: " + missing + noDir},
		{[]string{"run", "--duration", "1s", "--plot", svgDir, "redis-cache"}, "--plot: " + svgDir + isDir},
		{[]string{"sweep", "redis-cache", "--set", "app.workers=2", "--duration", "1s", "--seeds", "2", "--out", sub}, sub + isDir},
		{[]string{"sweep", "redis-cache", "--set", "app.workers=2", "--duration", "1s", "--seeds", "2", "--summary", missing}, missing + noDir},
		{[]string{"sweep", "redis-cache", "--set", "workload.rate=100,200", "--duration", "1s", "--seeds", "2", "--plot", svgDir}, "--plot: " + svgDir + isDir},
	} {
		runWithin(t, c.args...).check(t, 2, "", c.err)
	}
}
