package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.14.1 (npm, MPL-2.0, licence beside it), a test
// fixture only: it is injected into pages by the browser tests and never
// served by Optare.
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

// clippedJS lists elements in <main> whose content is cut off by their own
// box at the current width: a table frame that would need sideways
// scrolling, or text cut without an ellipsis and a title giving the full
// value. Form controls scroll their own text by design and are skipped.
const clippedJS = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('main *')) {
    if (el.matches('input, select, textarea, option, svg, svg *, pre, code')) continue;
    if (el.closest('details:not([open])')) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || el.clientWidth === 0) continue;
    if (!['hidden', 'clip', 'auto', 'scroll'].includes(cs.overflowX)) continue;
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    if (cs.textOverflow === 'ellipsis' && el.title) continue;
    if (el.classList.contains('visually-hidden')) continue;
    out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).replace(/ +/g, '.') : '') +
      ' "' + el.textContent.trim().slice(0, 40) + '" (' + el.scrollWidth + ' > ' + el.clientWidth + ')');
  }
  return out;
})()`

// offscreenActionsJS lists table rows whose primary action (the last link
// or button of the row) is not fully inside the viewport without scrolling
// sideways.
const offscreenActionsJS = `(() => {
  const out = [];
  for (const tr of document.querySelectorAll('main tbody tr')) {
    const actions = tr.querySelectorAll('a[href], button');
    if (actions.length === 0) continue;
    const a = actions[actions.length - 1];
    if (a.closest('details:not([open])')) continue;
    const r = a.getBoundingClientRect();
    if (r.width === 0) { out.push('hidden: ' + a.textContent.trim()); continue; }
    if (r.left < 0 || r.right > document.documentElement.clientWidth + 1) {
      out.push(a.textContent.trim() + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return out;
})()`

// axeJS runs axe-core on the document and returns the serious and critical
// violations, one line each.
const axeJS = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))`

// focusJS moves focus with the Tab key's order: it reports the element now
// focused and whether it shows a focus ring (an outline or a box shadow).
const focusJS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {id: '', ring: true};
  const cs = getComputedStyle(el);
  const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
  const name = el.tagName.toLowerCase() + ' "' + (el.textContent || el.value || el.name || '').trim().slice(0, 30) + '"';
  return {id: name, ring: ring, main: !!el.closest('main')};
})()`

// focusablesJS counts the focusable, visible controls in <main>.
const focusablesJS = `Array.from(document.querySelectorAll('main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary'))
  .filter(el => !el.disabled && el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)') && getComputedStyle(el).visibility !== 'hidden').length`

// checkPage runs the page checks on the page open in ctx: no
// clipped content at desktop width, every row's action reachable at phone
// width, no console errors or CSP violations, no serious or critical axe
// violation and, at desktop width, every control in <main> reachable with
// Tab showing a focus ring.
func checkPage(t *testing.T, ctx context.Context, where string, width int64) {
	t.Helper()
	if width >= 1024 {
		for _, c := range get(t, ctx, "clipped content", chromedp.Evaluate[[]string](clippedJS)) {
			t.Errorf("%s: clipped: %s", where, c)
		}
	} else {
		for _, a := range get(t, ctx, "row actions", chromedp.Evaluate[[]string](offscreenActionsJS)) {
			t.Errorf("%s: row action off screen: %s", where, a)
		}
	}
	if ok := get(t, ctx, "axe loaded", chromedp.Evaluate[bool](`typeof axe !== 'undefined'`)); !ok {
		run(t, ctx, "inject axe", chromedp.Evaluate[chromedp.Void](axeSource+";undefined"))
	}
	for _, v := range get(t, ctx, "axe", chromedp.Evaluate[[]string](axeJS, chromedp.EvalAwaitPromise)) {
		t.Errorf("%s: axe: %s", where, v)
	}
	if width >= 1024 {
		checkKeyboard(t, ctx, where)
	}
	consoleOf(ctx).check(t, where)
}

// checkKeyboard tabs through the page from the top and checks that every
// visible control in <main> receives focus and shows a focus ring.
func checkKeyboard(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	want := get(t, ctx, "count controls", chromedp.Evaluate[int](focusablesJS))
	run(t, ctx, "focus top", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); undefined`))
	noRing := map[string]bool{}
	inMain := 0
	for i := 0; i < want+40 && inMain < want; i++ {
		run(t, ctx, "press Tab", chromedp.KeyEvent("\t"))
		var f struct {
			ID   string
			Ring bool
			Main bool
		}
		raw := get(t, ctx, "focused element", chromedp.Evaluate[json.RawMessage](focusJS))
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		if !f.Ring {
			noRing[f.ID] = true
		}
		if f.Main {
			inMain++
		}
	}
	if inMain < want {
		t.Errorf("%s: %d of %d controls in main reached with Tab", where, inMain, want)
	}
	for id := range noRing {
		t.Errorf("%s: %s has no visible focus ring", where, id)
	}
}
