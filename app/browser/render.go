package browser

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"

	"optare/app"
	"optare/views"
)

// Render writes c with status. It renders into a buffer first, so a
// failing template never sends half a page after a 200: on an error
// nothing is written and the caller answers.
func Render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// Status is the HTML pages' answer to an app error kind: 422 for a form
// that needs correcting, and an unknown kind is a 500.
func Status(k app.Kind) int {
	switch k {
	case app.KindInvalid:
		return http.StatusUnprocessableEntity
	case app.KindNotFound:
		return http.StatusNotFound
	case app.KindConflict:
		return http.StatusConflict
	case app.KindUnauthenticated:
		return http.StatusUnauthorized
	case app.KindForbidden:
		return http.StatusForbidden
	case app.KindRateLimited:
		return http.StatusTooManyRequests
	case app.KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// NavUser is the page header's view of a signed-in account.
func NavUser(acc app.Account) *views.NavUser {
	return &views.NavUser{Name: acc.User.Name, Email: acc.User.Email, OrgName: acc.Org.Name, IsOperator: acc.IsOperatorAdmin(),
		OrgAdmin: !acc.Operator && (acc.Role == app.RoleOwner || acc.Role == app.RoleAdmin)}
}
