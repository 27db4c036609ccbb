package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"optare/app"
	"optare/app/apptest"
)

// TestCancelSubscriptionDialog: with htmx, Cancel subscription opens a
// styled dialog naming the subscription (no browser confirm box); Keep it
// closes it without a change, and the dialog's own button cancels. The
// page checks run with the dialog open, and the console stays clean.
func TestCancelSubscriptionDialog(t *testing.T) {
	env := apptest.New(t)
	subID := seedTour(t, env).sub
	ts := env.Server(t)
	ctx := newBrowser(t)
	signIn(t, ctx, ts.URL, "owner@example.com", apptest.Password)
	run(t, ctx, "open the subscription",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(ts.URL+"/admin/subscriptions/"+subID),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
		chromedp.Click(chromedp.CSS(`.danger-zone a.danger`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] .confirm`)),
	)
	title := get(t, ctx, "dialog title", chromedp.Evaluate[string](`document.querySelector('dialog[open] h1').textContent.trim()`))
	if title != "Cancel Otomate Social - Pro for acme?" {
		t.Errorf("dialog title = %q", title)
	}
	checkPage(t, ctx, "cancel dialog", 1280)
	run(t, ctx, "keep it",
		chromedp.Click(chromedp.CSS(`dialog[open] form[method="dialog"] button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`dialog[open]`)),
	)
	if s, _ := env.Svc.SubscriptionByID(t.Context(), app.CLI(), subID); s.Status == app.StatusCancelled {
		t.Fatal("Keep it cancelled the subscription")
	}
	run(t, ctx, "cancel for real",
		chromedp.Click(chromedp.CSS(`.danger-zone a.danger`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] .confirm`)),
		chromedp.Click(chromedp.CSS(`dialog[open] button.danger`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash p`)),
	)
	if s, _ := env.Svc.SubscriptionByID(t.Context(), app.CLI(), subID); s.Status != app.StatusCancelled {
		t.Fatalf("status after confirming = %s", s.Status)
	}
	consoleOf(ctx).check(t, "after cancelling")
}
