package api

import (
	"net/http"

	"optare/app"
	"optare/app/middleware"
)

// transitionsDoc is the status state machine as openapi.json states it.
const transitionsDoc = app.Transitions

func (h *Handler) subscriptionList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := h.svc.ListSubscriptions(r.Context(), a, app.SubscriptionQuery{Organization: q.Get("organization_id"),
		Product: q.Get("product_id"), Status: q.Get("status"), Cursor: cursor, Limit: limit})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) subscriptionCreate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.SubscriptionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	s, err := h.svc.CreateSubscription(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s)
}

func (h *Handler) subscriptionGet(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	s, err := h.svc.SubscriptionByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (h *Handler) subscriptionUpdate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.SubscriptionPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	s, err := h.svc.UpdateSubscription(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

// seatInput is the body of seat assignment and unassignment.
type seatInput struct {
	UserID string `json:"user_id"`
}

func (h *Handler) seatList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := h.svc.ListSeats(r.Context(), a, r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) seatAssign(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in seatInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	s, err := h.svc.AssignSeat(r.Context(), a, r.PathValue("id"), in.UserID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s)
}

func (h *Handler) seatUnassign(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	in := seatInput{UserID: r.URL.Query().Get("user_id")}
	if in.UserID == "" {
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	if err := h.svc.UnassignSeat(r.Context(), a, r.PathValue("id"), in.UserID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// licenseDoc explains the license check in openapi.json.
const licenseDoc = "Answers 200 for any authenticated request about a product, valid or not; code is one of VALID, NO_SUBSCRIPTION, " +
	"EXPIRED, CANCELLED, NO_SEAT, PRODUCT_NOT_FOUND, USER_DISABLED. With a user's access token it checks that user " +
	"(?product=slug); with an API key it checks ?user_id=…&product=… within the key's organization (operator keys: any). " +
	"A user without a seat gets one automatically on first use while seats are free (per-subscription auto_assign)."

// licensePrefetch names the licence a GET check reads (app.Prefetch).
func licensePrefetch(r *http.Request) app.Prefetch {
	return app.PrefetchLicense(licenseQuery(r))
}

// licenseQuery reads the licence check's query parameters. A GET's are
// parsed once, into r.Form, for the prefetch and the handler; a POST's
// form is its JSON body, so its query is read apart.
func licenseQuery(r *http.Request) app.LicenseQuery {
	query := r.Form
	if r.Method != http.MethodGet {
		query = r.URL.Query()
	} else if query == nil {
		// A GET's form is its query (what ParseForm would set, without
		// the empty PostForm it allocates).
		query = r.URL.Query()
		r.Form = query
	}
	return app.LicenseQuery{Product: query.Get("product"), UserID: query.Get("user_id")}
}

func (h *Handler) licenseCheck(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	q := licenseQuery(r)
	if r.Method == http.MethodPost {
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
	}
	lic, err := h.svc.CheckLicense(r.Context(), a, q)
	if err != nil {
		return err
	}
	return middleware.WriteAppended(w, http.StatusOK, &lic)
}
