package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

var screenshot = flag.String("screenshot", "", "TestServeInBrowser: also write a screenshot of the page after a run to this PNG file (the README's docs/img/serve.png)")

// chromium finds the browser for the end-to-end test: it skips the test
// when there is none, except under CI, where .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: .ci/run should have installed it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed: skipping the browser test of hybridsim serve (apt-get install chromium to run it)")
	return ""
}

// startServe runs 'hybridsim serve' in-process on a free loopback port and
// returns its address; the server stops when the test ends.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed no address: %v (stderr: %s)", err, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v after the test", err)
		}
	})
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("serve printed %q, with no address", line)
	}
	return strings.Fields(line[i:])[0]
}

// TestServeInBrowser drives the page in headless Chromium as a first-time
// user would: move the wijktafel's attendance slider, press Run, wait for
// the charts, download the scenario and the data; then 'hybridsim run' of
// the downloaded scenario must give the downloaded data byte for byte. The
// page must write nothing to the console and ask nothing of any host but
// the server's.
func TestServeInBrowser(t *testing.T) {
	exe := chromium(t)
	addr := startServe(t)
	base, _ := url.Parse(addr)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1100),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 2*time.Minute)
	defer tcancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting chromium: %v", err)
	}

	var mu sync.Mutex
	var problems, requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			requests = append(requests, e.Request.URL)
		}
	}); err != nil {
		t.Fatal(err)
	}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			mu.Lock()
			problems = append(problems, m.String())
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			t.Logf("console: %q", problems)
			mu.Unlock()
		}
	})
	dir := t.TempDir()

	if err := chromedp.Do(ctx,
		chromedp.Navigate(addr),
		chromedp.WaitVisible(chromedp.ID("r-wijktafel-attendance_formal")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			yes := true
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &yes,
			})
			return err
		}),
	); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	// A value out of range is refused with the scenario loader's message,
	// next to its control.
	refused, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const u = document.getElementById("i-area-urbanity");
		u.value = "2";
		u.dispatchEvent(new Event("input", {bubbles: true}));
		document.getElementById("run").click();
		return [];
	})()`))
	if err != nil {
		t.Fatal(err, refused)
	}
	msg, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		const p = document.getElementById("problems");
		return !p.hidden && document.getElementById("c-area-urbanity").classList.contains("invalid") && p.textContent;
	})()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.Contains(msg, "area.urbanity must be from 0 to 1, got 2") {
		t.Fatalf("an urbanity of 2 got %q (%v)", msg, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const u = document.getElementById("i-area-urbanity");
		u.value = "0.5";
		u.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	// Move the slider as a user would (the page listens to input events),
	// then press Run.
	moved, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		for (const id of ["r-wijktafel-attendance_formal", "r-wijktafel-attendance_informal"]) {
			const r = document.getElementById(id);
			r.value = "0.8";
			r.dispatchEvent(new Event("input", {bubbles: true}));
		}
		document.getElementById("i-replications").value = "8";
		document.getElementById("i-replications").dispatchEvent(new Event("input", {bubbles: true}));
		return document.getElementById("i-wijktafel-attendance_formal").value;
	})()`))
	if err != nil || moved != "0.8" {
		t.Fatalf("moving the slider: field shows %q, %v", moved, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("status").dataset.phase === "done"`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		st, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
		t.Fatalf("the comparison did not finish: %v (status %q)", err, st)
	}
	// The hybridisation chart shows two bands and two mean lines.
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`(() => {
		const svg = document.getElementById("chart-hybridisation");
		const bands = svg.querySelectorAll("path[fill-opacity]").length;
		const lines = [...svg.querySelectorAll("path[fill=none]")].filter(p => p.getAttribute("d").length > 100).length;
		const status = document.getElementById("status").textContent;
		return {bands, lines, reps: +status.match(/(\d+) (of|van) (\d+)/)[1]};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if shown["bands"] != 2 || shown["lines"] != 2 || shown["reps"] != 8 {
		t.Fatalf("the hybridisation chart shows %v, want 2 bands, 2 mean lines, 8 replications", shown)
	}
	if *screenshot != "" {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 1640)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(12 * time.Second) // let the network view play to the last week
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The language switch turns the page into Dutch: the button, a
	// parameter's meaning and what it allows.
	nl, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		document.getElementById("lang").click();
		const c = document.getElementById("c-wijktafel-attendance_formal");
		return [document.getElementById("run").textContent, c.querySelector(".meaning").textContent, c.querySelector(".allowed").textContent];
	})()`))
	if err != nil || len(nl) != 3 || nl[0] != "Start" || !strings.Contains(nl[1], "opkomst") || !strings.Contains(nl[2], "tot en met") {
		t.Errorf("after the language switch the page shows %q (%v), want Dutch", nl, err)
	}

	download := func(id string) []byte {
		t.Helper()
		// Subscribed before the click; leaving the loop ends the subscription.
		progress := chromedp.Events(ctx, browser.DownloadProgress)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(id))); err != nil {
			t.Fatal(err)
		}
		for ev, err := range progress {
			if err != nil {
				t.Fatalf("downloading %s: %v", id, err)
			}
			if ev.State == browser.DownloadProgressStateCanceled {
				t.Fatalf("the download of %s was cancelled", id)
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
		}
		t.Fatalf("no download from %s", id)
		return nil
	}
	toml := download("dl-scenario")
	data := download("dl-data")
	if !bytes.Contains(toml, []byte("attendance_formal = 0.8")) || !bytes.Contains(toml, []byte("replications = 8")) {
		t.Fatalf("the downloaded scenario lacks the page's settings:\n%s", toml)
	}

	// The same scenario through 'hybridsim run' gives the same summary,
	// byte for byte.
	file := filepath.Join(t.TempDir(), "what-if.toml")
	if err := os.WriteFile(file, toml, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"run", "--quiet", "--no-charts", "--out", out, file}, &stdout, &stderr); err != nil {
		t.Fatalf("hybridsim run of the downloaded scenario: %v\n%s", err, stderr.String())
	}
	want, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("the page's data (%d bytes) differs from hybridsim run's summary.csv (%d bytes) of the downloaded scenario", len(data), len(want))
	}

	cancel()
	mu.Lock()
	defer mu.Unlock()
	// The browser logs the deliberate refusal above (an answer 400) as an
	// error of the network; nothing else may appear.
	refusals := 0
	for _, p := range problems {
		if strings.Contains(p, "status of 400 (Bad Request)") && refusals == 0 {
			refusals++
			continue
		}
		t.Errorf("console: %s", p)
	}
	if len(requests) < 4 {
		t.Errorf("saw %d requests; the listener is not working", len(requests))
	}
	for _, r := range requests {
		u, err := url.Parse(r)
		if err != nil || u.Host != base.Host {
			t.Errorf("the page asked %s, not only %s", r, base.Host)
		}
	}
	fmt.Fprintf(io.Discard, "%v", shown)
}

func TestServeCommandLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "a", "b"}, "serve takes at most one scenario, got 2"},
		{[]string{"serve", "--max-runs", "0"}, "--max-runs must be ≥ 1, got 0"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "no-such-area.toml"}, "no-such-area.toml"},
		{[]string{"serve", "--addr", "no-such-host.invalid:99999"}, "serve: listen tcp"},
	} {
		err := run(context.Background(), c.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error saying %q", c.args, err, c.want)
		}
	}
}

// TestServeWarnsOffLoopback: an address that is not a loopback one is
// served with a warning, and answers requests for any host name.
func TestServeWarnsOffLoopback(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "0.0.0.0:0"}, pw, &stderr); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err != nil || !strings.Contains(line, "http://0.0.0.0:") {
		t.Fatalf("serve printed %q (%v)", line, err)
	}
	if !strings.Contains(stderr.String(), "warning: listening on 0.0.0.0:") {
		t.Errorf("no warning on stderr: %q", stderr.String())
	}
}
