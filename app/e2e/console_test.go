package e2e

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// consoleWatch collects what a tab writes to its console that a user would
// call broken: uncaught exceptions, console.error calls and browser-log
// errors, among them Content-Security-Policy violations ("Refused to apply
// inline style…"). Failed responses (source "network", such as a 422 that
// htmx swaps in on purpose) are the app's answers, not faults of the page.
type consoleWatch struct {
	mu   sync.Mutex
	msgs []string
}

// watchConsole starts collecting a tab's console faults for the whole test.
func watchConsole(ctx context.Context) *consoleWatch {
	w := &consoleWatch{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Source == "network" || (m.Type != chromedp.ConsoleError && !m.IsException()) {
				continue
			}
			w.mu.Lock()
			w.msgs = append(w.msgs, m.String()+" ("+m.URL+")")
			w.mu.Unlock()
		}
	}()
	return w
}

// take returns the faults collected since the last call and forgets them.
func (w *consoleWatch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.msgs
	w.msgs = nil
	return out
}

// check fails the test for every fault collected since the last check,
// naming where the test was.
func (w *consoleWatch) check(t *testing.T, where string) {
	t.Helper()
	for _, m := range w.take() {
		kind := "console error"
		if strings.Contains(m, "Content Security Policy") {
			kind = "CSP violation"
		}
		t.Errorf("%s: %s: %s", where, kind, m)
	}
}
