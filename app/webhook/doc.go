// Package webhook is the protocol side of Optare's webhooks: Standard
// Webhooks signing (webhook-id, webhook-timestamp, webhook-signature) and an
// HTTP client that refuses private, loopback and link-local targets (SSRF)
// at connection time, follows no redirects and gives up after 10 seconds.
// Which events go where, retries and the delivery log are package app's.
package webhook
