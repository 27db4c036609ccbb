// Package e2e holds the browser tests: a real Chromium (Debian's chromium,
// driven by chromedp) against a real Optare server on loopback. Outside CI
// they skip when no Chromium is installed; in CI (CI=true) a missing browser
// fails them. OPTARE_SCREENSHOTS=DIR saves a full-page screenshot of every
// page the tests visit.
package e2e
