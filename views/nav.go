package views

// Sections of the site; Page.Section selects the sidebar shown.
const (
	// SectionAdmin is the operators' admin portal under /admin.
	SectionAdmin = "admin"
	// SectionPortal is the customers' client portal under /portal.
	SectionPortal = "portal"
)

// NavItem is one link in a section's sidebar. Key is what Page.Active names.
type NavItem struct {
	Key, Label, Href string
	// Icon names the vendored icon shown before the label (see static.Icon).
	Icon string
}

// SectionNav returns the sidebar links of a section, in display order, or nil
// for any other section (sign-in, setup and error pages have no sidebar).
//
// Admin keys: dashboard, monitoring, products, subscriptions, organizations, users, clients,
// webhooks, api-keys, audit-logs. Portal keys: dashboard, subscriptions, products,
// machines, oauth-clients, account.
func SectionNav(section string) []NavItem {
	switch section {
	case SectionAdmin:
		return []NavItem{
			{"dashboard", "Dashboard", "/admin/dashboard", "layout-dashboard"},
			{"monitoring", "Monitoring", "/admin/monitoring", "activity"},
			{"products", "Products", "/admin/products", "package"},
			{"subscriptions", "Subscriptions", "/admin/subscriptions", "repeat"},
			{"organizations", "Organizations", "/admin/organizations", "building-2"},
			{"users", "Users", "/admin/users", "users"},
			{"clients", "OAuth clients", "/admin/clients", "app-window"},
			{"webhooks", "Webhooks", "/admin/webhooks", "webhook"},
			{"api-keys", "API keys", "/admin/settings/api-keys", "key-round"},
			{"audit-logs", "Audit logs", "/admin/audit-logs", "scroll-text"},
		}
	case SectionPortal:
		return []NavItem{
			{"dashboard", "Dashboard", "/portal/dashboard", "layout-dashboard"},
			{"subscriptions", "Subscriptions", "/portal/subscriptions", "repeat"},
			{"products", "Products", "/portal/products", "package"},
			{"machines", "Machines", "/portal/machines", "monitor"},
			{"oauth-clients", "Connected apps", "/portal/oauth-clients", "plug"},
			{"account", "Account", "/portal/account", "user"},
		}
	}
	return nil
}

// pageNav is the sidebar of a page: its section's items, plus Members for
// the owners and admins of a customer organization in the portal.
func pageNav(p Page) []NavItem {
	items := SectionNav(p.Section)
	if p.Section == SectionPortal && p.User != nil && p.User.OrgAdmin {
		items = append(items[:len(items)-1:len(items)-1], NavItem{"members", "Members", "/portal/members", "user-cog"},
			NavItem{"webhooks", "Webhooks", "/portal/webhooks", "webhook"}, items[len(items)-1])
	}
	return items
}

// sectionLabel names a section's sidebar for assistive technology.
func sectionLabel(section string) string {
	if section == SectionAdmin {
		return "Admin sections"
	}
	return "Portal sections"
}

// HomePath returns where the logo and "back home" links lead: the admin
// dashboard for operators, the portal dashboard for other signed-in users and
// "/" for visitors.
func HomePath(u *NavUser) string {
	switch {
	case u == nil:
		return "/"
	case u.IsOperator:
		return "/admin/dashboard"
	}
	return "/portal/dashboard"
}

// displayName is what the header shows for the signed-in user.
func displayName(u *NavUser) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// withDefaults fills the parts of p a page knows about itself, so a handler
// that leaves them empty still gets the right title and highlighted nav item.
func withDefaults(p Page, title, section, active string) Page {
	if p.Title == "" {
		p.Title = title
	}
	if p.Section == "" {
		p.Section = section
	}
	if p.Active == "" {
		p.Active = active
	}
	return p
}

// currentLabel is the label of the active item, shown in the phone menu's
// button so the current section stays visible while the menu is closed.
func currentLabel(items []NavItem, active string) string {
	for _, it := range items {
		if it.Key == active {
			return it.Label
		}
	}
	return ""
}
