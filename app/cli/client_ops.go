package cli

import (
	"context"

	"optare/app"
)

func (c *client) CreateProduct(ctx context.Context, in app.ProductInput) (out app.Product, err error) {
	return out, c.do(ctx, "POST", "/products", in, &out)
}
func (c *client) ListProducts(ctx context.Context, q app.ProductQuery) (out app.ProductPage, err error) {
	archived := ""
	if q.IncludeArchived {
		archived = "true"
	}
	return out, c.do(ctx, "GET", "/products"+query("include_archived", archived, "limit", limitParam(q.Limit), "cursor", q.Cursor), nil, &out)
}
func (c *client) Product(ctx context.Context, ref string) (out app.Product, err error) {
	return out, c.do(ctx, "GET", "/products/"+esc(ref), nil, &out)
}
func (c *client) UpdateProduct(ctx context.Context, ref string, p app.ProductPatch) (out app.Product, err error) {
	return out, c.do(ctx, "PATCH", "/products/"+esc(ref), p, &out)
}
func (c *client) CreateSubscription(ctx context.Context, in app.SubscriptionInput) (out app.Subscription, err error) {
	return out, c.do(ctx, "POST", "/subscriptions", in, &out)
}
func (c *client) ListSubscriptions(ctx context.Context, q app.SubscriptionQuery) (out app.SubscriptionPage, err error) {
	return out, c.do(ctx, "GET", "/subscriptions"+query("organization_id", q.Organization, "product_id", q.Product,
		"status", q.Status, "limit", limitParam(q.Limit), "cursor", q.Cursor), nil, &out)
}
func (c *client) Subscription(ctx context.Context, id string) (out app.Subscription, err error) {
	return out, c.do(ctx, "GET", "/subscriptions/"+esc(id), nil, &out)
}
func (c *client) UpdateSubscription(ctx context.Context, id string, p app.SubscriptionPatch) (out app.Subscription, err error) {
	return out, c.do(ctx, "PATCH", "/subscriptions/"+esc(id), p, &out)
}
func (c *client) AssignSeat(ctx context.Context, sub, user string) (out app.Seat, err error) {
	return out, c.do(ctx, "POST", "/subscriptions/"+esc(sub)+"/seats", map[string]string{"user_id": user}, &out)
}
func (c *client) UnassignSeat(ctx context.Context, sub, user string) error {
	return c.do(ctx, "DELETE", "/subscriptions/"+esc(sub)+"/seats", map[string]string{"user_id": user}, nil)
}
func (c *client) ListSeats(ctx context.Context, sub string) (out app.SeatPage, err error) {
	return out, c.do(ctx, "GET", "/subscriptions/"+esc(sub)+"/seats"+query("limit", limitParam(app.MaxLimit)), nil, &out)
}
func (c *client) CreateOrganization(ctx context.Context, in app.OrganizationInput) (out app.Organization, err error) {
	return out, c.do(ctx, "POST", "/organizations", in, &out)
}
func (c *client) ListOrganizations(ctx context.Context) (out app.OrganizationPage, err error) {
	return out, c.do(ctx, "GET", "/organizations"+query("limit", limitParam(app.MaxLimit)), nil, &out)
}
func (c *client) Organization(ctx context.Context, ref string) (out app.Organization, err error) {
	return out, c.do(ctx, "GET", "/organizations/"+esc(ref), nil, &out)
}
func (c *client) CreateUser(ctx context.Context, in app.UserInput) (out app.User, err error) {
	return out, c.do(ctx, "POST", "/users", in, &out)
}
func (c *client) ListUsers(ctx context.Context, q app.UserQuery) (out app.UserPage, err error) {
	return out, c.do(ctx, "GET", "/users"+query("organization_id", q.Organization, "limit", limitParam(q.Limit), "cursor", q.Cursor), nil, &out)
}
func (c *client) User(ctx context.Context, id string) (out app.User, err error) {
	return out, c.do(ctx, "GET", "/users/"+esc(id), nil, &out)
}
func (c *client) UpdateUser(ctx context.Context, id string, p app.UserPatch) (out app.User, err error) {
	return out, c.do(ctx, "PATCH", "/users/"+esc(id), p, &out)
}
func (c *client) CreateAPIKey(ctx context.Context, in app.APIKeyInput) (out app.NewAPIKey, err error) {
	return out, c.do(ctx, "POST", "/api-keys", in, &out)
}
func (c *client) ListAPIKeys(ctx context.Context, q app.APIKeyQuery) (out app.APIKeyPage, err error) {
	return out, c.do(ctx, "GET", "/api-keys"+query("organization_id", q.Organization, "limit", limitParam(q.Limit), "cursor", q.Cursor), nil, &out)
}
func (c *client) RevokeAPIKey(ctx context.Context, id string) (out app.APIKey, err error) {
	return out, c.do(ctx, "DELETE", "/api-keys/"+esc(id), nil, &out)
}
func (c *client) SetAPIKeyRateLimit(ctx context.Context, id string, n int) (out app.RateLimitSetting, err error) {
	return out, c.do(ctx, "PUT", "/api-keys/"+esc(id)+"/rate-limit", map[string]int{"limit": n}, &out)
}
func (c *client) SetOrganizationRateLimit(ctx context.Context, org string, n int) (out app.RateLimitSetting, err error) {
	return out, c.do(ctx, "PUT", "/organizations/"+esc(org)+"/rate-limit", map[string]int{"limit": n}, &out)
}
func (c *client) ListAudit(ctx context.Context, q app.AuditQuery) (out app.AuditPage, err error) {
	return out, c.do(ctx, "GET", "/audit-logs"+query("action", q.Action, "actor", q.Actor, "organization_id", q.OrgID,
		"since", q.Since, "until", q.Until, "limit", limitParam(q.Limit), "cursor", q.Cursor), nil, &out)
}

func (c *client) CreateClient(ctx context.Context, in app.ClientInput) (out app.ClientWithSecret, err error) {
	return out, c.do(ctx, "POST", "/clients", in, &out)
}
func (c *client) ListClients(ctx context.Context, org string) (out app.ClientPage, err error) {
	return out, c.do(ctx, "GET", "/clients"+query("limit", limitParam(app.MaxLimit), "organization_id", org), nil, &out)
}
func (c *client) Client(ctx context.Context, id string) (out app.Client, err error) {
	return out, c.do(ctx, "GET", "/clients/"+esc(id), nil, &out)
}
func (c *client) UpdateClient(ctx context.Context, id string, p app.ClientPatch) (out app.Client, err error) {
	return out, c.do(ctx, "PATCH", "/clients/"+esc(id), p, &out)
}
func (c *client) RotateClientSecret(ctx context.Context, id string) (out app.ClientWithSecret, err error) {
	return out, c.do(ctx, "POST", "/clients/"+esc(id)+"/rotate-secret", nil, &out)
}
