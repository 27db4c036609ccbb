package web

import (
	"net/http"

	"github.com/a-h/templ"

	"optare/app"
	"optare/app/middleware"
	"optare/views"
)

// seatDoor is where a seat change comes from: the admin subscription page or
// the client portal's seats page. base is the subscription's page; page
// builds that page with a given seats panel, for a plain form that failed.
type seatDoor struct {
	base func(id string) string
	page func(r *http.Request, id string, panel func(*views.SeatsPanel)) (templ.Component, error)
}

func (h *Handler) seatAssign(d seatDoor) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		acc, _ := accountFrom(r.Context())
		if err := r.ParseForm(); err != nil {
			return errBadForm(err)
		}
		id, user := r.PathValue("id"), r.PostForm.Get("user_id")
		seat, err := h.svc.AssignSeat(r.Context(), acc.Actor(middleware.ClientIP(r)), id, user)
		if err != nil {
			return h.seatFailed(w, r, d, id, user, err)
		}
		return h.seatsChanged(w, r, d, id, "A seat was assigned to "+seat.Email+".")
	}
}

func (h *Handler) seatUnassign(d seatDoor) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		acc, _ := accountFrom(r.Context())
		id := r.PathValue("id")
		if err := h.svc.UnassignSeat(r.Context(), acc.Actor(middleware.ClientIP(r)), id, r.PathValue("user")); err != nil {
			return h.seatFailed(w, r, d, id, "", err)
		}
		return h.seatsChanged(w, r, d, id, "The seat was unassigned.")
	}
}

// seatFailed shows a refused seat change (no free seat, not a member, not
// live) in the seats region with 422; anything else is an error page.
func (h *Handler) seatFailed(w http.ResponseWriter, r *http.Request, d seatDoor, id, user string, err error) error {
	e := app.AsError(err)
	if e.Kind != app.KindInvalid && e.Kind != app.KindConflict && (e.Kind != app.KindNotFound || len(e.Fields) == 0) {
		return err
	}
	change := func(p *views.SeatsPanel) {
		p.Error = e.Message
		if user != "" && e.Fields["user_id"] != "" {
			// An assignment: the message belongs beside the member select.
			p.User, p.Fields, p.Error = user, e.Fields, ""
		}
	}
	if isHTMX(r) {
		panel, err := h.seatsPanelOf(r, d, id)
		if err != nil {
			return err
		}
		change(&panel)
		h.render(w, r, http.StatusUnprocessableEntity, views.SeatsPanelView(panel))
		return nil
	}
	page, err := d.page(r, id, change)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusUnprocessableEntity, page)
	return nil
}

// seatsChanged answers htmx with the new seats region and the flash out of
// band, and a plain browser with a redirect back to the page.
func (h *Handler) seatsChanged(w http.ResponseWriter, r *http.Request, d seatDoor, id, flash string) error {
	if !isHTMX(r) {
		h.sessions.Put(r.Context(), keyFlash, flash)
		redirectAfterPost(w, r, d.base(id))
		return nil
	}
	panel, err := h.seatsPanelOf(r, d, id)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, views.Fragments(views.SeatsPanelView(panel), views.FlashOOB(flash)))
	return nil
}

func (h *Handler) seatsPanelOf(r *http.Request, d seatDoor, id string) (views.SeatsPanel, error) {
	acc, _ := accountFrom(r.Context())
	actor := acc.Actor(middleware.ClientIP(r))
	sub, err := h.svc.SubscriptionByID(r.Context(), actor, id)
	if err != nil {
		return views.SeatsPanel{}, err
	}
	return h.seatsPanel(r, actor, sub, d.base(id))
}

// adminSeats is the admin door onto seats.
func (h *Handler) adminSeats() seatDoor {
	return seatDoor{
		base: func(id string) string { return "/admin/subscriptions/" + id },
		page: func(r *http.Request, id string, change func(*views.SeatsPanel)) (templ.Component, error) {
			vm, err := h.subscriptionDetailModel(r, id)
			if err != nil {
				return nil, err
			}
			change(&vm.Seats)
			return views.SubscriptionDetailView(vm), nil
		},
	}
}
