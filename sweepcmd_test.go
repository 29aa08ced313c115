package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sweepArgs is a small sweep of six points, three seeds each.
var sweepArgs = []string{"sweep", "nginx-nodes", "--set", "app.nodes=2,3", "--set", "workload.rate=100..500:200",
	"--seeds", "3", "--duration", "3s", "--warmup", "1s", "--quiet"}

// cSort sorts lines bytewise, as LC_ALL=C sort does.
func cSort(s string) string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	slices.Sort(lines)
	return strings.Join(lines, "")
}

// The shards of a sweep, run as separate commands, concatenated and
// sorted are the unsharded output byte for byte, in CSV and in JSON
// lines, whatever the number of parallel runs; and the same seeds give
// the same rows.
func TestShardedSweepIsTheWholeSweep(t *testing.T) {
	for _, format := range []string{"csv", "json"} {
		args := append(append([]string{}, sweepArgs...), "--format", format)
		whole := runWithin(t, append(args, "--jobs", "1")...)
		whole.check(t, 0, "", "")
		if again := runWithin(t, append(args, "--jobs", "3")...); again.out != whole.out {
			t.Errorf("%s: the same sweep with --jobs 3 wrote other bytes", format)
		}
		if cSort(whole.out) != whole.out {
			t.Errorf("%s: the unsharded output is not in sorted order:\n%s", format, whole.out)
		}
		lines := strings.Count(whole.out, "\n")
		want := 6 * 3
		if format == "csv" {
			want++ // the header
		}
		if lines != want {
			t.Errorf("%s: %d lines, want %d:\n%s", format, lines, want, whole.out)
		}
		for _, n := range []int{2, 4} {
			var cat string
			for k := 1; k <= n; k++ {
				r := runWithin(t, append(args, "--shard", strings.Join([]string{itoa(k), itoa(n)}, "/"))...)
				r.check(t, 0, "", "")
				cat += r.out
			}
			if got := cSort(cat); got != whole.out {
				t.Errorf("%s: %d shards concatenated and sorted differ from the whole sweep:\n%s\nwant\n%s", format, n, got, whole.out)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// Kubernetes' and Slurm's indexes pick the same parts as K/N.
func TestShardFromTheScheduler(t *testing.T) {
	direct := runWithin(t, append(append([]string{}, sweepArgs...), "--shard", "2/3")...)
	direct.check(t, 0, "", "")
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	k8s := runWithin(t, append(append([]string{}, sweepArgs...), "--shard", "k8s/3")...)
	k8s.check(t, 0, "", "")
	t.Setenv("SLURM_ARRAY_TASK_ID", "5")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "4")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "3")
	slurm := runWithin(t, append(append([]string{}, sweepArgs...), "--shard", "slurm")...)
	slurm.check(t, 0, "", "")
	if k8s.out != direct.out || slurm.out != direct.out {
		t.Errorf("--shard k8s/3 with index 1 and slurm with task 5 of 4..6 are not shard 2/3:\n%s\n%s\n%s", direct.out, k8s.out, slurm.out)
	}
}

// The grid's mistakes get the file format's kind of message: where,
// what, a hint, and exit code 2.
func TestSweepGridErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		err  string
	}{
		{"no set", []string{"sweep", "nginx-nodes"}, "sweep needs at least one --set PATH=VALUES"},
		{"no equals", []string{"sweep", "nginx-nodes", "--set", "app.workers"}, `--set "app.workers": expected PATH=VALUES; for example app.workers=1..16`},
		{"open range", []string{"sweep", "nginx-nodes", "--set", "app.workers=1.."}, `--set "app.workers=1..": app.workers: range "1..": needs an end; write A..B`},
		{"reversed range", []string{"sweep", "nginx-nodes", "--set", "app.workers=8..1"}, `range "8..1": the end is below the start; write 1..8`},
		{"bad step", []string{"sweep", "nginx-nodes", "--set", "workload.rate=100..300:0"}, "the step must be positive"},
		{"fractions without a step", []string{"sweep", "nginx-nodes", "--set", "app.speed=0.5..2"}, "a range without a step is of whole numbers; add a step: 0.5..2:0.5"},
		{"not a number", []string{"sweep", "nginx-nodes", "--set", "app.workers=a..b"}, `start "a" is not a number`},
		{"empty value", []string{"sweep", "nginx-nodes", "--set", "app.workers=1,,2"}, "an empty value; join values with single commas"},
		{"unknown field", []string{"sweep", "nginx-nodes", "--set", "app.wrokers=1,2"}, `did you mean "workers"?`},
		{"refused value", []string{"sweep", "nginx-nodes", "--set", "app.workers=0,2"}, "app.workers = 0"},
		{"huge grid", []string{"sweep", "nginx-nodes", "--set", "workload.rate=1..100000000"}, "at most 1000000"},
		{"set twice", []string{"sweep", "nginx-nodes", "--set", "app.workers=1", "--set", "app.workers=2"}, "set twice; give all its values in one --set"},
		{"bad shard", []string{"sweep", "nginx-nodes", "--set", "app.workers=1,2", "--shard", "5/4"}, `--shard "5/4": shard 5 of 4 does not exist; write K/N`},
		{"empty shard", []string{"sweep", "nginx-nodes", "--set", "app.workers=1,2", "--shard", ""}, `--shard "": expected K/N; write K/N`},
		{"k8s outside a Job", []string{"sweep", "nginx-nodes", "--set", "app.workers=1,2", "--shard", "k8s/4"}, "JOB_COMPLETION_INDEX is not set"},
		{"bad out", []string{"sweep", "nginx-nodes", "--set", "app.workers=1,2", "--out", "rows.txt"}, "--out rows.txt: the extension says the format"},
		{"bad plot", []string{"sweep", "nginx-nodes", "--set", "app.workers=1,2", "--plot", "p.pdf"}, "the plot is an image: give a FILE.svg or FILE.png"},
		{"a billion seeds", []string{"sweep", "nginx-nodes", "--set", "app.workers=1,2", "--seeds", "1000000000"}, `--seeds "1000000000": expected a whole number from 1 to 1000`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runWithin(t, tc.args...).check(t, 2, "", tc.err)
		})
	}
}

