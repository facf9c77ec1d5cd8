package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/serve"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "[--addr 127.0.0.1:8080] [SCENARIO]", "Starts the live what-if page: change an area and its interventions, press Run and watch the\nwhat-if pull away from the baseline (same random numbers). SCENARIO (a preset or a .toml file,\nread once now) is offered beside the presets. Stop with Ctrl-C.", stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; anything but a loopback address lets other machines in")
	maxRuns := fs.Int("max-runs", 2, "comparisons that may run at once; more get a busy answer")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("serve takes at most one scenario, got %d", fs.NArg())
	}
	if *maxRuns < 1 {
		return usagef("--max-runs must be ≥ 1, got %d", *maxRuns)
	}
	opts := serve.Options{MaxRuns: *maxRuns}
	if fs.NArg() == 1 {
		ref := fs.Arg(0)
		s, err := scenarios.Load(ref)
		if err != nil {
			return err
		}
		if scenarios.IsPreset(ref) {
			opts.Start = ref
		} else {
			opts.File = s
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The address as the user gave it, with the port the system chose for
	// ":0" (a listener on 0.0.0.0 reports itself as [::]).
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	host, _, _ := net.SplitHostPort(*addr)
	shown := net.JoinHostPort(host, port)
	ip := net.ParseIP(host)
	opts.Loopback = host == "localhost" || ip != nil && ip.IsLoopback()
	srv, err := serve.New(opts)
	if err != nil {
		ln.Close()
		return err
	}
	if !opts.Loopback {
		fmt.Fprintf(stderr, "hybridsim: warning: listening on %s, not only on this machine: anyone who can reach it can run comparisons (there is no login)\n", shown)
	}
	fmt.Fprintf(stdout, "hybridsim: the what-if page is at http://%s/ (Ctrl-C stops it)\n", shown)
	return srv.Serve(ctx, ln)
}
