package web

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"optare/app"
	"optare/views"
)

const dateLayout = "2006-01-02"

// auditLog is the admin audit log: filters in the query string, so every
// view is a shareable URL; htmx swaps only the results.
func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	q := r.URL.Query()
	vm := views.AuditLogPage{
		Page:   h.page(r, "Audit logs", views.SectionAdmin, "audit-logs"),
		Filter: views.AuditFilter{Action: q.Get("action"), Actor: q.Get("actor"), Org: q.Get("org"), Since: q.Get("since"), Until: q.Get("until")},
	}
	query := app.AuditQuery{Action: strings.TrimSpace(vm.Filter.Action), Actor: strings.TrimSpace(vm.Filter.Actor),
		OrgID: strings.TrimSpace(vm.Filter.Org), Since: vm.Filter.Since, Until: vm.Filter.Until, Cursor: q.Get("cursor"), Limit: 50}
	if ref := query.OrgID; ref != "" {
		if _, err := h.svc.OrganizationByRef(r.Context(), actor, ref); err != nil {
			if app.ErrorKind(err) != app.KindNotFound {
				return err
			}
			vm.Error = "There is no organization " + ref + "."
		}
	}
	actions, err := h.svc.AuditActions(r.Context(), actor)
	if err != nil {
		return err
	}
	vm.Actions = actions
	status := http.StatusOK
	if vm.Error == "" {
		// The domain parses the dates (one reading for every door); a bad
		// date comes back as a field error shown beside its input.
		err := h.auditResults(r, actor, query, &vm)
		if e := app.AsError(err); err != nil && e.Kind == app.KindInvalid && len(e.Fields) > 0 {
			vm.Fields = e.Fields
		} else if err != nil {
			return err
		}
	}
	if len(vm.Fields) > 0 || vm.Error != "" {
		status = http.StatusUnprocessableEntity
		vm.Error = cmp.Or(vm.Error, "Please correct the dates.")
	}
	if isHTMX(r) {
		return h.render(w, r, status, views.AuditResults(vm))
	}
	return h.render(w, r, status, views.AuditLogView(vm))
}

// auditResults fills the page's rows, named and linked, and the link to
// older entries.
func (h *Handler) auditResults(r *http.Request, actor app.Actor, query app.AuditQuery, vm *views.AuditLogPage) error {
	page, err := h.svc.ListAudit(r.Context(), actor, query)
	if err != nil {
		return err
	}
	names, err := h.svc.NamesForAudit(r.Context(), actor, page.Entries)
	if err != nil {
		return err
	}
	vm.Rows = namedAuditRows(page.Entries, names, true)
	if page.NextCursor != "" {
		next := url.Values{}
		for k, v := range r.URL.Query() {
			next[k] = v
		}
		next.Set("cursor", string(page.NextCursor))
		vm.NextURL = "/admin/audit-logs?" + next.Encode()
	}
	return nil
}

// detailsJSON renders an entry's details for people: indented, keys sorted.
func detailsJSON(d map[string]any) string {
	if len(d) == 0 {
		return ""
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}
