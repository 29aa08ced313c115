package topology

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// loadWithin runs Load(path), failing the test if it takes more than a
// few seconds (a named pipe or a device read until memory runs out).
func loadWithin(t *testing.T, path string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Load(path)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("Load(%q) did not return within 5s", path)
		return nil
	}
}

func TestLoadRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		fifo:        "is a named pipe, not a topology file",
		dir:         "is a directory, not a topology file",
		"/dev/zero": "is a character device, not a topology file",
	}
	for path, want := range cases {
		if _, err := os.Stat(path); err != nil {
			t.Logf("skipping %s: %v", path, err)
			continue
		}
		err := loadWithin(t, path)
		var e *Error
		if !errors.As(err, &e) || e.File != path || !strings.Contains(e.Msg, want) {
			t.Errorf("Load(%q) = %v, want an *Error naming the file: %q", path, err, want)
		}
	}
}

func TestLoadReadsAtMostTheLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	data := []byte(strings.Repeat("# a comment line that makes the file large\n", MaxFileSize/40))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	err := loadWithin(t, path)
	if err == nil || !strings.Contains(err.Error(), "file is larger than 1MiB") {
		t.Fatalf("Load of a %d-byte file = %v, want the size limit named", len(data), err)
	}
	if _, err := Parse(path, data); err == nil || !strings.Contains(err.Error(), "larger than 1MiB") {
		t.Fatalf("Parse of a %d-byte file = %v, want the size limit named", len(data), err)
	}
}

func TestLoadReportsTheOperatingSystemsError(t *testing.T) {
	dir := t.TempDir()
	loop := filepath.Join(dir, "loop.yaml")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	err := loadWithin(t, loop)
	if !errors.Is(err, syscall.ELOOP) || !strings.Contains(err.Error(), "too many levels of symbolic links") {
		t.Errorf("symlink loop: %v", err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	if err := loadWithin(t, missing); !errors.Is(err, fs.ErrNotExist) || err.Error() != missing+": no such file or directory" {
		t.Errorf("missing file: %v", err)
	}
	if os.Geteuid() == 0 {
		t.Skip("permission checks do not apply to root")
	}
	locked := filepath.Join(dir, "locked.yaml")
	if err := os.WriteFile(locked, []byte("app: {}\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	if err := loadWithin(t, locked); !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "permission denied; check the permissions") {
		t.Errorf("unreadable file: %v", err)
	}
	closed := filepath.Join(dir, "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	inside := filepath.Join(closed, "t.yaml")
	if err := os.WriteFile(inside, []byte("app: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(closed, 0o600); err != nil { // readable, not searchable
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(closed, 0o700) })
	if err := loadWithin(t, inside); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("file in an unsearchable folder: %v", err)
	}
}

// ReadFileOf reads another kind of file as Load does, naming the kind
// and holding to its limit.
func TestReadFileOfNamesItsKind(t *testing.T) {
	dir := t.TempDir()
	kind := FileKind{Name: "a recording", Limit: 10, Hint: "is this the file you meant?"}
	if _, err := ReadFileOf(dir, kind); err == nil || err.Error() != dir+": is a directory, not a recording; name a YAML file" {
		t.Errorf("a directory: %v", err)
	}
	if _, err := ReadFileOf("/dev/zero", kind); err == nil || !strings.Contains(err.Error(), "is a character device, not a recording") {
		t.Errorf("/dev/zero: %v", err)
	}
	path := filepath.Join(dir, "f.yaml")
	for _, c := range []struct{ data, err string }{
		{"0123456789", ""},
		{"0123456789a", path + ": file is larger than 10B; is this the file you meant?"},
	} {
		if err := os.WriteFile(path, []byte(c.data), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFileOf(path, kind)
		switch {
		case c.err == "" && (err != nil || string(got) != c.data):
			t.Errorf("%d bytes: %q, %v", len(c.data), got, err)
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("%d bytes: %v, want %q", len(c.data), err, c.err)
		}
	}
}

// CheckText and YAMLError place what the YAML decoder says, or leaves
// without a position, at a line (and column) counted from 1.
func TestTextAndYAMLErrorsHaveAPosition(t *testing.T) {
	if e := CheckText("f", []byte("a: 1\nb: \x01\n")); e == nil || e.Error() != "f:2:4: control character U+0001 is not allowed; remove it, or write it as an escape in a double-quoted string" {
		t.Errorf("CheckText: %v", e)
	}
	if e := CheckText("f", []byte("a: 1\n")); e != nil {
		t.Errorf("CheckText of good text: %v", e)
	}
	data := []byte("a: 1\nb: {c: 1\n")
	var n yaml.Node
	err := yaml.Unmarshal(data, &n)
	if e := YAMLError("f", err, data, "a hint"); e.Line != 2 || e.Hint != "a hint" || !strings.HasPrefix(e.Msg, "invalid YAML: ") {
		t.Errorf("YAMLError(%v) = %+v", err, e)
	}
}
