// Package browser holds what the two doors a browser talks to share: the
// portals (app/web) and the OAuth pages (app/oauth, for authorize, logout
// and the device code). It owns the signed-in session behind the cookie,
// page rendering and the HTML answer to each app error kind, so neither
// door imports the other. The composition root (app/cli) builds one
// Sessions and hands it to both doors.
package browser
