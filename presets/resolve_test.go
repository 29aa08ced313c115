package presets

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scalesim/topology"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	minimal := "workload: {rate: 10, requests: [{steps: [cpu: 1ms]}]}\napp: {workers: 1}\n"
	for name, data := range map[string]string{"mine.yaml": minimal, "uwsgi-workers": minimal} {
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir("redis-cache", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop.yaml", "loop.yaml"); err != nil {
		t.Fatal(err)
	}
	ok := map[string]string{ // argument -> the topology's name
		"mine.yaml":                     "mine",
		"./mine.yaml":                   "mine",
		filepath.Join(dir, "mine.yaml"): "mine",
		"./uwsgi-workers":               "uwsgi-workers",
		"flash-sale-naive":              "",
		"preset:redis-cache":            "",
		"preset:uwsgi-workers":          "",
	}
	for arg, name := range ok {
		top, err := Resolve(arg)
		if err != nil {
			t.Errorf("Resolve(%q): %v", arg, err)
			continue
		}
		if name != "" && top.Name != name {
			t.Errorf("Resolve(%q) opened %q, want %q", arg, top.Name, name)
		}
	}
	bad := map[string]string{
		"redis-cache":   "redis-cache: names both a preset and a folder in the current folder; write preset:redis-cache for the preset",
		"uwsgi-workers": "uwsgi-workers: names both a preset and a file in the current folder; write preset:uwsgi-workers for the preset, or ./uwsgi-workers for the file",
		"redis-cach":    `redis-cach: no such file or preset; did you mean "redis-cache"? (presets: single-worker,`,
		"preset:nope":   "preset:nope: no such preset; presets: single-worker,",
		"nope.yaml":     "nope.yaml: no such file or directory",
		"loop.yaml":     "loop.yaml: too many levels of symbolic links",
		"mine.yaml/x":   "mine.yaml/x: not a directory",
		".":             ".: is a directory, not a topology file",
		"":              `an empty FILE or PRESET (""); name a topology file or a preset`,
	}
	for arg, want := range bad {
		_, err := Resolve(arg)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Resolve(%q) = %v, want %q", arg, err, want)
		}
		var te *topology.Error
		if !errors.As(err, &te) {
			t.Errorf("Resolve(%q): %T is not a *topology.Error", arg, err)
		}
	}
	if _, err := Resolve("nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an unknown name does not wrap fs.ErrNotExist: %v", err)
	}
}
