package topology

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// CreateFile creates or truncates the file at path for an output
// scalesim writes (a series, a plot, sweep rows, a recording), as
// os.Create does, but never waits on a named pipe nobody reads: opening
// one for writing would block until a reader came, and os.Create's
// read-write open would instead fill the pipe's buffer and then block,
// or lose the output when scalesim exits. Such a pipe is refused with an
// *Error naming path; one a reader holds open (a shell's >(gzip)) is
// written. A path that names no file scalesim may create (a directory, a
// folder that does not exist, one it may not write in) is the user's
// choice, so an *Error too (bad input, exit code 2); the operating
// system's other errors are returned as they are.
func CreateFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NONBLOCK, 0o666)
	switch {
	case err == nil:
		return f, nil
	case errors.Is(err, syscall.ENXIO):
		return nil, &Error{File: path, Msg: "is a named pipe that nobody reads", Err: err,
			Hint: "write to a regular file, or start the pipe's reader first"}
	case errors.Is(err, syscall.EISDIR):
		return nil, &Error{File: path, Msg: "is a directory", Err: err,
			Hint: "name a file in it, such as " + filepath.Join(path, "out"+filepath.Ext(path))}
	case errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ENOTDIR):
		return nil, &Error{File: path, Msg: "cannot be created: " + filepath.Dir(path) + " is not a directory that exists", Err: err,
			Hint: "create the directory first, or name a file in one that exists"}
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM), errors.Is(err, syscall.EROFS):
		why := err.Error()
		if pe := (*os.PathError)(nil); errors.As(err, &pe) {
			why = pe.Err.Error()
		}
		return nil, &Error{File: path, Msg: "cannot be written: " + why, Err: err,
			Hint: "name a file you may write, in a directory you may write in"}
	}
	return nil, err
}
