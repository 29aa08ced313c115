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
