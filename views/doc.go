// Package views holds Optare's server-rendered HTML: templ components and the
// view-model structs they render.
//
// A page component takes one view-model struct (AdminDashboard, LoginForm, …)
// whose Page field carries the layout's title, signed-in user, section and
// flash; a fragment takes only the piece it renders (AuditTable, ProductCards),
// so a handler can answer an HTMX request with the fragment and a plain request
// with the whole page. Views do no I/O, read no clock and import no other Optare
// package except static (for versioned asset URLs): handlers format times and
// translate domain values into the strings shown here. Every component renders
// its zero value without panicking.
//
// The markup carries no inline scripts, no inline styles and no <style> blocks,
// so the pages work under the CSP "script-src 'self'; style-src 'self'"; htmx is
// configured through the htmx-config meta tag (see HTMXConfig) and all styling
// lives in static/app.css on top of Pico CSS.
package views
