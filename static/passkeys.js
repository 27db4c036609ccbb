// Optare's passkey ceremonies (WebAuthn). Loaded with defer from the layout.
//
// - form[data-passkey-add]: "Add a passkey". Asks the server for creation
//   options, lets the browser create a discoverable credential and sends it
//   back with the name typed in the form.
// - button[data-passkey-signin]: "Sign in with a passkey", no email typed.
// - input[autocomplete~="webauthn"]: conditional UI, the browser offers the
//   user's passkeys in the email field's autofill.
//
// The server keeps each ceremony's challenge; this script only carries JSON
// between it and navigator.credentials.
(function () {
  "use strict";

  if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
    document.querySelectorAll("[data-passkey-add], [data-passkey-signin]").forEach(function (el) {
      el.hidden = true;
    });
    return;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? "{}" : JSON.stringify(body),
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok && data.redirect) {
          location.assign(data.redirect); // a fresh sign-in comes first
        }
        if (!res.ok) {
          throw new Error(data.error_description || data.error || "Request failed");
        }
        return data;
      });
    });
  }

  function say(el, text) {
    var out = el && el.querySelector("[data-passkey-status]");
    if (!out && el) {
      out = document.getElementById("passkey-status");
    }
    if (out) {
      out.textContent = text;
    }
  }

  function nextParam() {
    var next = new URLSearchParams(location.search).get("next");
    return next ? "?next=" + encodeURIComponent(next) : "";
  }

  // Sign-in: one pending request at a time; the button aborts the
  // conditional one so the browser shows its own dialog.
  var pending = null;

  function signIn(mediation, where) {
    if (pending) {
      pending.abort();
    }
    var ctrl = new AbortController();
    pending = ctrl;
    return post("/login/passkey/begin")
      .then(function (data) {
        var opts = { publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(data.publicKey), signal: ctrl.signal };
        if (mediation) {
          opts.mediation = mediation;
        }
        return navigator.credentials.get(opts);
      })
      .then(function (cred) {
        return post("/login/passkey/finish" + nextParam(), cred.toJSON());
      })
      .then(function (data) {
        location.assign(data.redirect);
      })
      .catch(function (err) {
        if (err.name !== "AbortError") {
          say(where, err.message);
        }
      });
  }

  document.querySelectorAll("[data-passkey-signin]").forEach(function (btn) {
    btn.addEventListener("click", function (ev) {
      ev.preventDefault();
      signIn(null, btn.closest("[data-passkey-box]") || document);
    });
  });

  if (document.querySelector('input[autocomplete~="webauthn"]') && PublicKeyCredential.isConditionalMediationAvailable) {
    PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
      if (ok) {
        signIn("conditional", document);
      }
    });
  }

  document.querySelectorAll("form[data-passkey-add]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var name = form.querySelector('input[name="passkey_name"]');
      say(form, "Follow your browser's prompt…");
      post("/portal/account/passkeys/begin")
        .then(function (data) {
          return navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(data.publicKey) });
        })
        .then(function (cred) {
          return post("/portal/account/passkeys/finish" + nextParam(), { name: name ? name.value : "", credential: cred.toJSON() });
        })
        .then(function (data) {
          location.assign(data.redirect);
        })
        .catch(function (err) {
          say(form, err.message);
        });
    });
  });
})();
