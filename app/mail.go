package app

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"
)

// Message is one email: plain-text and HTML bodies of the same text.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Mailer sends email (app/smtpmail over SMTP). Without one, Optare hands
// out links for people to pass on, as before.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

//go:embed mailtext/*.txt
var mailFS embed.FS

// mailHTML holds each message's HTML template (html/template escapes what
// it fills in); the plain text is parsed with text/template per message.
var mailHTML = map[string]*htmltemplate.Template{}

func init() {
	for _, name := range []string{"invite", "reset", "notice", "verify"} {
		mailHTML[name] = htmltemplate.Must(htmltemplate.ParseFS(mailFS, "mailtext/"+name+".txt"))
	}
}

// MailEnabled reports whether Optare can send email.
func (s *Service) MailEnabled() bool { return s.mailer != nil }

// PasswordLinkURL is where a one-time password link points.
func (s *Service) PasswordLinkURL(token string) string {
	return s.Issuer() + "/password?" + url.Values{"token": {token}}.Encode()
}

// renderMail fills template name (invite, reset, notice) for to.
func renderMail(name, to string, data map[string]string) (Message, error) {
	var subject, body, html bytes.Buffer
	if mailHTML[name] == nil {
		return Message{}, fmt.Errorf("no mail template %s", name)
	}
	// Each file defines subject, text and html; parse it alone so the
	// names do not collide across files.
	one := texttemplate.Must(texttemplate.ParseFS(mailFS, "mailtext/"+name+".txt"))
	if err := one.ExecuteTemplate(&subject, "subject", data); err != nil {
		return Message{}, err
	}
	if err := one.ExecuteTemplate(&body, "text", data); err != nil {
		return Message{}, err
	}
	if err := mailHTML[name].ExecuteTemplate(&html, "html", data); err != nil {
		return Message{}, err
	}
	return Message{To: to, Subject: strings.TrimSpace(subject.String()), Text: strings.TrimSpace(body.String()) + "\n",
		HTML: html.String()}, nil
}

// sendMail renders and sends one message after the change it tells of has
// been committed. A failure is logged, not returned: the change stands.
func (s *Service) sendMail(ctx context.Context, name, to string, data map[string]string) {
	if s.mailer == nil {
		return
	}
	m, err := renderMail(name, to, data)
	if err != nil {
		s.log.ErrorContext(ctx, "render mail", "template", name, "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	if err := s.mailer.Send(ctx, m); err != nil {
		s.log.ErrorContext(ctx, "send mail", "template", name, "err", err)
	}
}

// notify tells a user their sign-in changed (a passkey, second factor or
// password), so a change they did not make does not go unnoticed.
func (s *Service) notify(ctx context.Context, userID, what string) {
	if s.mailer == nil {
		return
	}
	acc, err := s.AccountByID(ctx, userID)
	if err != nil {
		s.log.ErrorContext(ctx, "notice mail", "err", err)
		return
	}
	s.sendMail(ctx, "notice", acc.User.Email, map[string]string{"Name": acc.User.Name, "Email": acc.User.Email, "What": what})
}
