package store

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestWebhookSecretsEncrypted: with an encryption key, the secrets never
// reach the file in the clear, and read back as written.
func TestWebhookSecretsEncrypted(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "o.db"), Options{EncryptionKey: bytes.Repeat([]byte{3}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Write(ctx, func(tx *Tx) error {
		if err := tx.InsertOrganization(ctx, Organization{ID: "org_1", Slug: "acme", Name: "Acme", CreatedAt: tx.Now}); err != nil {
			return err
		}
		return tx.InsertWebhookEndpoint(ctx, WebhookEndpoint{ID: "whk_1", OrgID: "org_1", URL: "https://x.example", Events: []string{},
			Secret: "whsec_c2VjcmV0", PreviousSecret: "whsec_b2xk", Enabled: true, CreatedAt: tx.Now, UpdatedAt: tx.Now})
	})
	if err != nil {
		t.Fatal(err)
	}
	var raw, rawPrev string
	db.writer.QueryRow("SELECT secret, previous_secret FROM webhook_endpoints").Scan(&raw, &rawPrev)
	if strings.Contains(raw+rawPrev, "whsec_") || !strings.HasPrefix(raw, string(encPrefix)) {
		t.Fatalf("stored %q %q", raw, rawPrev)
	}
	db.Read(ctx, func(tx *Tx) error {
		e, err := tx.WebhookEndpoint(ctx, "whk_1")
		if err != nil || e.Secret != "whsec_c2VjcmV0" || e.PreviousSecret != "whsec_b2xk" {
			t.Fatalf("read back %+v %v", e, err)
		}
		return nil
	})
}
