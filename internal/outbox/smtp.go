package outbox

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP sends e-mail through one SMTP server, keeping a few connections
// open between messages.
type SMTP struct {
	host  string
	from  string
	opts  []mail.Option
	idle  chan *mail.Client
	label string // the URL without its password, for logs and the page
}

// NewSMTP configures e-mail from rawURL: smtp://user:pass@host:port
// (STARTTLS when the server offers it; port 587 by default) or
// smtps://user:pass@host:port (TLS from the first byte; port 465). from is
// the sender's address. tlsConf, when set, replaces the default TLS
// settings (tests trust their own certificate with it).
func NewSMTP(rawURL, from string, tlsConf *tls.Config) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("smtp: %q is not smtp://user:pass@host:port or smtps://...", rawURL)
	}
	if _, err := Normalize(Email, from); err != nil {
		return nil, fmt.Errorf("smtp: -mail-from %q is not an e-mail address", from)
	}
	host := u.Hostname()
	port := 587
	opts := []mail.Option{mail.WithTimeout(15 * time.Second)}
	switch u.Scheme {
	case "smtp":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, mail.WithSSL())
	default:
		return nil, fmt.Errorf("smtp: scheme %q: want smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("smtp: port %q", p)
		}
	}
	opts = append(opts, mail.WithPort(port))
	if tlsConf != nil {
		opts = append(opts, mail.WithTLSConfig(tlsConf))
	}
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		// AutoDiscover picks the strongest mechanism the server offers,
		// and PLAIN or LOGIN only over TLS.
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	label := u.Scheme + "://" + u.Host
	if u.User != nil {
		label = u.Scheme + "://" + u.User.Username() + "@" + u.Host
	}
	return &SMTP{host: host, from: from, opts: opts, idle: make(chan *mail.Client, 8), label: label}, nil
}

// String names the server, without the password.
func (s *SMTP) String() string { return s.label }

// Send delivers m and returns the server's answer to it.
func (s *SMTP) Send(ctx context.Context, m Outgoing) (string, error) {
	msg, err := s.message(m)
	if err != nil {
		return "", Permanent(err)
	}
	c, err := s.conn(ctx)
	if err != nil {
		return "", err
	}
	if err := c.Send(msg); err != nil {
		c.Close()
		return "", classify(err)
	}
	select {
	case s.idle <- c:
	default:
		c.Close()
	}
	return "250 " + msg.ServerResponse(), nil
}

// conn returns an idle connection that still answers, or a new one.
func (s *SMTP) conn(ctx context.Context) (*mail.Client, error) {
	for {
		select {
		case c := <-s.idle:
			if err := c.Reset(); err == nil {
				return c, nil
			}
			c.Close()
			continue
		default:
		}
		c, err := mail.NewClient(s.host, s.opts...)
		if err != nil {
			return nil, Permanent(fmt.Errorf("smtp: %w", err))
		}
		if err := c.DialWithContext(ctx); err != nil {
			return nil, classify(err)
		}
		return c, nil
	}
}

// Close closes the idle connections.
func (s *SMTP) Close() {
	for {
		select {
		case c := <-s.idle:
			c.Close()
		default:
			return
		}
	}
}

func (s *SMTP) message(m Outgoing) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(MessageID(m.Key, s.from))
	msg.SetDate()
	msg.SetGenHeader("Content-Language", m.Lang)
	msg.SetGenHeader("X-Huizhan-Key", m.Key)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if m.Unsubscribe != "" {
		msg.SetGenHeader("List-Unsubscribe", "<"+m.Unsubscribe+">")
		msg.SetGenHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	return msg, nil
}

// MessageID is the Message-ID of the message with key: the same for every
// attempt, so a copy sent again after an interrupted attempt is recognised
// as the same message by the recipient's mail client.
func MessageID(key, from string) string {
	sum := sha256.Sum256([]byte(key))
	domain := "huizhan.local"
	if _, d, ok := strings.Cut(from, "@"); ok {
		domain = d
	}
	return hex.EncodeToString(sum[:16]) + ".outbox@" + domain
}

// classify marks the server's permanent refusals (5xx) as such.
func classify(err error) error {
	var se *mail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return Permanent(err)
	}
	return err
}
