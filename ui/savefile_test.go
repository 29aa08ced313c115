package ui

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"scalesim/topology"
)

// saveAs saves m's topology under name through the dialog, confirming an
// overwrite, and returns the status line (or the prompt, still open).
func saveAs(m *Model, name string) string {
	press(m, "s")
	m.prompt.input.SetValue(name)
	press(m, "enter")
	if m.prompt.confirm != "" {
		press(m, "enter")
	}
	return m.statusView()
}

// TestSaveKeepsMode: overwriting a file keeps its permissions.
func TestSaveKeepsMode(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 120, 30)
	path := filepath.Join(m.dir, "private.yaml")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o600) // whatever the umask
	if s := saveAs(m, "private.yaml"); !strings.Contains(s, "✓ saved") {
		t.Fatalf("status %q", s)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after overwriting, want -rw-------", fi.Mode().Perm())
	}
	if _, err := topology.Load(path); err != nil {
		t.Errorf("saved file does not load: %v", err)
	}
}

// TestSaveThroughHardLink: a file with another hard link is written
// through, so the link sees the saved topology.
func TestSaveThroughHardLink(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 120, 30)
	path, other := filepath.Join(m.dir, "a.yaml"), filepath.Join(m.dir, "b.yaml")
	os.WriteFile(path, []byte("old"), 0o644)
	if err := os.Link(path, other); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if s := saveAs(m, "a.yaml"); !strings.Contains(s, "✓ saved") {
		t.Fatalf("status %q", s)
	}
	a, _ := os.ReadFile(path)
	b, _ := os.ReadFile(other)
	if string(a) == "old" || string(a) != string(b) {
		t.Errorf("the hard link was split:\na.yaml %q\nb.yaml %q", a, b)
	}
	fa, _ := os.Stat(path)
	fb, _ := os.Stat(other)
	if !os.SameFile(fa, fb) {
		t.Error("a.yaml and b.yaml are no longer the same file")
	}
}

// TestSaveThroughSymlink: a symbolic link to a file stays a link; the
// file it points to is saved.
func TestSaveThroughSymlink(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 120, 30)
	real, link := filepath.Join(m.dir, "real.yaml"), filepath.Join(m.dir, "link.yaml")
	os.WriteFile(real, []byte("old"), 0o644)
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if s := saveAs(m, "link.yaml"); !strings.Contains(s, "✓ saved") {
		t.Fatalf("status %q", s)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.yaml is no longer a symbolic link: %v", err)
	}
	if _, err := topology.Load(real); err != nil {
		t.Errorf("the link's file was not saved: %v", err)
	}
}

// TestSaveRefusesSpecialFiles: a directory, a named pipe, a device and
// a link to nothing are not replaced; the prompt says what they are,
// stays open, and nothing is left behind.
func TestSaveRefusesSpecialFiles(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 160, 30)
	dir := m.dir
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	fifo := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644) == nil
	dangling := os.Symlink("missing.yaml", filepath.Join(dir, "dangling.yaml")) == nil
	cases := map[string]string{"folder": "is a directory, not a regular file"}
	if fifo {
		cases["pipe"] = "is a named pipe, not a regular file"
	}
	if dangling {
		cases["dangling.yaml"] = "is a symbolic link to a file that does not exist"
	}
	if fi, err := os.Stat("/dev/null"); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		cases["/dev/null"] = "is a character device, not a regular file"
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			press(m, "s")
			m.prompt.input.SetValue(name)
			press(m, "enter")
			if m.prompt.kind != promptSave || !strings.Contains(m.statusView(), want) {
				t.Errorf("status %q, want the prompt open saying %q", m.statusView(), want)
			}
			press(m, "esc")
		})
	}
	if dangling {
		if fi, err := os.Lstat(filepath.Join(dir, "dangling.yaml")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Error("the dangling link was replaced")
		}
	}
	if fi, err := os.Stat("/dev/null"); err == nil && fi.Mode()&os.ModeCharDevice == 0 {
		t.Error("/dev/null is no longer a device")
	}
	leftovers(t, dir)
}

// TestSaveFailureRemovesTemporary: when the rename fails, the temporary
// file goes too.
func TestSaveFailureRemovesTemporary(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "busy")
	os.Mkdir(target, 0o755)
	os.WriteFile(filepath.Join(target, "x"), nil, 0o644) // a full directory: rename over it fails
	if err := writeSave(saveTarget{path: target, mode: 0o644}, []byte("data")); err == nil {
		t.Fatal("renaming over a directory succeeded")
	}
	leftovers(t, dir)
}

