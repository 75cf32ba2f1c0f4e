package outbox

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/jmoiron/sqlx"

	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/i18n"
	"huizhan/templates"
)

// newOutbox opens a migrated test database and the outbox over it, with a
// clock the test moves.
func newOutbox(t testing.TB) (*Outbox, *clock) {
	t.Helper()
	d := dbtest.Open(t, Migrations())
	return newOutboxOn(t, d)
}

func newOutboxOn(t testing.TB, d *db.DB) (*Outbox, *clock) {
	t.Helper()
	cat, err := i18n.Load(templates.FS, "locales")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 1, 18, 2, 0, 0, 0, time.UTC)} // 10:00 in Beijing
	o := New(d, cat)
	o.now = clk.Now
	return o, clk
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// enqueue writes messages in one committed transaction.
func enqueue(t testing.TB, o *Outbox, ms ...Message) {
	t.Helper()
	err := o.db.Tx(context.Background(), func(tx *sqlx.Tx) error {
		for _, m := range ms {
			if err := o.Enqueue(context.Background(), tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// drain steps the sender until a step handles nothing.
func drain(t testing.TB, s *Sender) int {
	t.Helper()
	total := 0
	for {
		n, err := s.Step(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

func statusOf(t testing.TB, o *Outbox, key string) Record {
	t.Helper()
	var r Record
	if err := o.db.R.Get(&r, `SELECT `+recordColumns+` FROM outbox_messages WHERE idem_key = ?`, key); err != nil {
		t.Fatalf("message %s: %v", key, err)
	}
	return r
}

// mailServer is a real SMTP server (go-smtp) in the test process that
// keeps what it receives.
type mailServer struct {
	Addr string
	srv  *smtp.Server

	mu       sync.Mutex
	received []*received
	tries    int
	// fail, when set, answers DATA of the n-th try (from 1) with an error.
	fail func(n int) error
	// user and pass, when set, require AUTH PLAIN with them.
	user, pass string
	tlsSeen    bool
	authed     string
	// gate, when set, is called in RCPT and may block.
	gate func()
	// discard counts messages without keeping them (benchmarks).
	discard bool
}

type received struct {
	From, To string
	Msg      *mail.Message
	Body     string // decoded
	TLS      bool
}

// Key is the outbox key the message carries.
func (r *received) Key() string { return r.Msg.Header.Get("X-Huizhan-Key") }

// Subject decodes the subject.
func (r *received) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(r.Msg.Header.Get("Subject"))
	if err != nil {
		return r.Msg.Header.Get("Subject")
	}
	return s
}

func startMailServer(t testing.TB, configure func(*mailServer, *smtp.Server)) *mailServer {
	t.Helper()
	ms := &mailServer{}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{ms: ms, conn: c}, nil
	}))
	s.Domain = "localhost"
	s.AllowInsecureAuth = false
	s.ReadTimeout = 30 * time.Second
	s.WriteTimeout = 30 * time.Second
	ms.srv = s
	if configure != nil {
		configure(ms, s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.Addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ms
}

func (ms *mailServer) Received() []*received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]*received(nil), ms.received...)
}

func (ms *mailServer) Tries() int {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.tries
}

type session struct {
	ms       *mailServer
	conn     *smtp.Conn
	authed   bool
	from, to string
}

func (s *session) AuthMechanisms() []string {
	if s.ms.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.ms.user || password != s.ms.pass {
			return errors.New("bad credentials")
		}
		s.authed = true
		s.ms.mu.Lock()
		s.ms.authed = username
		s.ms.mu.Unlock()
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.ms.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.ms.gate != nil {
		s.ms.gate()
	}
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	_, isTLS := s.conn.TLSConnectionState()
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ms.mu.Lock()
	s.ms.tries++
	n := s.ms.tries
	fail, discard := s.ms.fail, s.ms.discard
	s.ms.mu.Unlock()
	if discard {
		return nil
	}
	if fail != nil {
		if err := fail(n); err != nil {
			return err
		}
	}
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(m.Body)
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body, _ = io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(body))))
	}
	s.ms.mu.Lock()
	s.ms.received = append(s.ms.received, &received{From: s.from, To: s.to, Msg: m, Body: string(body), TLS: isTLS})
	if isTLS {
		s.ms.tlsSeen = true
	}
	s.ms.mu.Unlock()
	return nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a client config that
// trusts it.
func selfSigned(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// mailTo builds a test e-mail message.
func mailTo(key, to, lang string) Message {
	return Message{Key: key, Channel: Email, To: to, Lang: lang, Template: "badge_reissued",
		Data: map[string]any{"Name": "张三", "Edition": "第三届天府科技云服务大会"}, Link: "https://hz.example/b/ABC123"}
}

func smtpSender(t testing.TB, o *Outbox, ms *mailServer, opt SenderOptions) *Sender {
	t.Helper()
	tr, err := NewSMTP("smtp://"+ms.Addr, "hui@hz.example", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.Close)
	if opt.Transports == nil {
		opt.Transports = map[Channel]Transport{}
	}
	opt.Transports[Email] = tr
	if opt.Now == nil {
		opt.Now = o.now
	}
	if opt.BaseURL == "" {
		opt.BaseURL = "https://hz.example"
	}
	return NewSender(o, opt)
}

func tlsListener(ln net.Listener, conf *tls.Config) net.Listener { return tls.NewListener(ln, conf) }
