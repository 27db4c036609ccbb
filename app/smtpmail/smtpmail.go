// Package smtpmail sends Optare's email over SMTP: smtp://user:pass@host:587
// with STARTTLS, or smtps://user:pass@host:465 with TLS from the start.
package smtpmail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"optare/app"
)

// Mailer is an app.Mailer on one SMTP server.
type Mailer struct {
	host     string // host:port
	implicit bool   // smtps: TLS from the first byte
	auth     smtp.Auth
	from     mail.Address
	tls      *tls.Config
}

// New parses --smtp-url and --mail-from. A plain smtp:// URL must offer
// STARTTLS unless the server is on a loopback address (a local relay).
func New(rawURL, from string) (*Mailer, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, fmt.Errorf("--smtp-url: want smtp://user:pass@host:587 or smtps://user:pass@host:465")
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("--mail-from %q: %w", from, err)
	}
	m := &Mailer{host: u.Host, implicit: u.Scheme == "smtps", from: *addr, tls: &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}}
	if u.Port() == "" {
		port := "587"
		if m.implicit {
			port = "465"
		}
		m.host = net.JoinHostPort(u.Hostname(), port)
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pass, u.Hostname())
	}
	return m, nil
}

// WithTLSConfig sets the TLS configuration (tests trust their own CA).
func (m *Mailer) WithTLSConfig(c *tls.Config) *Mailer { m.tls = c; return m }

// Send delivers one message.
func (m *Mailer) Send(ctx context.Context, msg app.Message) error {
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	d := net.Dialer{Timeout: 15 * time.Second}
	var conn net.Conn
	if m.implicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: m.tls}).DialContext(ctx, "tcp", m.host)
	} else {
		conn, err = d.DialContext(ctx, "tcp", m.host)
	}
	if err != nil {
		return fmt.Errorf("connect to %s: %w", m.host, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(m.host)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if !m.implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tls); err != nil {
				return fmt.Errorf("starttls: %w", err)
			}
		} else if ip := net.ParseIP(host); !(host == "localhost" || (ip != nil && ip.IsLoopback())) {
			return errors.New("the SMTP server does not offer STARTTLS; use smtps:// or a server that does")
		}
	}
	if m.auth != nil {
		if err := c.Auth(m.auth); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(m.compose(to, msg)); err != nil {
		return fmt.Errorf("write message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("end message: %w", err)
	}
	return c.Quit()
}

// compose writes a multipart/alternative message, both parts
// quoted-printable.
func (m *Mailer) compose(to *mail.Address, msg app.Message) []byte {
	var rnd [12]byte
	rand.Read(rnd[:])
	boundary := "optare-" + hex.EncodeToString(rnd[:])
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", m.from.String())
	h("To", to.String())
	h("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	h("Date", time.Now().UTC().Format(time.RFC1123Z))
	h("Message-ID", "<"+hex.EncodeToString(rnd[:])+"@"+strings.TrimPrefix(m.from.Address[strings.LastIndex(m.from.Address, "@"):], "@")+">")
	h("MIME-Version", "1.0")
	h("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", msg.Text}, {"text/html", msg.HTML}} {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, part.typ)
		qp := quotedprintable.NewWriter(&b)
		qp.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n")))
		qp.Close()
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}
