package topology

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// MaxFileSize is the largest topology file Load and Parse accept: 1 MiB,
// a hundred times the largest preset. Load never reads more than this
// and one byte, whatever the file is.
const MaxFileSize = 1 << 20

// Load reads and parses the topology file at path; see Parse. It refuses
// anything that is not a regular file (a directory, a device, a named
// pipe, a socket) and files larger than MaxFileSize, without reading them
// whole. Errors are *Error values naming path; those from the operating
// system (permission denied, a symbolic link loop) wrap its error.
func Load(path string) (*Topology, error) {
	data, err := readFile(path, topologyFile)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// ReadFile reads the regular file at path as Load does: refusing what
// is not a regular file and anything larger than MaxFileSize, with the
// same errors. Other files of scalesim (stories) are read with it.
func ReadFile(path string) ([]byte, error) { return readFile(path, topologyFile) }

// FileKind names the kind of file ReadFileOf expects, for its errors.
type FileKind struct {
	// Name is the kind with its article: "a recording".
	Name string
	// Limit is the most bytes a file of the kind may hold.
	Limit int
	// Hint is said of a file over Limit.
	Hint string
}

// topologyFile is what Load reads.
var topologyFile = FileKind{Name: "a topology file", Limit: MaxFileSize,
	Hint: "a topology file is a few kilobytes of YAML; is this the file you meant?"}

// ReadFileOf reads the regular file at path as Load does, for a file of
// another kind (a recording), with kind's size limit and its name in
// the errors. It never waits on a named pipe nor reads a device.
func ReadFileOf(path string, kind FileKind) ([]byte, error) { return readFile(path, kind) }

// readFile reads the regular file at path, at most kind.Limit bytes.
func readFile(path string, kind FileKind) ([]byte, error) {
	// Stat first only to name what path is before touching it (opening a
	// socket fails with a cryptic error); the check that counts is the
	// one on the opened file, below.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if err := regular(path, fi, kind); err != nil {
		return nil, err
	}
	// O_NONBLOCK: should path become a named pipe after the Stat, opening
	// it must not wait for a writer. It changes nothing for regular files.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, fileError(path, err)
	}
	if err := regular(path, fi, kind); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, int64(kind.Limit)+1))
	if err != nil {
		return nil, fileError(path, err)
	}
	if len(data) > kind.Limit {
		return nil, tooLarge(path, kind)
	}
	return data, nil
}

// tooLarge is the error for a file over its kind's limit.
func tooLarge(path string, kind FileKind) *Error {
	return &Error{File: path, Msg: "file is larger than " + FormatSize(int64(kind.Limit)), Hint: kind.Hint}
}

// regular returns an error unless fi describes a regular file.
func regular(path string, fi fs.FileInfo, kind FileKind) error {
	what := ""
	switch m := fi.Mode(); {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return &Error{File: path, Msg: "is a directory, not " + kind.Name, Hint: "name a YAML file"}
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a device"
	default:
		what = "not a regular file"
	}
	return &Error{File: path, Msg: fmt.Sprintf("is %s, not %s", what, kind.Name),
		Hint: "scalesim reads regular files only"}
}

// fileError turns an error from the operating system about path into an
// *Error that names path once, says what the system said and wraps it.
func fileError(path string, err error) *Error {
	e := &Error{File: path, Msg: err.Error(), Err: err}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		e.Msg = pe.Err.Error()
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		e.Hint = "check the permissions of the file and of every folder above it"
	case errors.Is(err, syscall.ELOOP):
		e.Hint = "a symbolic link on this path points, directly or not, to itself"
	case errors.Is(err, syscall.ENOTDIR):
		e.Hint = "a part of this path before its last is a file, not a folder"
	case errors.Is(err, syscall.ENAMETOOLONG):
		e.Hint = "shorten the path"
	}
	return e
}
