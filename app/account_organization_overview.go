package app

import "context"

// OrganizationOverview is one organization as its admin page shows it:
// members with their roles, subscriptions with their seats, API keys, the
// OAuth clients it owns and its latest audit entries.
type OrganizationOverview struct {
	Organization  Organization
	Members       []Member
	Subscriptions []Subscription
	APIKeys       []APIKey
	Clients       []Client
	RecentAudit   []AuditEntry
	// More says a list was cut at OverviewLimit entries: the full lists are
	// on their own pages, filtered by this organization.
	More bool
}

// OverviewLimit is how many entries of each list an overview holds.
const OverviewLimit = 50

// recentAuditLimit is how many audit entries an overview holds.
const recentAuditLimit = 10

// OrganizationOverview gathers an organization's page (by id or slug).
// Operator admins only: customers see their own organization through the
// portal's pages.
func (s *Service) OrganizationOverview(ctx context.Context, a Actor, ref string) (OrganizationOverview, error) {
	if !a.IsOperatorAdmin() {
		return OrganizationOverview{}, errForbidden("")
	}
	org, members, err := s.ListMembers(ctx, a, ref)
	if err != nil {
		return OrganizationOverview{}, err
	}
	out := OrganizationOverview{Organization: org, Members: members}
	subs, err := s.ListSubscriptions(ctx, a, SubscriptionQuery{Organization: org.ID, Limit: OverviewLimit})
	if err != nil {
		return OrganizationOverview{}, err
	}
	keys, err := s.ListAPIKeys(ctx, a, APIKeyQuery{Organization: org.ID, Limit: OverviewLimit})
	if err != nil {
		return OrganizationOverview{}, err
	}
	clients, err := s.ListClients(ctx, a, org.ID, "", OverviewLimit)
	if err != nil {
		return OrganizationOverview{}, err
	}
	audit, err := s.ListAudit(ctx, a, AuditQuery{OrgID: org.ID, Limit: recentAuditLimit})
	if err != nil {
		return OrganizationOverview{}, err
	}
	out.Subscriptions, out.APIKeys, out.Clients, out.RecentAudit = subs.Subscriptions, keys.APIKeys, clients.Clients, audit.Entries
	out.More = subs.NextCursor != "" || keys.NextCursor != "" || clients.NextCursor != ""
	return out, nil
}
