package web

import (
	"net/http"

	"optare/app"
	"optare/views"
)

// organizationDetail is an organization's admin page.
func (h *Handler) organizationDetail(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	o, err := h.svc.OrganizationOverview(r.Context(), actor, r.PathValue("ref"))
	if err != nil {
		return err
	}
	names, err := h.svc.NamesForAudit(r.Context(), actor, o.RecentAudit)
	if err != nil {
		return err
	}
	n, err := h.catalogNames(r, acc, actor, actor, false)
	if err != nil {
		return err
	}
	n.orgName = map[string]string{o.Organization.ID: o.Organization.Name}
	vm := organizationDetailModel(o, names, n)
	_, perHour := h.svc.RateLimitDefaults()
	vm.RateLimit = views.RateLimitCell{Action: "/admin/organizations/" + o.Organization.ID + "/rate-limit",
		Limit: o.Organization.RateLimitPerHour, Default: perHour, Window: "hour", Label: o.Organization.Name}
	vm.Page = h.page(r, o.Organization.Name, views.SectionAdmin, "organizations")
	return h.render(w, r, http.StatusOK, views.OrganizationDetailView(vm))
}

// organizationDetailModel formats an overview for the page.
func organizationDetailModel(o app.OrganizationOverview, names app.AuditNames, n catalogNames) views.OrganizationDetailPage {
	org := o.Organization
	vm := views.OrganizationDetailPage{ID: org.ID, Name: org.Name, Slug: org.Slug, Operator: org.IsOperator, RequireMFA: org.RequireMFA,
		Created: org.CreatedAt.UTC().Format(dateLayout), Recent: namedAuditRows(o.RecentAudit, names, false), More: o.More}
	for _, m := range o.Members {
		vm.Members = append(vm.Members, views.OrgMemberRow{ID: m.User.ID, Name: m.User.Name, Email: m.User.Email, Role: m.Role,
			Joined: m.JoinedAt.UTC().Format(dateLayout), Disabled: m.User.Disabled})
	}
	for _, s := range o.Subscriptions {
		vm.Subscriptions = append(vm.Subscriptions, subscriptionRow(s, n))
	}
	for _, k := range o.APIKeys {
		row := views.OrgKeyRow{ID: k.ID, Name: k.Name, Environment: k.Environment, Created: k.CreatedAt.UTC().Format(dateLayout), Revoked: k.RevokedAt != nil}
		if k.LastUsedAt != nil {
			row.LastUsed = k.LastUsedAt.UTC().Format(timeLayout)
		}
		vm.APIKeys = append(vm.APIKeys, row)
	}
	for _, c := range o.Clients {
		vm.Clients = append(vm.Clients, views.OrgClientRow{ID: c.ID, Name: c.Name, Enabled: c.Enabled})
	}
	return vm
}