// leftovers fails if dir holds a temporary file of a save.
func leftovers(t *testing.T, dir string) {
	t.Helper()
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".scalesim-*")); len(tmp) > 0 {
		t.Errorf("temporary files left behind: %v", tmp)
	}
}

// TestSaveEmptyName: an empty name keeps the prompt open and says so.
func TestSaveEmptyName(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 120, 30)
	press(m, "s")
	m.prompt.input.SetValue("  ")
	press(m, "enter")
	if m.prompt.kind != promptSave || !strings.Contains(m.statusView(), "✗ type a file name") {
		t.Errorf("status %q", m.statusView())
	}
	press(m, "x") // typing clears the complaint
	if strings.Contains(m.statusView(), "type a file name") {
		t.Errorf("status %q after typing", m.statusView())
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int]string{0: "0 B", 812: "812 B", 1024: "1.0 KiB", 1229: "1.2 KiB", 20480: "20.0 KiB"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestSaveErrorsReadableAt80: at 80 columns a save that cannot be done
// says why in full, in scalesim's words (never the temporary file's name
// or Go's "open …:"), the cause before the path.
func TestSaveErrorsReadableAt80(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 80, 24)
	dir := m.dir
	os.Mkdir(filepath.Join(dir, "a-folder-with-a-long-name"), 0o755)
	os.WriteFile(filepath.Join(dir, "plain.yaml"), []byte("x"), 0o644)
	os.Symlink("missing.yaml", filepath.Join(dir, "a-dangling-link-with-a-long-name.yaml"))
	cases := map[string]string{
		"a-folder-with-a-long-name":             "is a directory, not a regular file",
		"a-dangling-link-with-a-long-name.yaml": "is a symbolic link to a file that does not exist",
		"no-such-folder/with-a-long-name.yaml":  "no such folder: " + filepath.Join(dir, "no-such-folder"),
		"plain.yaml/inside.yaml":                "not a folder: " + filepath.Join(dir, "plain.yaml"),
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			press(m, "s")
			m.prompt.input.SetValue(name)
			press(m, "enter")
			got := m.statusView()
			flat := strings.Join(strings.Fields(ansi.Strip(got)), " ")
			if m.prompt.kind != promptSave || !strings.Contains(flat, want) || strings.Contains(flat, "…") {
				t.Errorf("status\n%s\nwant the prompt open saying %q in full", got, want)
			}
			if strings.Contains(flat, ".scalesim-") || strings.Contains(flat, "open ") {
				t.Errorf("status %q names the temporary file or speaks Go", flat)
			}
			for _, l := range strings.Split(got, "\n") {
				if w := ansi.StringWidth(l); w > 80 {
					t.Errorf("a status line of %d columns: %q", w, l)
				}
			}
			press(m, "esc")
		})
	}
	leftovers(t, dir)
}

// TestSaveInPlaceRefusesPipe: a file written through that has become a
// named pipe since it was looked at is neither waited on nor written.
func TestSaveInPlaceRefusesPipe(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	var err error
	if !returnsWithin(5*time.Second, func() { err = writeSave(saveTarget{path: pipe, exists: true, inPlace: true}, []byte("x")) }) {
		t.Fatal("writing through waits on a named pipe")
	}
	if err == nil {
		t.Error("wrote to a named pipe")
	}
}

// TestSavePromptHintWhole: the save prompt's "enter save · esc cancel"
// and "exists: enter overwrites · esc cancel" are never cut.
func TestSavePromptHintWhole(t *testing.T) {
	for _, w := range []int{60, 80, 120} {
		m, _ := newTestModel(t, fixture(t, "web"), "web", w, 24)
		press(m, "s")
		if got := ansi.Strip(m.statusView()); !strings.Contains(got, "enter save · esc cancel") {
			t.Errorf("width %d: %q", w, got)
		}
		os.WriteFile(filepath.Join(m.dir, "taken.yaml"), []byte("x"), 0o644)
		m.prompt.input.SetValue("taken.yaml")
		press(m, "enter")
		if got := ansi.Strip(m.statusView()); !strings.Contains(got, "exists: enter overwrites · esc cancel") {
			t.Errorf("width %d: %q", w, got)
		}
	}
}
