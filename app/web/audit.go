package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"optare/app"
	"optare/app/middleware"
	"optare/views"
)

const dateLayout = "2006-01-02"

// auditLog is the admin audit log: filters in the query string, so every
// view is a shareable URL; htmx swaps only the results.
func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	actor := acc.Actor(middleware.ClientIP(r))
	q := r.URL.Query()
	vm := views.AuditLogPage{
		Page:   h.page(r, "Audit logs", views.SectionAdmin, "audit-logs"),
		Filter: views.AuditFilter{Action: q.Get("action"), Actor: q.Get("actor"), Org: q.Get("org"), Since: q.Get("since"), Until: q.Get("until")},
		Fields: views.FieldErrors{},
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
	page, err := h.svc.ListAudit(r.Context(), actor, query)
	if e := app.AsError(err); err != nil && e.Kind == app.KindInvalid && len(e.Fields) > 0 {
		vm.Fields = e.Fields // the dates
	} else if err != nil {
		return err
	}
	status := http.StatusOK
	if len(vm.Fields) > 0 || vm.Error != "" {
		status = http.StatusUnprocessableEntity
		if vm.Error == "" {
			vm.Error = "Please correct the dates."
		}
	} else {
		vm.Rows = auditRows(page.Entries, true)
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
		h.render(w, r, status, views.AuditResults(vm))
		return nil
	}
	h.render(w, r, status, views.AuditLogView(vm))
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
