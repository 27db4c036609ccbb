package web

import "optare/app"

var (
	errNotFound    = app.Error{Kind: app.KindNotFound, Message: "There is no page at this address."}
	errCrossOrigin = app.Error{Kind: app.KindForbidden, Message: "This request came from another site and was refused. Go back, reload the page and try again."}
)

func errBadForm(err error) error {
	return &app.Error{Kind: app.KindInvalid, Message: "The form could not be read.", Err: err}
}
