package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

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
		Fields: views.FieldErrors{},
	}
	query := app.AuditQuery{Action: strings.TrimSpace(vm.Filter.Action), Actor: strings.TrimSpace(vm.Filter.Actor), Cursor: q.Get("cursor"), Limit: 50}
	if vm.Filter.Since != "" {
		t, err := time.Parse(dateLayout, vm.Filter.Since)
		if err != nil {
			vm.Fields["since"] = "Use a date like 2026-01-31."
		}
		query.Since = t
	}
	if vm.Filter.Until != "" {
		t, err := time.Parse(dateLayout, vm.Filter.Until)
		if err != nil {
			vm.Fields["until"] = "Use a date like 2026-01-31."
		}
		query.Until = t.Add(24 * time.Hour) // the whole "to" day
	}
	if ref := strings.TrimSpace(vm.Filter.Org); ref != "" {
		org, err := h.svc.OrganizationByRef(r.Context(), actor, ref)
		if err != nil && app.ErrorKind(err) != app.KindNotFound {
			return err
		}
		query.OrgID = org.ID
		if err != nil {
			vm.Error = "There is no organization " + ref + "."
		}
	}
	actions, err := h.svc.AuditActions(r.Context(), actor)
	if err != nil {
		return err
	}
	vm.Actions = actions
	status := http.StatusOK
	if len(vm.Fields) > 0 || vm.Error != "" {
		status = http.StatusUnprocessableEntity
		if vm.Error == "" {
			vm.Error = "Please correct the dates."
		}
	} else {
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
			for k, v := range q {
				next[k] = v
			}
			next.Set("cursor", string(page.NextCursor))
			vm.NextURL = "/admin/audit-logs?" + next.Encode()
		}
	}
	if isHTMX(r) {
		return h.render(w, r, status, views.AuditResults(vm))
	}
	return h.render(w, r, status, views.AuditLogView(vm))
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
