package ui

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/topology"
)

func TestSave(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "testdata/web.yaml", 100, 30)
	press(m, "w", "s")
	if m.prompt.kind != promptSave || m.prompt.input.Value() != "web.yaml" {
		t.Fatalf("save prompt %v with %q, want web.yaml", m.prompt.kind, m.prompt.input.Value())
	}
	press(m, "enter")
	path := filepath.Join(m.dir, "web.yaml")
	if data, _ := os.ReadFile(path); !strings.Contains(m.statusView(), "✓ saved "+sizeText(len(data))+" to web.yaml") {
		t.Errorf("status %q", m.statusView())
	}
	saved, err := topology.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(saved, m.view) {
		t.Errorf("saved topology differs:\n%+v\nwant\n%+v", saved, m.view)
	}

	// the default name never overwrites: the next save offers web-2.yaml
	press(m, "s")
	if got := m.prompt.input.Value(); got != "web-2.yaml" {
		t.Errorf("second default name %q, want web-2.yaml", got)
	}
	press(m, "esc")

	// typing an existing name asks before overwriting
	before, _ := os.ReadFile(path)
	press(m, "w", "s")
	m.prompt.input.SetValue("web.yaml")
	press(m, "enter")
	if m.prompt.kind != promptSave || !strings.Contains(m.statusView(), "exists: enter overwrites") {
		t.Fatalf("no confirmation asked: %q", m.statusView())
	}
	if now, _ := os.ReadFile(path); string(now) != string(before) {
		t.Fatal("overwrote without confirmation")
	}
	press(m, "enter")
	if saved, _ := topology.Load(path); saved == nil || saved.App.Workers != 5 {
		t.Errorf("confirmed save did not overwrite: %+v", saved)
	}
}

func TestSaveFailureIsReported(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	press(m, "s")
	m.prompt.input.SetValue(filepath.Join("no", "such", "dir", "x.yaml"))
	press(m, "enter")
	if !strings.Contains(m.statusView(), "✗ not saved") {
		t.Errorf("status %q", m.statusView())
	}
}

func TestDefaultSaveName(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ source, want string }{
		{"uwsgi-workers", "uwsgi-workers.yaml"},
		{"preset:redis-cache", "redis-cache.yaml"},
		{"/some/where/shop.yml", "shop.yaml"},
		{"", "topology.yaml"},
	} {
		if got := defaultSaveName(tc.source, dir); got != tc.want {
			t.Errorf("defaultSaveName(%q) = %q, want %q", tc.source, got, tc.want)
		}
	}
	os.WriteFile(filepath.Join(dir, "shop.yaml"), nil, 0o644)
	if got := defaultSaveName("shop.yaml", dir); got != "shop-2.yaml" {
		t.Errorf("with shop.yaml present: %q, want shop-2.yaml", got)
	}
}

func TestOpenPreset(t *testing.T) {
	list := presets.List()
	if len(list) < 2 {
		t.Skip("fewer than two presets")
	}
	m, st := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	runFor(m, 3*time.Second)
	press(m, "o")
	if m.picker == nil || !strings.Contains(m.View(), "OPEN A TOPOLOGY") || !strings.Contains(m.View(), list[0].Name) {
		t.Fatalf("picker not shown:\n%s", m.View())
	}
	press(m, "down", "enter")
	if m.picker != nil {
		t.Fatalf("picker still open: %s", m.picker.err)
	}
	want, _ := list[1].Load()
	if m.source != list[1].Name || !reflect.DeepEqual(m.view, want) {
		t.Errorf("opened %q, want %q", m.source, list[1].Name)
	}
	if m.frame.Snap.Now != 0 || !reflect.DeepEqual(st.eng.sim.Topology(), want) {
		t.Errorf("the simulation did not restart with the preset (time %v)", m.frame.Snap.Now)
	}
	if !strings.Contains(m.headerView(), list[1].Name) {
		t.Errorf("header %q", m.headerView())
	}
}

func TestOpenPath(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	press(m, "o")
	for _, r := range "testdata/nope.yaml" {
		press(m, string(r))
	}
	press(m, "enter")
	if m.picker == nil || m.picker.err == "" || !strings.Contains(m.View(), "✗") {
		t.Fatalf("a missing file did not show an error:\n%s", m.View())
	}
	m.picker.input.SetValue("testdata/cache.yaml")
	press(m, "enter")
	if m.picker != nil || m.view.Name != "Threads behind a Redis cache" || m.source != "testdata/cache.yaml" {
		t.Fatalf("did not open the file: %q", m.view.Name)
	}
	if !m.keys.Cache.Enabled() {
		t.Error("cache keys still disabled after opening a topology with a cache")
	}
}

func TestOpenInvalidFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("workload:\n  rate: 10\n  requests: [{steps: [{cpu: 1ms}]}]\napp:\n  workers: 0\n"), 0o644)
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	press(m, "o")
	m.picker.input.SetValue(bad)
	press(m, "enter")
	if m.picker == nil || !strings.Contains(m.picker.err, "app.workers") {
		t.Fatalf("want the validation error, got %q", m.picker.err)
	}
	press(m, "esc")
	if m.picker != nil || m.view.Name != "Django on uWSGI, three workers" {
		t.Error("esc did not keep the running topology")
	}
}