// --summary writes a line per point with each figure's interval, and
// --plot an SVG with a line per combination of the other fields.
func TestSweepSummaryAndPlot(t *testing.T) {
	dir := t.TempDir()
	sum, svg := filepath.Join(dir, "sum.csv"), filepath.Join(dir, "p99.svg")
	runWithin(t, append(append([]string{}, sweepArgs...), "--summary", sum, "--plot", svg)...).check(t, 0, "", "")
	data, err := os.ReadFile(sum)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 7 || !strings.HasPrefix(lines[0], "#point,app.nodes,workload.rate,seeds,throughput_rps,throughput_rps_ci95") {
		t.Errorf("summary:\n%s", data)
	}
	pic, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "workload.rate", "app.nodes=2", "app.nodes=3"} {
		if !strings.Contains(string(pic), want) {
			t.Errorf("the plot lacks %q", want)
		}
	}
}

func TestFindAndPlanErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		err  string
	}{
		{"no slo", []string{"find", "nginx-nodes", "--vary", "app.nodes"}, "find needs --slo TERMS"},
		{"no vary", []string{"find", "nginx-nodes", "--slo", "p99<1s"}, "find needs one of --vary PATH and --max-rate"},
		{"slo typo", []string{"find", "nginx-nodes", "--vary", "app.nodes", "--slo", "p98<1s"}, `"p98<1s": no figure "p98"; did you mean "p95"?`},
		{"slo unit", []string{"find", "nginx-nodes", "--vary", "app.nodes", "--slo", "p99<200"}, "p99 takes a positive duration such as 200ms"},
		{"slo percent", []string{"find", "nginx-nodes", "--vary", "app.nodes", "--slo", "errors<200%"}, "errors takes a fraction above 0 and at most 1"},
		{"vary typo", []string{"find", "nginx-nodes", "--vary", "app.node", "--slo", "p99<1s"}, "--vary:"},
		{"vary a duration", []string{"find", "nginx-nodes", "--vary", "lb.latency", "--slo", "p99<1s"}, "find --vary searches whole numbers"},
		{"one seed", []string{"find", "nginx-nodes", "--vary", "app.nodes", "--slo", "p99<1s", "--seeds", "1"}, "--seeds must be at least 2"},
		{"a billion seeds at most", []string{"find", "nginx-nodes", "--vary", "app.nodes", "--slo", "p99<1s", "--max-seeds", "1000000000"}, `--max-seeds "1000000000": expected a whole number from 2 to 1000`},
		{"plan nothing", []string{"plan"}, "plan takes one FILE or PRESET, got 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runWithin(t, tc.args...).check(t, 2, "", tc.err)
		})
	}
}

// find answers in the file's words, with the confidence of its answer
// and the verdict on the value just below.
func TestFindSaysHowSureItIs(t *testing.T) {
	r := runWithin(t, "find", "single-worker", "--vary", "app.workers", "--slo", "p99<400ms,errors<1%",
		"--duration", "20s", "--warmup", "5s")
	r.check(t, 0, "answer: app.workers = ", "")
	for _, want := range []string{"meets p99<400ms: mean ", "95% upper bound", "does not meet it"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("find's output lacks %q:\n%s", want, r.out)
		}
	}
}

func TestPlanCommand(t *testing.T) {
	runWithin(t, "plan", "nginx-nodes").check(t, 0, "ceiling     400/s, set by cpu", "")
	runWithin(t, "plan", "--format", "json", "nginx-nodes").check(t, 0, `"bottleneck": "cpu"`, "")
}

// plan, sweep and find name the topology escaped: a name with control
// characters does not reach the terminal raw.
func TestPlanSweepFindEscapeTheName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evil.yaml")
	data := "name: \"\\e[2Jevil\\a\"\nworkload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}\napp: {}\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"plan", path},
		{"sweep", path, "--set", "app.workers=1", "--seeds", "2", "--duration", "1s", "--warmup", "0s"},
		{"find", path, "--vary", "app.workers", "--slo", "p99<1s", "--seeds", "2", "--max-seeds", "2", "--duration", "1s", "--warmup", "0s"},
	} {
		r := runWithin(t, args...)
		if r.code != 0 || !strings.Contains(r.out+r.err, `\x1b[2Jevil\x07`) {
			t.Errorf("scalesim %s: exit %d, the name not escaped:\n%s%s", args[0], r.code, r.out, r.err)
		}
		if strings.ContainsAny(r.out+r.err, "\x1b\x07") {
			t.Errorf("scalesim %s: a control character reached the terminal: %q", args[0], r.out+r.err)
		}
	}
}
