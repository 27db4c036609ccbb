// Package web is the portals' door: sign-in, first-run setup, and the admin
// and client portals. Handlers parse a form, make one app call and render a
// templ view; every rule lives in package app.
package web
