package topology

import (
	"errors"
	"os"
	"syscall"
)

// CreateFile creates or truncates the file at path for an output
// scalesim writes (a series, a plot, sweep rows, a recording), as
// os.Create does, but never waits on a named pipe nobody reads: opening
// one for writing would block until a reader came, and os.Create's
// read-write open would instead fill the pipe's buffer and then block,
// or lose the output when scalesim exits. Such a pipe is refused with an
// *Error naming path; one a reader holds open (a shell's >(gzip)) is
// written. The operating system's other errors are returned as they are.
func CreateFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NONBLOCK, 0o666)
	if errors.Is(err, syscall.ENXIO) {
		return nil, &Error{File: path, Msg: "is a named pipe that nobody reads", Err: err,
			Hint: "write to a regular file, or start the pipe's reader first"}
	}
	return f, err
}
