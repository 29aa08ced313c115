package presets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"scalesim/topology"
)

// PresetPrefix names a preset explicitly: "preset:redis-cache" is the
// preset whatever files the current folder holds. Errors in presets name
// their file this way too.
const PresetPrefix = "preset:"

// Resolve opens what a user typed where scalesim takes a FILE or PRESET
// (the command line, the dashboard's picker):
//
//   - "preset:NAME" is the preset NAME;
//   - a bare preset name ("redis-cache": no folder separator) is that
//     preset, unless something of that name exists in the current folder:
//     then Resolve refuses to guess and says how to write each;
//   - anything else is a file path, read with topology.Load, whose errors
//     say what the operating system said (permission denied, a symbolic
//     link loop) or why the file is refused (a directory, a device, too
//     large).
//
// A name that is neither a file nor a preset gets the list of presets and
// a did-you-mean. Every error is a *topology.Error or topology.Errors:
// the input's fault.
func Resolve(arg string) (*topology.Topology, error) {
	if arg == "" {
		// "$FILE" with FILE unset: there is no name to put in the message
		return nil, &topology.Error{Msg: `an empty FILE or PRESET ("")`, Hint: "name a topology file or a preset; scalesim presets lists them"}
	}
	if name, ok := strings.CutPrefix(arg, PresetPrefix); ok {
		p, ok := Get(name)
		if !ok {
			return nil, unknown(arg, name, nil)
		}
		return p.Load()
	}
	fi, statErr := os.Lstat(arg)
	p, isPreset := Get(arg)
	switch {
	case isPreset && statErr == nil:
		return nil, ambiguous(arg, fi)
	case isPreset && errors.Is(statErr, fs.ErrNotExist):
		return p.Load()
	case errors.Is(statErr, fs.ErrNotExist) && !looksLikePath(arg):
		return nil, unknown(arg, arg, statErr)
	}
	// An existing path, or one the system cannot tell about (a folder on
	// the way is unsearchable): Load reports what is wrong with it.
	return topology.Load(arg)
}

// looksLikePath reports whether arg can only be meant as a file: it has
// a folder separator or a YAML extension.
func looksLikePath(arg string) bool {
	return strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, os.PathSeparator) ||
		strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml")
}

// ambiguous is the error for a bare preset name that also names
// something in the current folder.
func ambiguous(arg string, fi fs.FileInfo) error {
	what, hint := "a file", fmt.Sprintf("write %s%s for the preset, or ./%s for the file", PresetPrefix, arg, arg)
	switch {
	case fi.IsDir():
		what, hint = "a folder", fmt.Sprintf("write %s%s for the preset", PresetPrefix, arg)
	case fi.Mode()&fs.ModeSymlink != 0:
		what = "a symbolic link"
	case !fi.Mode().IsRegular():
		what, hint = "a special file", fmt.Sprintf("write %s%s for the preset", PresetPrefix, arg)
	}
	return &topology.Error{File: arg, Msg: "names both a preset and " + what + " in the current folder", Hint: hint}
}

// unknown is the error for a name that is no preset (and, when cause is
// not nil, no file either).
func unknown(arg, name string, cause error) error {
	names := Names()
	msg := "no such preset"
	if cause != nil {
		msg = "no such file or preset"
	}
	hint := "presets: " + strings.Join(names, ", ")
	if m := topology.Suggest(name, names); m != "" {
		hint = fmt.Sprintf("did you mean %q? (%s)", m, hint)
	}
	return &topology.Error{File: arg, Msg: msg, Hint: hint, Err: cause}
}

// Names lists the presets' names in playbook order.
func Names() []string {
	list := List()
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.Name
	}
	return out
}
