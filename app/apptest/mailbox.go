package apptest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"optare/app"
	"optare/app/smtpmail"
)

// Mail is one message the in-test SMTP server received.
type Mail struct {
	From, To, Subject string
	Text, HTML        string
}

// Mailbox is a real SMTP server (go-smtp) on a loopback port that keeps
// what it receives, and the app.Mailer that sends to it.
type Mailbox struct {
	Mailer app.Mailer
	ch     chan Mail
	t      testing.TB
}

// NewMailbox starts the server for the test's lifetime.
func NewMailbox(t testing.TB) *Mailbox {
	t.Helper()
	mb := &Mailbox{ch: make(chan Mail, 32), t: t}
	srv := smtp.NewServer(backend{mb})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	m, err := smtpmail.New("smtp://"+ln.Addr().String(), "Optare <id@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	mb.Mailer = m
	return mb
}

// WithMailer is an option of New: the service sends email with m.
func WithMailer(m app.Mailer) Option { return func(o *app.Options) { o.Mailer = m } }

// Next waits (up to 5 seconds) for the next message.
func (mb *Mailbox) Next() Mail {
	mb.t.Helper()
	select {
	case m := <-mb.ch:
		return m
	case <-time.After(5 * time.Second):
		mb.t.Fatal("no email arrived")
		return Mail{}
	}
}

// Empty reports that no message is waiting (after a moment's grace).
func (mb *Mailbox) Empty() bool {
	select {
	case m := <-mb.ch:
		mb.ch <- m
		return false
	case <-time.After(200 * time.Millisecond):
		return true
	}
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// Link is the first URL in the message's plain text.
func (m Mail) Link() string { return linkRE.FindString(m.Text) }

type backend struct{ mb *Mailbox }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{mb: b.mb}, nil }

type session struct {
	mb       *Mailbox
	from, to string
}

func (s *session) Reset()                                      {}
func (s *session) Logout() error                               { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = to; return nil }

// Data parses the message as a mail client would: headers, then the
// multipart/alternative parts, quoted-printable decoded.
func (s *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	out := Mail{From: s.from, To: s.to, Subject: subject}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		var body io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(p)
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, body); err != nil {
			return err
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			out.HTML = buf.String()
		} else {
			out.Text = strings.ReplaceAll(buf.String(), "\r\n", "\n")
		}
	}
	s.mb.ch <- out
	return nil
}
