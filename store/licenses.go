package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LicenseFacts is everything the license check needs about one user and
// one product, read in a single query: the user, the product (ID empty when
// unknown) and every subscription of the user's organization to it, newest
// first. Which one decides is the domain's rule, not the store's.
type LicenseFacts struct {
	UserID        string
	UserDisabled  bool
	UserOrgID     string
	Product       Product
	Subscriptions []LicenseSubscription
}

// LicenseSubscription is a subscription with its seat count (SeatsUsed)
// and whether the user holds one of its seats.
type LicenseSubscription struct {
	Subscription
	HasSeat bool
}

// licenseFactsSQL reads a user (placeholder user) and a product by id or
// slug (placeholder product) with the organization's subscriptions to it:
// one row per subscription, or one without; none when the user does not
// exist. Its order (newest subscription first) is HotRead's, by the
// aliased columns.
func licenseFactsSQL(user, product string) string {
	return `SELECT u.id, u.disabled, u.primary_org_id,
		       p.id, p.slug, p.name, p.description, p.features, p.documentation_url, p.archived_at, p.created_at, p.updated_at,
		       p.license_check_in, p.license_grace, p.machines_per_seat, p.floating, p.lease_ttl,
		       s.id AS license_sub_id, s.total_seats, s.price_minor, s.currency, s.billing_cycle, s.status, s.auto_assign, s.end_date,
		       s.created_at AS license_sub_created, s.updated_at,
		       (SELECT COUNT(*) FROM seats x WHERE x.subscription_id = s.id),
		       EXISTS (SELECT 1 FROM seats y WHERE y.subscription_id = s.id AND y.user_id = u.id)
		FROM users u
		LEFT JOIN products p ON p.id = (SELECT id FROM products WHERE id = ` + product + ` UNION ALL SELECT id FROM products WHERE slug = ` + product + ` LIMIT 1)
		LEFT JOIN subscriptions s ON s.org_id = u.primary_org_id AND s.product_id = p.id
		WHERE u.id = ` + user
}

// licenseFactsWidth is the number of columns of licenseFactsSQL.
const licenseFactsWidth = 29

// LicenseFacts reads a user (by id) and a product (by id or slug) with the
// organization's subscriptions to it, each with its seat count and whether
// the user holds a seat, and the time of the read: one statement
// (HotRead), no transaction and no writes. A user that does not exist is
// ErrNotFound.
func (db *DB) LicenseFacts(ctx context.Context, userID, productRef string) (LicenseFacts, time.Time, error) {
	f, err := db.HotRead(ctx, HotQuery{License: &LicenseRef{UserID: userID, Product: productRef}})
	if err == nil && !f.LicenseFound {
		err = ErrNotFound
	}
	return f.License, f.Now, err
}

// addRow adds one row of licenseFactsSQL to f.
func (f *LicenseFacts) addRow(row scanner) error {
	var pID, pSlug, pName, pDesc, pFeatures, pDoc, pCreated, pUpdated, pArchived sql.NullString
	var sID, sStatus, sCycle, sCurrency, sEnd, sCreated, sUpdated sql.NullString
	var sSeats, sPrice, sUsed, pCheckIn, pGrace, pMachines, pLease sql.NullInt64
	var pFloating sql.NullBool
	var sAuto, seat sql.NullBool
	err := row.Scan(&f.UserID, &f.UserDisabled, &f.UserOrgID,
		&pID, &pSlug, &pName, &pDesc, &pFeatures, &pDoc, &pArchived, &pCreated, &pUpdated,
		&pCheckIn, &pGrace, &pMachines, &pFloating, &pLease, &sID, &sSeats, &sPrice, &sCurrency, &sCycle, &sStatus, &sAuto, &sEnd, &sCreated, &sUpdated, &sUsed, &seat)
	if err != nil {
		return mapErr(err)
	}
	if pID.Valid && f.Product.ID == "" {
		features, err := decodeList(pFeatures.String)
		if err != nil {
			return fmt.Errorf("product %s: %w", pID.String, err)
		}
		f.Product = Product{ID: pID.String, Slug: pSlug.String, Name: pName.String, Description: pDesc.String,
			Features: features, DocumentationURL: pDoc.String, ArchivedAt: parseNullTime(pArchived),
			CreatedAt: parseTime(pCreated.String), UpdatedAt: parseTime(pUpdated.String),
			LicenseCheckIn: int(pCheckIn.Int64), LicenseGrace: int(pGrace.Int64),
			MachinesPerSeat: int(pMachines.Int64), Floating: pFloating.Bool, LeaseTTL: int(pLease.Int64)}
	}
	if sID.Valid {
		f.Subscriptions = append(f.Subscriptions, LicenseSubscription{Subscription: Subscription{ID: sID.String,
			OrgID: f.UserOrgID, ProductID: pID.String, TotalSeats: int(sSeats.Int64),
			PriceMinor: sPrice.Int64, Currency: sCurrency.String, BillingCycle: sCycle.String, Status: sStatus.String,
			AutoAssign: sAuto.Bool, EndDate: parseNullTime(sEnd), CreatedAt: parseTime(sCreated.String),
			UpdatedAt: parseTime(sUpdated.String), SeatsUsed: int(sUsed.Int64)}, HasSeat: seat.Bool})
	}
	return nil
}
