package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
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

const licenseFactsQuery = `
		SELECT u.id, u.disabled, u.primary_org_id,
		       p.id, p.slug, p.name, p.description, p.features, p.documentation_url, p.archived_at, p.created_at, p.updated_at,
		       p.license_check_in, p.license_grace, p.machines_per_seat, p.floating, p.lease_ttl,
		       s.id, s.total_seats, s.price_minor, s.currency, s.billing_cycle, s.status, s.auto_assign, s.end_date,
		       s.created_at, s.updated_at,
		       (SELECT COUNT(*) FROM seats x WHERE x.subscription_id = s.id),
		       EXISTS (SELECT 1 FROM seats y WHERE y.subscription_id = s.id AND y.user_id = u.id)
		FROM users u
		LEFT JOIN products p ON p.id = (SELECT id FROM products WHERE id = ?2 UNION ALL SELECT id FROM products WHERE slug = ?2 LIMIT 1)
		LEFT JOIN subscriptions s ON s.org_id = u.primary_org_id AND s.product_id = p.id
		WHERE u.id = ?1
		ORDER BY s.created_at DESC, s.id DESC`

// hotStatements are the license check's statements, prepared once on the
// read pool: database/sql then keeps each prepared per connection, so the
// hot path neither re-parses SQL nor opens a transaction (one SELECT is
// its own consistent snapshot).
type hotStatements struct {
	once    sync.Once
	err     error
	license *sql.Stmt
	apiKey  *sql.Stmt
}

func (db *DB) hot(ctx context.Context) (*hotStatements, error) {
	h := &db.hotStmts
	h.once.Do(func() {
		if h.license, h.err = db.reader.PrepareContext(ctx, db.q(licenseFactsQuery)); h.err != nil {
			return
		}
		h.apiKey, h.err = db.reader.PrepareContext(ctx, db.q("SELECT "+apiKeyColumns+" FROM api_keys k JOIN organizations o ON o.id = k.org_id WHERE k.id = ?"))
	})
	if h.err != nil {
		return nil, fmt.Errorf("prepare hot statements: %w", h.err)
	}
	return h, nil
}

// LicenseFacts reads a user (by id) and a product (by id or slug) with the
// organization's subscriptions to it, each with its seat count and whether
// the user holds a seat, and the time of the read. It is the license check's common path: one indexed,
// prepared statement, no transaction and no writes.
func (db *DB) LicenseFacts(ctx context.Context, userID, productRef string) (LicenseFacts, time.Time, error) {
	h, err := db.hot(ctx)
	if err != nil {
		return LicenseFacts{}, time.Time{}, err
	}
	now := db.now().UTC()
	db.sqliteTrip()
	rows, err := h.license.QueryContext(ctx, userID, productRef)
	if err != nil {
		return LicenseFacts{}, now, err
	}
	defer rows.Close()
	f, err := scanLicenseFacts(rows)
	return f, now, err
}

// APIKeyByID finds an API key outside any transaction, with a prepared
// statement: every API request authenticates through it.
func (db *DB) APIKeyByID(ctx context.Context, id string) (APIKey, error) {
	h, err := db.hot(ctx)
	if err != nil {
		return APIKey{}, err
	}
	db.sqliteTrip()
	return scanAPIKey(h.apiKey.QueryRowContext(ctx, id))
}

// scanLicenseFacts reads the rows of licenseFactsQuery: one per
// subscription, or one without a subscription; none when the user does not
// exist (ErrNotFound).
func scanLicenseFacts(rows *sql.Rows) (LicenseFacts, error) {
	var f LicenseFacts
	found := false
	for rows.Next() {
		found = true
		var pID, pSlug, pName, pDesc, pFeatures, pDoc, pCreated, pUpdated, pArchived sql.NullString
		var sID, sStatus, sCycle, sCurrency, sEnd, sCreated, sUpdated sql.NullString
		var sSeats, sPrice, sUsed, pCheckIn, pGrace, pMachines, pLease sql.NullInt64
		var pFloating sql.NullBool
		var sAuto, seat sql.NullBool
		err := rows.Scan(&f.UserID, &f.UserDisabled, &f.UserOrgID,
			&pID, &pSlug, &pName, &pDesc, &pFeatures, &pDoc, &pArchived, &pCreated, &pUpdated,
			&pCheckIn, &pGrace, &pMachines, &pFloating, &pLease, &sID, &sSeats, &sPrice, &sCurrency, &sCycle, &sStatus, &sAuto, &sEnd, &sCreated, &sUpdated, &sUsed, &seat)
		if err != nil {
			return f, mapErr(err)
		}
		if pID.Valid && f.Product.ID == "" {
			features, err := decodeList(pFeatures.String)
			if err != nil {
				return f, fmt.Errorf("product %s: %w", pID.String, err)
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
	}
	if err := rows.Err(); err != nil {
		return f, mapErr(err)
	}
	if !found {
		return f, ErrNotFound
	}
	return f, nil
}
