package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// newFileMode is the mode of a file saved where none was.
const newFileMode fs.FileMode = 0o644

// saveTarget is where and how a save writes.
type saveTarget struct {
	path   string // the file written: a symbolic link's target
	exists bool
	mode   fs.FileMode // the existing file's permissions, kept
	// inPlace is set for a file with other hard links: it is written
	// through (truncated and rewritten), since replacing it would
	// split it from its links. Any other file is replaced whole, by
	// rename, so a failed write leaves it as it was.
	inPlace bool
}

// resolveSave finds what saving to path writes. A symbolic link is
// followed to its file; anything but a regular file (a directory, a
// device, a named pipe, a socket, a link to nothing) is refused.
func resolveSave(path string) (saveTarget, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return saveTarget{path: path, mode: newFileMode}, nil
	}
	if err != nil {
		return saveTarget{}, folderProblem(filepath.Dir(path), err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		if errors.Is(err, fs.ErrNotExist) {
			return saveTarget{}, fmt.Errorf("%s is a symbolic link to a file that does not exist", path)
		}
		if err != nil {
			return saveTarget{}, osProblem(err, path)
		}
		if fi, err = os.Stat(real); err != nil {
			return saveTarget{}, osProblem(err, real)
		}
		path = real
	}
	if !fi.Mode().IsRegular() {
		return saveTarget{}, fmt.Errorf("%s is %s, not a regular file", path, fileKind(fi.Mode()))
	}
	return saveTarget{path: path, exists: true, mode: fi.Mode().Perm(), inPlace: linkCount(fi) > 1}, nil
}

// fileKind names what a non-regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "a special file"
}

// writeSave writes data to the target: through the file when it has
// other hard links, else into a temporary file beside it that is renamed
// over it, with the old file's mode. A failure removes the temporary
// file.
func writeSave(t saveTarget, data []byte) error {
	if t.inPlace {
		// O_NONBLOCK and the check after opening: should the file have
		// become a pipe since it was looked at, neither wait nor write
		f, err := os.OpenFile(t.path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return osProblem(err, t.path)
		}
		fi, err := f.Stat()
		if err == nil && !fi.Mode().IsRegular() {
			f.Close()
			return fmt.Errorf("%s is %s, not a regular file", t.path, fileKind(fi.Mode()))
		}
		if err == nil {
			err = f.Truncate(0)
		}
		if err == nil {
			_, err = f.Write(data)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return osProblem(err, t.path)
	}
	dir := filepath.Dir(t.path)
	tmp, err := os.CreateTemp(dir, ".scalesim-*.yaml")
	if err != nil {
		return folderProblem(dir, err)
	}
	err = writeAndClose(tmp, data, t.mode)
	if err == nil {
		err = os.Rename(tmp.Name(), t.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return osProblem(err, t.path)
}

// folderProblem says why nothing can be written in dir, the cause
// first: no such folder, a file where a folder should be, no permission.
func folderProblem(dir string, err error) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, serr := os.Stat(d)
		if serr == nil {
			if !fi.IsDir() {
				return fmt.Errorf("not a folder: %s", d)
			}
			break
		}
		if up := filepath.Dir(d); up == d {
			break
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no such folder: %s", dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("no permission to write in folder %s", dir)
	}
	return osProblem(err, dir)
}

// osProblem is err in scalesim's words: the system's reason, then the
// path it concerns, without Go's "open" or "rename" and without the
// temporary file's name.
func osProblem(err error, path string) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return fmt.Errorf("%v: %s", err, path)
}

func writeAndClose(f *os.File, data []byte, mode fs.FileMode) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
