package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/plots"
	"github.com/hybridsim/hybridsim/scenarios"
)

// screenshotDir is where the browser test leaves its screenshots (the
// repository's out/, which git ignores); CI keeps them as artefacts.
const screenshotDir = "../out/screenshots"

// chromium returns the browser to drive: $CHROMIUM, else Debian's
// /usr/bin/chromium, else chromium on the PATH.
func chromium() (string, bool) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, true
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", true
	}
	p, err := exec.LookPath("chromium")
	return p, err == nil
}

// TestReportInABrowser opens report.html of the default preset (4
// replications of 80 weeks, seed 1), in English and in Dutch, in headless
// Chromium at 1280 and at 400 pixels wide (a phone: mobile emulation, so
// the viewport tag counts), and fails on any console error or uncaught
// exception, on any request other than file: and data: URLs, when the page
// at 400 pixels is not laid out at the phone's width (no viewport tag), and
// when the page body is wider than the window (something cut off or
// scrolling the whole page sideways). It saves full-page screenshots as
// out/screenshots/report-LANG-WIDTH.png. Without Chromium it skips, except
// with CI set (CI must run it: .ci/run installs Debian's chromium).
func TestReportInABrowser(t *testing.T) {
	bin, ok := chromium()
	if !ok {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium not found and CI is set: install Debian's chromium package (.ci/run does) or set $CHROMIUM")
		}
		t.Skip("Chromium not found (install Debian's chromium package, or set $CHROMIUM): the report's browser check is skipped outside CI")
	}
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("-short: the browser check is skipped outside CI")
	}
	s, err := scenarios.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	s.Replications, s.Ticks = 4, 80
	o := execute(t, []*scenarios.Scenario{s})
	eff := o.Effects()
	dir := t.TempDir()
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	for _, l := range lang.All {
		charts, err := Charts(o, eff, Options{Lang: string(l), Size: plots.SizeDefault, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		man := &output.Manifest{Version: "test", CommandLine: []string{"hybridsim", "run", "--reps", "4", "--ticks", "80", "--lang", string(l)}, Seeds: []output.ManifestRun{{Seed: 1}},
			Scenarios: []output.ManifestScenario{{Name: "default", Source: "preset:default", SHA256: strings.Repeat("0f", 32)}}}
		if err := HTML(&buf, o, eff, charts, man, string(l)); err != nil {
			t.Fatal(err)
		}
		page := filepath.Join(dir, "report-"+string(l)+".html")
		if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, width := range []int64{1280, 400} {
			t.Run(fmt.Sprintf("%s/%d", l, width), func(t *testing.T) {
				openReport(t, bctx, "file://"+page, width, false, filepath.Join(screenshotDir, fmt.Sprintf("report-%s-%d.png", l, width)))
			})
		}
		t.Run(fmt.Sprintf("%s/print", l), func(t *testing.T) {
			openReport(t, bctx, "file://"+page, a4Width, true, filepath.Join(screenshotDir, fmt.Sprintf("report-%s-print.png", l)))
		})
	}
}

// a4Width is the width in CSS pixels between the print stylesheet's 15 mm
// margins on A4 (180 mm at 96 pixels an inch).
const a4Width = 680

// openReport loads url in a new tab of the browser at the given width and
// checks and photographs it (see TestReportInABrowser). With print, the page
// is shown with the print stylesheet at the width of an A4 page: nothing
// may be wider than the page, even inside the boxes that scroll on a
// screen, and charts, table rows and the story must not break across
// pages.
func openReport(t *testing.T, bctx context.Context, url string, width int64, print bool, shot string) {
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	var (
		mu       sync.Mutex
		problems []string
	)
	note := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				note("console %s: %s", e.Type, strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			note("uncaught exception: %s", e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				note("console error: %s %s", e.Entry.Text, e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") {
				note("request to the network: %s", u)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile) // a phone: the viewport tag decides the layout width
	}
	if print {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900, opts...), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if print {
		unbroken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
			const out = [];
			for (const sel of ["figure", "tr", "section.story"]) {
				const el = document.querySelector(sel);
				if (el && getComputedStyle(el).breakInside !== "avoid") out.push(sel + " may break across pages");
			}
			return out;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range unbroken {
			t.Errorf("print: %s", u)
		}
	}
	inner, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if inner != width {
		t.Errorf("the page is laid out %d pixels wide in a %d-pixel window (a viewport tag missing?)", inner, width)
	}
	over, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const w = document.documentElement.clientWidth, out = [];
		if (document.body.scrollWidth > w) out.push("body is " + document.body.scrollWidth + " px wide");
		for (const el of document.body.querySelectorAll("*")) {
			if (!matchMedia("print").matches && el.closest(".scroll")) continue; // wide content that scrolls in its own box on a screen
			const r = el.getBoundingClientRect();
			if (r.right > w + 1) out.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " ends at " + Math.round(r.right) + " px");
		}
		return out.slice(0, 10);
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range over {
		t.Errorf("horizontal overflow at %d px: %s", width, o)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}
