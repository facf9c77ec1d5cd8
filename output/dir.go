package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/internal/readfile"
)

// Marker is the file that makes a directory hybridsim's: a JSON object
// naming the tool and listing, relative to the directory, the files it
// wrote there. A directory is replaced only if it carries the marker and
// holds nothing else than the files listed (or is empty), and replacing it
// removes exactly those files. Its fields are those of marker.
const Marker = ".hybridsim"

// marker is the contents of a Marker file.
type marker struct {
	Tool string `json:"tool"`
	Note string `json:"note"`
	// Temporary marks a directory still being written, by process PID on
	// Host; such a directory left by a process that no longer runs is
	// removed by the next run that targets the same output.
	Temporary bool     `json:"temporary,omitempty"`
	PID       int      `json:"pid,omitempty"`
	Host      string   `json:"host,omitempty"`
	Files     []string `json:"files"`
}

const markerNote = "hybridsim wrote this directory. It replaces it only when nothing but the files listed here is in it, and then removes exactly those files."

// writeMarker writes dir's marker.
func writeMarker(dir string, m marker) error {
	m.Tool, m.Note = "hybridsim", markerNote
	if m.Files == nil {
		m.Files = []string{}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, Marker), append(b, '\n'), 0o644)
}

// readMarker reads dir's marker; ok is false when there is none or it is
// not hybridsim's.
func readMarker(dir string) (m marker, ok bool) {
	b, err := readfile.Regular(filepath.Join(dir, Marker), readfile.MaxInput)
	if err != nil || json.Unmarshal(b, &m) != nil || m.Tool != "hybridsim" {
		return marker{}, false
	}
	for _, f := range m.Files {
		if !localPath(f) {
			return marker{}, false
		}
	}
	return m, true
}

// localPath reports whether a marker entry is a relative path that stays
// inside its directory.
func localPath(f string) bool {
	return f != "" && filepath.IsLocal(filepath.FromSlash(f)) && filepath.Clean(filepath.FromSlash(f)) == filepath.FromSlash(f) && f != Marker
}

