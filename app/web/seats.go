package web

import (
	"net/http"

	"github.com/a-h/templ"

	"optare/app"
	"optare/views"
)

// seatDoor is where a seat change comes from: the admin subscription page or
// the client portal's seats page. base is the subscription's page; page
// builds that page with a given seats panel, for a plain form that failed.
type seatDoor struct {
	base func(id string) string
	page func(r *http.Request, acc app.Account, actor app.Actor, id string, panel func(*views.SeatsPanel)) (templ.Component, error)
}

func (h *Handler) seatAssign(d seatDoor) accountFunc {
	return func(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
		if err := r.ParseForm(); err != nil {
			return errBadForm(err)
		}
		id, user := r.PathValue("id"), r.PostForm.Get("user_id")
		seat, err := h.svc.AssignSeat(r.Context(), actor, id, user)
		if err != nil {
			return h.seatFailed(w, r, acc, actor, d, id, user, err)
		}
		return h.seatsChanged(w, r, acc, actor, d, id, "A seat was assigned to "+seat.Email+".")
	}
}

func (h *Handler) seatUnassign(d seatDoor) accountFunc {
	return func(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
		id := r.PathValue("id")
		if err := h.svc.UnassignSeat(r.Context(), actor, id, r.PathValue("user")); err != nil {
			return h.seatFailed(w, r, acc, actor, d, id, "", err)
		}
		return h.seatsChanged(w, r, acc, actor, d, id, "The seat was unassigned.")
	}
}

// seatFailed shows a refused seat change (no free seat, not a member, not
// live) in the seats region with 422; anything else is an error page.
func (h *Handler) seatFailed(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor, d seatDoor, id, user string, err error) error {
	e, ok := formFailure(err, app.KindConflict)
	if !ok {
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
		panel, err := h.seatsPanelOf(r, acc, actor, d, id)
		if err != nil {
			return err
		}
		change(&panel)
		return h.render(w, r, http.StatusUnprocessableEntity, views.SeatsPanelView(panel))
	}
	page, err := d.page(r, acc, actor, id, change)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, page)
}

// seatsChanged answers htmx with the new seats region and the flash out of
// band, and a plain browser with a redirect back to the page.
func (h *Handler) seatsChanged(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor, d seatDoor, id, flash string) error {
	if !isHTMX(r) {
		h.sessions.Put(r.Context(), keyFlash, flash)
		redirectAfterPost(w, r, d.base(id))
		return nil
	}
	panel, err := h.seatsPanelOf(r, acc, actor, d, id)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.Fragments(views.SeatsPanelView(panel), views.FlashOOB(flash)))
}

func (h *Handler) seatsPanelOf(r *http.Request, acc app.Account, actor app.Actor, d seatDoor, id string) (views.SeatsPanel, error) {
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
		page: func(r *http.Request, acc app.Account, actor app.Actor, id string, change func(*views.SeatsPanel)) (templ.Component, error) {
			vm, err := h.subscriptionDetailModel(r, acc, actor, id)
			if err != nil {
				return nil, err
			}
			change(&vm.Seats)
			return views.SubscriptionDetailView(vm), nil
		},
	}
}
