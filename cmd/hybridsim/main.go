// Command hybridsim runs the hybridsim model on scenario files and writes
// data, charts and a report. Run `hybridsim -h` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/hybridsim/hybridsim/internal/gcfloor"
	"github.com/hybridsim/hybridsim/internal/suggest"
	"github.com/hybridsim/hybridsim/scenarios"
)

// version is the tool version written into manifests.
const version = "0.1.0"

func main() {
	// Many small models allocate fast and keep little: without a floor the
	// collector would run dozens of times a second (internal/gcfloor).
	gcfloor.Set(64 << 20)
	// Ctrl-C and kill (SIGTERM, as from a batch system's time limit) stop
	// the runs and remove the temporary output directory; the exit status
	// is then the shell's 128 + signal number (130, 143).
	ctx, got, stop := signals()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(signalCode(exitCode(err, os.Stderr), got()))
}

// signals returns a context cancelled by the first SIGINT or SIGTERM, and
// a function that says which one came (nil: none). A second signal kills
// the process at once, as without hybridsim's handling.
func signals() (context.Context, func() os.Signal, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var mu sync.Mutex
	var got os.Signal
	go func() {
		s, ok := <-ch
		if !ok {
			return
		}
		mu.Lock()
		got = s
		mu.Unlock()
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		cancel()
	}()
	return ctx, func() os.Signal {
			mu.Lock()
			defer mu.Unlock()
			return got
		}, func() {
			signal.Stop(ch)
			close(ch)
			cancel()
		}
}

// signalCode is the exit status after a signal: 128 + its number when the
// command failed (was interrupted) because of it.
func signalCode(code int, s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok && code != 0 {
		return 128 + int(n)
	}
	return code
}

// usageError is a mistake in the command line: exit status 2. cmd, when
// set, is the command whose -h to point to.
type usageError struct{ msg, cmd string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{msg: fmt.Sprintf(format, args...)} }

// errHelp is returned after -h printed the usage: exit status 0.
var errHelp = errors.New("help")

func exitCode(err error, stderr io.Writer) int {
	var u usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &u):
		fmt.Fprintf(stderr, "hybridsim: %s\nRun 'hybridsim %s-h' for usage.\n", u.msg, u.cmd)
		return 2
	case errors.Is(err, context.Canceled): // a command that says nothing more itself
		fmt.Fprintln(stderr, "hybridsim: interrupted")
		return 1
	default:
		msg := err.Error()
		var se *scenarios.Error
		if errors.As(err, &se) && len(se.Problems) > 1 {
			msg = fmt.Sprintf("%d problems:\n%s", len(se.Problems), msg)
		} else if strings.Contains(msg, "\n") {
			msg = "\n" + msg
		}
		fmt.Fprintf(stderr, "hybridsim: %s\n", msg)
		return 1
	}
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"run", "[flags] [SCENARIO]", "run every variant × replication of a scenario; write data, charts and a report", cmdRun},
		{"compare", "[flags] SCENARIO...", "run several scenarios under the same variants into one output", cmdCompare},
		{"validate", "FILE...", "check scenario, sweep and calibration files; print ok or every problem", cmdValidate},
		{"presets", "", "list the embedded presets", cmdPresets},
		{"init", "FILE", "write a commented scenario template that extends the default preset", cmdInit},
		{"explain", "SCENARIO", "show what differs from the defaults, where it comes from, and each variant's interventions", cmdExplain},
		{"odd", "", "print the ODD parameter tables generated from the code (Markdown)", cmdODD},
		{"sweep", "[flags] SWEEP.toml", "run a parameter sweep or sensitivity analysis (grid, lhs, morris, sobol)", cmdSweep},
		{"merge", "--out DIR SHARD-DIR...", "combine the shards of a sweep", cmdMerge},
		{"calibrate", "[flags] CAL.toml", "fit parameters to observed figures (ABC-SMC): posterior, charts, calibrated scenario", cmdCalibrate},
		{"serve", "[--addr 127.0.0.1:8080] [SCENARIO]", "start the live what-if page in the browser (baseline and what-if side by side)", cmdServe},
		{"validate-model", "[--reps N]", "check the model against the chapter's patterns (docs/ODD.md §12)", cmdValidateModel},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 2 && args[0] == "help" {
		args = []string{args[1], "-h"} // hybridsim help run: run's own help
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	if args[0] == "version" || args[0] == "--version" {
		fs := newFlags("version", "", "Prints the version (and the commit it was built from, when known).", stdout)
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usageError{msg: "version takes no arguments", cmd: "version "}
		}
		fmt.Fprintf(stdout, "hybridsim %s\n", versionString())
		return nil
	}
	var names []string
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			var u usageError
			if errors.As(err, &u) && u.cmd == "" {
				u.cmd = c.name + " " // point to the command's own -h
				return u
			}
			return err
		}
		names = append(names, c.name)
	}
	if s := suggest.Nearest(args[0], names); s != "" {
		return usagef("unknown command %q (did you mean %s?)", args[0], s)
	}
	return usagef("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "hybridsim: why professionals and informal parties in the Dutch social domain work side by side")
	fmt.Fprintln(w, "instead of together, and which interventions change that (agent-based model).")
	fmt.Fprintln(w, "\nUsage:\n  hybridsim COMMAND [flags] [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "  version         print the version")
	fmt.Fprintln(w, "\nRun 'hybridsim COMMAND -h' or 'hybridsim help COMMAND' for a command's flags. SCENARIO is a preset name")
	fmt.Fprintln(w, "(see 'hybridsim presets') or a .toml file.")
}

// newFlags makes a command's flag set whose -h prints to stdout.
func newFlags(name, args, summary string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "%s\n\n%s\n", strings.TrimSpace("Usage: hybridsim "+name+" "+args), summary)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n == 0 {
			return // no empty "Flags:" section
		}
		fs.SetOutput(stdout)
		fmt.Fprintln(stdout, "\nFlags:")
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses flags, mapping -h to errHelp (after printing the usage) and
// other faults to usage errors (the usage is not printed then: the error
// says to run -h). Flags may come before or after the other arguments
// (hybridsim run hoorn --reps 5); everything after "--" is an argument.
func parse(fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	fs.Usage = func() {} // the flag package calls it on every fault
	defer func() { fs.Usage = usage }()
	var rest, pos []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, rest = args[:i], args[i+1:]
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return errHelp
			}
			return usagef("%s: %v", fs.Name(), err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	// Parsing "--" and the arguments leaves the flags as they are and makes
	// fs.Args() the arguments.
	return fs.Parse(append([]string{"--"}, append(pos, rest...)...))
}

func versionString() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}
