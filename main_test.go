package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"presets", []string{"presets"}, 0, "uwsgi-workers", ""},
		{"validate good", []string{"validate", "testdata/minimal.yaml"}, 0, "testdata/minimal.yaml: ok", ""},
		{"validate typo", []string{"validate", "testdata/wrokers.yaml"}, 2, "",
			`testdata/wrokers.yaml:7:3: app.wrokers: unknown key; did you mean "workers"?`},
		{"validate none", []string{"validate"}, 2, "", "validate takes one or more FILEs"},
		{"run a file", []string{"run", "--duration", "5s", "--warmup", "1s", "testdata/minimal.yaml"}, 0, "throughput", ""},
		{"run flags after the file", []string{"run", "testdata/minimal.yaml", "--duration", "5s", "--format", "prom"}, 0, "scalesim_requests_total", ""},
		{"run a preset", []string{"run", "--duration", "2s", "--format", "json", "redis-cache"}, 0, `"throughput_rps"`, ""},
		{"run a typo", []string{"run", "testdata/wrokers.yaml"}, 2, "", "did you mean"},
		{"run nothing", []string{"run", "no-such-thing"}, 2, "", "no-such-thing: no such file or preset"},
		{"bad format", []string{"run", "--format", "xml", "redis-cache"}, 2, "", `--format "xml": allowed: text, json, prom`},
		{"bad duration", []string{"run", "--duration", "-1s", "redis-cache"}, 2, "", "--duration must be positive"},
		{"unknown flag", []string{"run", "--sped", "2", "redis-cache"}, 2, "", "flag provided but not defined: -sped"},
		{"no terminal", []string{"redis-cache"}, 2, "", "the dashboard needs a terminal; for a headless summary run: scalesim run redis-cache"},
		{"help", []string{"help"}, 0, "usage:", ""},
		{"run --help", []string{"run", "--help"}, 0, "scalesim run [--duration D]", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &out, &errb)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tc.code, errb.String())
			}
			if !strings.Contains(out.String(), tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, out.String())
			}
			if !strings.Contains(errb.String(), tc.err) {
				t.Errorf("stderr lacks %q:\n%s", tc.err, errb.String())
			}
			if tc.code == 2 && strings.Count(errb.String(), "scalesim:") != 1 {
				t.Errorf("the error is not printed exactly once:\n%s", errb.String())
			}
		})
	}
}

func TestSameFileAndSeedSameBytes(t *testing.T) {
	args := []string{"run", "--duration", "20s", "--format", "json", "--seed", "42", "flash-sale-naive"}
	var a, b bytes.Buffer
	if run(args, nil, &a, &bytes.Buffer{}) != 0 || run(args, nil, &b, &bytes.Buffer{}) != 0 {
		t.Fatal("run failed")
	}
	if a.String() != b.String() {
		t.Fatal("two runs with the same file and seed printed different JSON")
	}
	if !strings.Contains(a.String(), `"seed": 42`) {
		t.Fatal("the seed flag was not used")
	}
}
