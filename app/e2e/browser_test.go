package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium (or another Chrome on PATH).
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium for one test and returns a tab
// context. The flags keep Chromium off the network (this machine has none)
// and let it run as root in a container.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 90*time.Second)
}

// newBrowserFor is newBrowser with a longer life for a tab, for tests that
// walk many pages (each checked with axe and the keyboard).
func newBrowserFor(t *testing.T, life time.Duration) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found; CI must install Debian's chromium package")
		}
		t.Skip("browser test skipped: no Chromium found (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, life)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Every browser test fails on a console error or CSP violation, so each
	// htmx interaction any test performs is checked for them too. Cleanups
	// run last-in first-out: this one runs while the tab is still open.
	watch := watchConsole(ctx)
	consoles.Store(ctx, watch)
	t.Cleanup(func() {
		chromedp.Run(ctx, chromedp.Evaluate[bool](`true`)) // flush events still in flight
		watch.check(t, "browser console")
	})
	return ctx
}

// consoles maps a tab's context to its console watch (see watchConsole).
var consoles sync.Map

// consoleOf returns the console watch of a tab made by newBrowser.
func consoleOf(ctx context.Context) *consoleWatch {
	w, _ := consoles.Load(ctx)
	return w.(*consoleWatch)
}

var shotSeq atomic.Int32

// screenshot saves a full-page PNG named after the test and step when
// OPTARE_SCREENSHOTS is set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("OPTARE_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	file := fmt.Sprintf("%02d-%s.png", shotSeq.Add(1), strings.ReplaceAll(name, "/", "-"))
	if err := os.WriteFile(filepath.Join(dir, file), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs chromedp actions and fails the test with the step's name.
func run(t *testing.T, ctx context.Context, step string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v", step, loc, err)
	}
}

// get runs one action that returns a value and fails the test on error.
func get[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v", step, loc, err)
	}
	return v
}
