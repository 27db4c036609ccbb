package web

import (
	"optare/app"
	"slices"
)

var (
	errNotFound    = app.Error{Kind: app.KindNotFound, Message: "There is no page at this address."}
	errCrossOrigin = app.Error{Kind: app.KindForbidden, Message: "This request came from another site and was refused. Go back, reload the page and try again."}
)

func errBadForm(err error) error {
	return &app.Error{Kind: app.KindInvalid, Message: "The form could not be read.", Err: err}
}

// formFailure tells a domain error that a form shows in place from one for
// the error page, once for every form of the portal: bad input (KindInvalid),
// a reference that names nothing with the field it came from (an unknown
// product chosen), and the kinds a form adds (a conflict such as a taken
// slug). ok is false for any other error, which the handler returns.
func formFailure(err error, kinds ...app.Kind) (e *app.Error, ok bool) {
	e = app.AsError(err)
	switch {
	case e.Kind == app.KindInvalid, slices.Contains(kinds, e.Kind):
		return e, true
	case e.Kind == app.KindNotFound && len(e.Fields) > 0:
		return e, true
	}
	return e, false
}
