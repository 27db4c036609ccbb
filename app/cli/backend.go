package cli

import (
	"context"
	"os"

	ucli "github.com/urfave/cli/v2"

	"optare/app"
)

// backend is what the catalogue commands call: the service on the local
// database (as the CLI actor), or a running server's REST API (--server).
// Both return the same app types, so --json prints the API's JSON either way.
type backend interface {
	CreateProduct(ctx context.Context, in app.ProductInput) (app.Product, error)
	ListProducts(ctx context.Context, q app.ProductQuery) (app.ProductPage, error)
	Product(ctx context.Context, ref string) (app.Product, error)
	UpdateProduct(ctx context.Context, ref string, p app.ProductPatch) (app.Product, error)
	CreateSubscription(ctx context.Context, in app.SubscriptionInput) (app.Subscription, error)
	ListSubscriptions(ctx context.Context, q app.SubscriptionQuery) (app.SubscriptionPage, error)
	Subscription(ctx context.Context, id string) (app.Subscription, error)
	UpdateSubscription(ctx context.Context, id string, p app.SubscriptionPatch) (app.Subscription, error)
	AssignSeat(ctx context.Context, subscriptionID, userID string) (app.Seat, error)
	UnassignSeat(ctx context.Context, subscriptionID, userID string) error
	ListSeats(ctx context.Context, subscriptionID string) (app.SeatPage, error)
	CreateOrganization(ctx context.Context, in app.OrganizationInput) (app.Organization, error)
	ListOrganizations(ctx context.Context) (app.OrganizationPage, error)
	Organization(ctx context.Context, ref string) (app.Organization, error)
	CreateUser(ctx context.Context, in app.UserInput) (app.User, error)
	ListUsers(ctx context.Context, q app.UserQuery) (app.UserPage, error)
	User(ctx context.Context, id string) (app.User, error)
	UpdateUser(ctx context.Context, id string, p app.UserPatch) (app.User, error)
	CreateAPIKey(ctx context.Context, in app.APIKeyInput) (app.NewAPIKey, error)
	ListAPIKeys(ctx context.Context, q app.APIKeyQuery) (app.APIKeyPage, error)
	RevokeAPIKey(ctx context.Context, id string) (app.APIKey, error)
	SetAPIKeyRateLimit(ctx context.Context, id string, perMinute int) (app.RateLimitSetting, error)
	SetOrganizationRateLimit(ctx context.Context, org string, perHour int) (app.RateLimitSetting, error)
	ListAudit(ctx context.Context, q app.AuditQuery) (app.AuditPage, error)
	Usage(ctx context.Context, q app.UsageQuery) (app.UsageReport, error)
	CreateClient(ctx context.Context, in app.ClientInput) (app.ClientWithSecret, error)
	ListClients(ctx context.Context, org string) (app.ClientPage, error)
	Client(ctx context.Context, id string) (app.Client, error)
	UpdateClient(ctx context.Context, id string, p app.ClientPatch) (app.Client, error)
	RotateClientSecret(ctx context.Context, id string) (app.ClientWithSecret, error)
}

// openBackend picks the REST API when --server (OPTARE_SERVER) is given,
// the local database otherwise. Writing to the local file is safe while
// optare serve runs: SQLite's WAL and busy timeout let both write.
func openBackend(c *ucli.Context, e *env) (backend, func(), error) {
	if server := globalString(c, "server"); server != "" {
		cl, err := newClient(server, os.Getenv("OPTARE_API_KEY"), os.Getenv("OPTARE_API_SECRET"))
		return cl, func() {}, err
	}
	svc, closeDB, err := openService(c, discardLogger())
	if err != nil {
		return nil, nil, err
	}
	return local{svc: svc, a: app.CLI()}, closeDB, nil
}

// local runs each command as one service call by the CLI actor.
type local struct {
	svc *app.Service
	a   app.Actor
}

