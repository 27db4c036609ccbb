// Package static embeds Optare's browser assets — the vendored htmx and Pico CSS,
// our own app.css layer, app.js (copy buttons) and the logo — and serves them
// with cache headers.
//
// Templates link to assets through Path, which appends a short content hash as
// the "v" query parameter; the Handler answers such versioned URLs with
// immutable, year-long caching and everything else with revalidation, so a new
// release is picked up by browsers at once without stale CSS or JavaScript.
//
// The vendored files (htmx.min.js 2.0.11, pico.min.css 2.1.1, the Lucide icons
// of lucide-static 1.62.0 in icons/ with their ISC licence) are kept byte for
// byte as released; change them only by replacing them with another release.
package static
