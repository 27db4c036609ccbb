package web

import (
	"net/http"

	"github.com/a-h/templ"

	"optare/app"
	"optare/views"
)

// portalSubscriptions lists the signed-in user's organization's
// subscriptions; owners and admins get a link to each one's seats.
func (h *Handler) portalSubscriptions(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	// The portal shows the user's own organization, operators included.
	page, err := h.svc.ListSubscriptions(r.Context(), actor, app.SubscriptionQuery{Organization: acc.Org.ID, Limit: app.MaxLimit})
	if err != nil {
		return err
	}
	names, err := h.catalogNames(r, acc, actor, actor, false)
	if err != nil {
		return err
	}
	vm := views.PortalSubscriptionsPage{Page: h.page(r, "Subscriptions", views.SectionPortal, "subscriptions"),
		OrgName: acc.Org.Name, CanManage: actor.IsOrgAdmin(acc.Org.ID)}
	for _, s := range page.Subscriptions {
		vm.Rows = append(vm.Rows, subscriptionRow(s, names))
	}
	return h.render(w, r, http.StatusOK, views.PortalSubscriptionsView(vm))
}

// portalSeats is a subscription's seats page for the owners and admins of
// its organization; the domain answers "not found" for other organizations'
// subscriptions and "forbidden" for members.
func (h *Handler) portalSeats(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	vm, err := h.portalSeatsModel(r, acc, actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.PortalSeatsView(vm))
}

func (h *Handler) portalSeatsModel(r *http.Request, acc app.Account, actor app.Actor, id string) (views.PortalSeatsPage, error) {
	sub, err := h.svc.SubscriptionByID(r.Context(), actor, id)
	if err != nil {
		return views.PortalSeatsPage{}, err
	}
	if sub.OrganizationID != acc.Org.ID {
		// An operator may read any subscription, but the portal is about
		// their own organization.
		return views.PortalSeatsPage{}, &errNotFound
	}
	summary, err := h.subscriptionSummary(r, actor, sub)
	if err != nil {
		return views.PortalSeatsPage{}, err
	}
	seats, err := h.seatsPanel(r, actor, sub, "/portal/subscriptions/"+sub.ID)
	if err != nil {
		return views.PortalSeatsPage{}, err
	}
	return views.PortalSeatsPage{Page: h.page(r, summary.Product+" seats", views.SectionPortal, "subscriptions"), Sub: summary, Seats: seats}, nil
}

// portalSeatDoor is the client portal's door onto seats.
func (h *Handler) portalSeatDoor() seatDoor {
	return seatDoor{
		base: func(id string) string { return "/portal/subscriptions/" + id },
		page: func(r *http.Request, acc app.Account, actor app.Actor, id string, change func(*views.SeatsPanel)) (templ.Component, error) {
			vm, err := h.portalSeatsModel(r, acc, actor, id)
			if err != nil {
				return nil, err
			}
			change(&vm.Seats)
			return views.PortalSeatsView(vm), nil
		},
	}
}

// portalProducts lists the products the user can use now. Optare records
// no "last use" per user and product (license checks stay read-only), so
// the card shows when the user's seat was assigned.
func (h *Handler) portalProducts(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	list, err := h.svc.UsableProducts(r.Context(), actor)
	if err != nil {
		return err
	}
	vm := views.PortalProductsPage{Page: h.page(r, "Products", views.SectionPortal, "products")}
	for _, p := range list {
		c := views.UsableProductCard{Slug: p.Slug, Name: p.Name, Description: p.Description, DocumentationURL: p.DocumentationURL, Features: p.Features}
		if p.SeatSince != nil {
			c.SeatSince = p.SeatSince.UTC().Format(dateLayout)
		}
		vm.Products = append(vm.Products, c)
	}
	vm.OrgName = acc.Org.Name
	if vm.Usage, err = h.productUsage(r, acc, actor, list); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.PortalProductsView(vm))
}
