// Optare's own script: copy buttons for values shown once (client secrets,
// API keys). Loaded with defer from the layout; no inline scripts, as the CSP
// allows only scripts from this origin.
//
// A button[data-copy-target="ID"] copies the value (inputs, textareas) or the
// text (anything else) of the element with that id and says "Copied" for a
// moment. Without JavaScript the buttons stay hidden (app.css) and the value
// is plain selectable text.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var resetAfter = 2000;

  function textOf(el) {
    if ("value" in el && typeof el.value === "string") {
      return el.value;
    }
    return el.textContent.trim();
  }

  // legacyCopy selects the element's text and asks the browser to copy it:
  // the fallback where the Clipboard API is missing (plain http on a host
  // other than localhost is not a secure context).
  function legacyCopy(el) {
    try {
      if (typeof el.select === "function") {
        el.focus();
        el.select();
      } else {
        var range = document.createRange();
        range.selectNodeContents(el);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function show(button, ok) {
    if (!button.dataset.label) {
      button.dataset.label = button.textContent;
    }
    button.textContent = ok ? "Copied" : "Press Ctrl+C to copy";
    button.classList.toggle("is-copied", ok);
    clearTimeout(button.copyTimer);
    button.copyTimer = setTimeout(function () {
      button.textContent = button.dataset.label;
      button.classList.remove("is-copied");
    }, resetAfter);
  }

  // One listener for the whole document, so buttons that htmx swaps in
  // later work too.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy-target]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var el = document.getElementById(button.dataset.copyTarget);
    if (!el) {
      return;
    }
    var text = textOf(el);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { show(button, true); },
        function () { show(button, legacyCopy(el)); }
      );
      return;
    }
    show(button, legacyCopy(el));
  });

  // Clicking into a shown-once value selects all of it, ready to copy by hand.
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el.matches && el.matches("input.secret-value")) {
      el.select();
    }
  });
})();
