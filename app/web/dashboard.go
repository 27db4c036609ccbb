package web

import (
	"net/http"

	"optare/app"
	"optare/views"
)

// timeLayout is how the portals show times: UTC, to the minute.
const timeLayout = "2006-01-02 15:04 UTC"

func (h *Handler) adminDashboard(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	o, err := h.svc.AdminOverview(r.Context(), actor)
	if err != nil {
		return err
	}
	names, err := h.svc.NamesForAudit(r.Context(), actor, o.Recent)
	if err != nil {
		return err
	}
	d := views.AdminDashboard{
		Page:          h.page(r, "Dashboard", views.SectionAdmin, "dashboard"),
		Organizations: o.Organizations, Clients: o.Clients, SignIns24h: o.SignIns24h, FailedSignIns24h: o.FailedSignIns24h,
		Products: o.Products, ActiveSubscriptions: o.ActiveSubscriptions, SeatsUsed: o.SeatsUsed, SeatsTotal: o.SeatsTotal,
		Recent: namedAuditRows(o.Recent, names, false),
	}
	return h.render(w, r, http.StatusOK, views.AdminDashboardPage(d))
}

func (h *Handler) portalDashboard(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	products, err := h.svc.UserProducts(r.Context(), acc.User.ID)
	if err != nil {
		return err
	}
	subs, err := h.svc.OrgSubscriptionCount(r.Context(), actor)
	if err != nil {
		return err
	}
	d := views.PortalDashboard{
		Page:    h.page(r, "Dashboard", views.SectionPortal, "dashboard"),
		OrgName: acc.Org.Name, Role: acc.Role, Subscriptions: subs,
	}
	for _, p := range products {
		d.Products = append(d.Products, views.ProductCard{Slug: p.Slug, Name: p.Name, Description: p.Description, Features: p.Features})
	}
	return h.render(w, r, http.StatusOK, views.PortalDashboardPage(d))
}

// namedAuditRows formats audit entries with the names of what they name,
// linked to the objects' admin pages.
func namedAuditRows(entries []app.AuditEntry, names app.AuditNames, withDetails bool) []views.AuditRow {
	rows := make([]views.AuditRow, 0, len(entries))
	for _, e := range entries {
		target := e.TargetID // the action already names the target's kind
		rows = append(rows, views.AuditRow{ID: e.ID, Time: e.Time.UTC().Format(timeLayout), Actor: e.Actor,
			Action: e.Action, Target: target, Org: e.OrgID, Outcome: e.Outcome, IP: e.IP, ActorID: e.ActorID,
			ActorHref: adminHref(e.ActorType, e.ActorID), TargetName: names[app.NameKey(e.TargetType, e.TargetID)],
			TargetHref: adminHref(e.TargetType, e.TargetID), OrgName: names[app.NameKey("organization", e.OrgID)], OrgHref: adminHref("organization", e.OrgID)})
		if withDetails {
			rows[len(rows)-1].Details = detailsJSON(e.Details)
		}
	}
	return rows
}

// adminHref is the admin page of an object named in the audit log, or ""
// for kinds without one.
func adminHref(typ, id string) string {
	if id == "" {
		return ""
	}
	switch typ {
	case "organization":
		return views.OrganizationPath(id)
	case "user":
		return "/admin/users/" + id
	case "subscription":
		return "/admin/subscriptions/" + id
	case "client":
		return "/admin/clients/" + id
	case "product":
		return "/admin/products/" + id + "/edit"
	case "api_key":
		return "/admin/settings/api-keys/" + id
	case "webhook":
		return "/admin/webhooks/" + id
	}
	return ""
}