// Path returns dir/name, checking that name is a single file name that
// keeps the path inside dir: not empty, no separator, not "." or "..", not
// hidden. Every file the tool writes into an output goes through it.
func Path(dir, name string) (string, error) {
	if name == "" || name == "." || name == ".." || strings.HasPrefix(name, ".") || strings.ContainsAny(name, `/\`+"\x00") || !filepath.IsLocal(name) {
		return "", fmt.Errorf("refusing to write %q into %s: not a plain file name", name, dir)
	}
	return filepath.Join(dir, name), nil
}

// Create writes the file name inside dir (see Path) through a buffered
// writer.
func Create(dir, name string, write func(w io.Writer) error) error {
	p, err := Path(dir, name)
	if err != nil {
		return err
	}
	return WriteFile(p, write)
}

// ForeignError is the refusal to replace or write into a directory that
// holds files hybridsim did not write.
type ForeignError struct {
	Dir     string
	Foreign []string // the first few files hybridsim did not write
	Why     string   // why they are not ours
}

func (e *ForeignError) Error() string {
	list := strings.Join(e.Foreign, ", ")
	return fmt.Sprintf("refusing to replace %s: it holds %s, which hybridsim did not write (%s); move them, choose another --out, or add --force to replace the whole directory", e.Dir, list, e.Why)
}

// Check reports whether an output may be written to dir: it does not
// exist, is an empty directory, or is hybridsim's (its Marker lists every
// file in it). With force any directory will do, except the file-system
// root, the home directory and the working directory or one of its
// parents. A file, or a link, at dir is always refused.
func Check(dir string, force bool) error {
	st, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("refusing to replace %s: it is a symbolic link; give the directory itself or another --out", dir)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s exists and is not a directory; choose another output directory", dir)
	}
	if force {
		return vital(dir)
	}
	foreign, why, err := foreignFiles(dir)
	if err != nil {
		return err
	}
	if len(foreign) > 0 {
		return &ForeignError{Dir: dir, Foreign: foreign, Why: why}
	}
	return nil
}

// vital refuses --force on a directory whose removal nobody could want.
func vital(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	wd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	rel, rerr := filepath.Rel(abs, wd)
	switch {
	case abs == filepath.Dir(abs):
		return fmt.Errorf("refusing to replace %s, the root of the file system, even with --force", dir)
	case home != "" && abs == filepath.Clean(home):
		return fmt.Errorf("refusing to replace %s, your home directory, even with --force", dir)
	case wd != "" && rerr == nil && filepath.IsLocal(rel) || rel == ".":
		return fmt.Errorf("refusing to replace %s, which holds the working directory, even with --force", dir)
	}
	return nil
}

// foreignFiles lists (the first five of) the files and directories in dir
// that its marker does not list; all of them when there is no marker.
func foreignFiles(dir string) ([]string, string, error) {
	m, ours := readMarker(dir)
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f] = true
		for d := filepath.Dir(filepath.FromSlash(f)); d != "."; d = filepath.Dir(d) {
			listed[filepath.ToSlash(d)+"/"] = true
		}
	}
	var foreign []string
	more := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == Marker && ours {
			return nil
		}
		if d.IsDir() && listed[rel+"/"] {
			return nil
		}
		if !d.IsDir() && d.Type().IsRegular() && listed[rel] {
			return nil
		}
		if d.IsDir() {
			rel += "/"
		}
		if len(foreign) < 5 {
			foreign = append(foreign, rel)
		} else {
			more++
		}
		if d.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
	if more > 0 {
		foreign = append(foreign, fmt.Sprintf("and %d more", more))
	}
	why := "its " + Marker + " file does not list them"
	if !ours {
		why = "there is no " + Marker + " marker: it is not a hybridsim output"
	}
	return foreign, why, err
}

// KeptError says that the output was complete but --out changed while it
// was being made, so that it was not replaced: the results are in Kept.
type KeptError struct {
	Dir, Kept string
	Err       error // why Dir could not be replaced
}

func (e *KeptError) Error() string {
	return fmt.Sprintf("%v\nThe results are complete and kept in %s instead (%s changed while they were made).", e.Err, e.Kept, e.Dir)
}

// Atomic is Replace without --force.
func Atomic(dir string, fill func(tmp string) error) error { return Replace(dir, false, fill) }

// Replace writes a directory whole or not at all. fill writes into a fresh
// temporary directory beside dir (".NAME.tmp-…", marked as hybridsim's and
// as temporary); only when fill succeeds does the temporary directory,
// with a Marker listing what fill wrote, take dir's place. On failure
// nothing at dir changes and the temporary directory is removed.
//
// dir is checked (Check) before fill runs and again just before it is
// replaced; should it have become unacceptable meanwhile, the results are
// kept beside it (NAME.kept-…) and a *KeptError says where. The previous
// dir is removed file by file, exactly the files its marker lists (with
// force: whole). Temporary directories and set-aside old outputs left
// beside dir by a killed process are removed first.
func Replace(dir string, force bool, fill func(tmp string) error) (err error) {
	if err := Check(dir, force); err != nil {
		return err
	}
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	CleanStale(dir)
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil && tmp != "" {
			os.RemoveAll(tmp)
		}
	}()
	if err = writeMarker(tmp, marker{Temporary: true, PID: os.Getpid(), Host: hostname()}); err != nil {
		return err
	}
	if err = fill(tmp); err != nil {
		return err
	}
	files, err := written(tmp)
	if err != nil {
		return err
	}
	if err = writeMarker(tmp, marker{Files: files}); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if cerr := Check(dir, force); cerr != nil {
		kept := filepath.Join(parent, base+".kept-"+strings.TrimPrefix(filepath.Base(tmp), "."+base+".tmp-"))
		if os.Rename(tmp, kept) != nil {
			kept = tmp
		}
		tmp = ""
		return &KeptError{Dir: dir, Kept: kept, Err: cerr}
	}
	old := ""
	if _, serr := os.Lstat(dir); serr == nil {
		old = tmp + ".old"
		if err = os.Rename(dir, old); err != nil {
			return fmt.Errorf("moving the previous %s aside: %w", dir, err)
		}
	}
	if err = os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return err
	}
	tmp = ""
	if old == "" {
		return nil
	}
	if force {
		return os.RemoveAll(old)
	}
	if err := RemoveOwned(old); err != nil {
		return fmt.Errorf("%s is written, but the previous directory was kept at %s: %w", dir, old, err)
	}
	return nil
}

// written lists the files fill wrote into tmp (slash paths, sorted),
// refusing anything but regular files and directories.
func written(tmp string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == tmp || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(tmp, p)
		if rel == Marker {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", rel)
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	slices.Sort(files)
	return files, err
}

// RemoveOwned removes a directory of hybridsim's: exactly the files its
// marker lists, the directories they are in, the marker and the directory
// itself. Anything else stops it (and stays), with an error that names it.
func RemoveOwned(dir string) error {
	m, ok := readMarker(dir)
	if !ok {
		return fmt.Errorf("%s has no %s marker: not removed", dir, Marker)
	}
	if foreign, why, err := foreignFiles(dir); err != nil {
		return err
	} else if len(foreign) > 0 {
		return fmt.Errorf("%s holds %s, which hybridsim did not write (%s): not removed", dir, strings.Join(foreign, ", "), why)
	}
	dirs := map[string]bool{}
	for _, f := range m.Files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for d := filepath.Dir(p); d != dir && strings.HasPrefix(d, dir); d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	sub := make([]string, 0, len(dirs))
	for d := range dirs {
		sub = append(sub, d)
	}
	slices.SortFunc(sub, func(a, b string) int { return len(b) - len(a) }) // deepest first
	for _, d := range sub {
		if err := os.Remove(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Remove(filepath.Join(dir, Marker)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Remove(dir)
}

// CleanStale removes what a killed process left beside the output dir:
// temporary directories (".NAME.tmp-…") whose marker names a process on
// this host that no longer runs, and previous outputs that were being set
// aside (".NAME.tmp-….old"), file by file as RemoveOwned does. Anything
// without hybridsim's marker is left alone.
func CleanStale(dir string) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	host := hostname()
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "."+base+".tmp-") {
			continue
		}
		p := filepath.Join(parent, e.Name())
		m, ok := readMarker(p)
		switch {
		case !ok:
		case strings.HasSuffix(e.Name(), ".old") && !m.Temporary:
			RemoveOwned(p)
		case m.Temporary && m.Host == host && m.PID > 0 && !alive(m.PID):
			os.RemoveAll(p)
		}
	}
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// Own makes dir a working directory of hybridsim's that is written over
// time and may hold the given files (a sweep's shard, which --resume
// completes): a directory that does not exist is created with a Marker
// listing them; an empty one gets the marker; an existing one must carry
// the marker and hold none but those files. Anything else is refused, so
// that a shard never writes over, or later removes, a user's files.
func Own(dir string, files []string) error {
	for _, f := range files {
		if !localPath(f) {
			return fmt.Errorf("internal: %q is not a file name", f)
		}
	}
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return writeMarker(dir, marker{Files: files})
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s exists and is not a directory; choose another --out", dir)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(ents) == 0 {
		return writeMarker(dir, marker{Files: files})
	}
	m, ok := readMarker(dir)
	if !ok {
		return fmt.Errorf("refusing to write into %s: it holds files, and there is no %s marker: it is not a directory hybridsim made; choose another --out", dir, Marker)
	}
	for _, e := range ents {
		if e.Name() != Marker && (!slices.Contains(files, e.Name()) || !e.Type().IsRegular()) {
			return fmt.Errorf("refusing to write into %s: it holds %s, which a sweep does not write there; move it or choose another --out", dir, e.Name())
		}
	}
	if !slices.Equal(m.Files, files) {
		return writeMarker(dir, marker{Files: files})
	}
	return nil
}