func (l local) CreateProduct(ctx context.Context, in app.ProductInput) (app.Product, error) {
	return l.svc.CreateProduct(ctx, l.a, in)
}
func (l local) ListProducts(ctx context.Context, q app.ProductQuery) (app.ProductPage, error) {
	return l.svc.ListProducts(ctx, l.a, q)
}
func (l local) Product(ctx context.Context, ref string) (app.Product, error) {
	return l.svc.ProductByRef(ctx, l.a, ref)
}
func (l local) UpdateProduct(ctx context.Context, ref string, p app.ProductPatch) (app.Product, error) {
	return l.svc.UpdateProduct(ctx, l.a, ref, p)
}
func (l local) CreateSubscription(ctx context.Context, in app.SubscriptionInput) (app.Subscription, error) {
	return l.svc.CreateSubscription(ctx, l.a, in)
}
func (l local) ListSubscriptions(ctx context.Context, q app.SubscriptionQuery) (app.SubscriptionPage, error) {
	return l.svc.ListSubscriptions(ctx, l.a, q)
}
func (l local) Subscription(ctx context.Context, id string) (app.Subscription, error) {
	return l.svc.SubscriptionByID(ctx, l.a, id)
}
func (l local) UpdateSubscription(ctx context.Context, id string, p app.SubscriptionPatch) (app.Subscription, error) {
	return l.svc.UpdateSubscription(ctx, l.a, id, p)
}
func (l local) AssignSeat(ctx context.Context, sub, user string) (app.Seat, error) {
	return l.svc.AssignSeat(ctx, l.a, sub, user)
}
func (l local) UnassignSeat(ctx context.Context, sub, user string) error {
	return l.svc.UnassignSeat(ctx, l.a, sub, user)
}
func (l local) ListSeats(ctx context.Context, sub string) (app.SeatPage, error) {
	return l.svc.ListSeats(ctx, l.a, sub, "", app.MaxLimit)
}
func (l local) CreateOrganization(ctx context.Context, in app.OrganizationInput) (app.Organization, error) {
	return l.svc.CreateOrganization(ctx, l.a, in)
}
func (l local) ListOrganizations(ctx context.Context) (app.OrganizationPage, error) {
	return l.svc.ListOrganizations(ctx, l.a, "", app.MaxLimit)
}
func (l local) Organization(ctx context.Context, ref string) (app.Organization, error) {
	return l.svc.OrganizationByRef(ctx, l.a, ref)
}
func (l local) CreateUser(ctx context.Context, in app.UserInput) (app.User, error) {
	return l.svc.CreateUser(ctx, l.a, in)
}
func (l local) ListUsers(ctx context.Context, q app.UserQuery) (app.UserPage, error) {
	return l.svc.ListUsers(ctx, l.a, q)
}
func (l local) User(ctx context.Context, id string) (app.User, error) {
	return l.svc.UserByID(ctx, l.a, id)
}
func (l local) UpdateUser(ctx context.Context, id string, p app.UserPatch) (app.User, error) {
	return l.svc.UpdateUser(ctx, l.a, id, p)
}
func (l local) CreateAPIKey(ctx context.Context, in app.APIKeyInput) (app.NewAPIKey, error) {
	return l.svc.CreateAPIKey(ctx, l.a, in)
}
func (l local) ListAPIKeys(ctx context.Context, q app.APIKeyQuery) (app.APIKeyPage, error) {
	return l.svc.ListAPIKeys(ctx, l.a, q)
}
func (l local) RevokeAPIKey(ctx context.Context, id string) (app.APIKey, error) {
	return l.svc.RevokeAPIKey(ctx, l.a, id)
}
func (l local) SetAPIKeyRateLimit(ctx context.Context, id string, n int) (app.RateLimitSetting, error) {
	return l.svc.SetAPIKeyRateLimit(ctx, l.a, id, n)
}
func (l local) SetOrganizationRateLimit(ctx context.Context, org string, n int) (app.RateLimitSetting, error) {
	return l.svc.SetOrganizationRateLimit(ctx, l.a, org, n)
}
func (l local) ListAudit(ctx context.Context, q app.AuditQuery) (app.AuditPage, error) {
	return l.svc.ListAudit(ctx, l.a, q)
}

func (l local) CreateClient(ctx context.Context, in app.ClientInput) (app.ClientWithSecret, error) {
	return l.svc.CreateClient(ctx, l.a, in)
}
func (l local) ListClients(ctx context.Context, org string) (app.ClientPage, error) {
	return l.svc.ListClients(ctx, l.a, org, "", app.MaxLimit)
}
func (l local) Client(ctx context.Context, id string) (app.Client, error) {
	return l.svc.ClientByID(ctx, l.a, id)
}
func (l local) UpdateClient(ctx context.Context, id string, p app.ClientPatch) (app.Client, error) {
	return l.svc.UpdateClient(ctx, l.a, id, p)
}
func (l local) RotateClientSecret(ctx context.Context, id string) (app.ClientWithSecret, error) {
	return l.svc.RotateClientSecret(ctx, l.a, id)
}
