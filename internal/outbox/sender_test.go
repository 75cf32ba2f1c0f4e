package outbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jmoiron/sqlx"
)

// A change that rolls back leaves no message; one that commits sends one.
func TestRollbackSendsNothing(t *testing.T) {
	o, _ := newOutbox(t)
	ms := startMailServer(t, nil)
	s := smtpSender(t, o, ms, SenderOptions{})
	ctx := context.Background()
	boom := errors.New("the change failed")
	err := o.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := o.Enqueue(ctx, tx, mailTo("rolled-back", "a@hz.example", "zh-CN")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v", err)
	}
	enqueue(t, o, mailTo("committed", "b@hz.example", "zh-CN"))
	drain(t, s)
	got := ms.Received()
	if len(got) != 1 || got[0].Key() != "committed" {
		t.Fatalf("received %d messages (%v); want only the committed one", len(got), got)
	}
}

// The same idempotency key twice is one message.
func TestEnqueueSameKeyOnce(t *testing.T) {
	o, _ := newOutbox(t)
	ms := startMailServer(t, nil)
	enqueue(t, o, mailTo("k1", "a@hz.example", "zh-CN"))
	enqueue(t, o, mailTo("k1", "a@hz.example", "zh-CN"), mailTo("k1", "other@hz.example", "en"))
	drain(t, smtpSender(t, o, ms, SenderOptions{}))
	drain(t, smtpSender(t, o, ms, SenderOptions{}))
	if n := len(ms.Received()); n != 1 {
		t.Fatalf("received %d; want 1", n)
	}
}

// The message reaches a real SMTP server with its headers, body, link,
// unsubscribe link and language.
func TestSMTPMessageContent(t *testing.T) {
	tests := []struct {
		lang, subject, body string
	}{
		{"zh-CN", "您的参会胸卡已重新签发", "张三，您好"},
		{"en", "Your badge has been reissued", "Dear 张三"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			o, _ := newOutbox(t)
			ms := startMailServer(t, nil)
			enqueue(t, o, mailTo("content-"+tt.lang, "Zhang.San@HZ.example", tt.lang))
			drain(t, smtpSender(t, o, ms, SenderOptions{}))
			got := ms.Received()
			if len(got) != 1 {
				t.Fatalf("received %d", len(got))
			}
			m := got[0]
			h := m.Msg.Header
			if m.To != "zhang.san@hz.example" || m.From != "hui@hz.example" {
				t.Errorf("envelope %s -> %s", m.From, m.To)
			}
			if m.Subject() != tt.subject {
				t.Errorf("Subject = %q; want %q", m.Subject(), tt.subject)
			}
			if h.Get("Content-Language") != tt.lang {
				t.Errorf("Content-Language = %q", h.Get("Content-Language"))
			}
			if want := "<" + MessageID("content-"+tt.lang, "hui@hz.example") + ">"; h.Get("Message-Id") != want {
				t.Errorf("Message-ID = %q; want %q", h.Get("Message-Id"), want)
			}
			if !strings.Contains(h.Get("Content-Type"), "text/plain") || !strings.Contains(strings.ToLower(h.Get("Content-Type")), "utf-8") {
				t.Errorf("Content-Type = %q", h.Get("Content-Type"))
			}
			unsub := h.Get("List-Unsubscribe")
			if !strings.HasPrefix(unsub, "<https://hz.example/notify/unsubscribe?") || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Errorf("List-Unsubscribe = %q", unsub)
			}
			for _, want := range []string{tt.body, "https://hz.example/b/ABC123", strings.Trim(unsub, "<>"), "第三届天府科技云服务大会"} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("body lacks %q:\n%s", want, m.Body)
				}
			}
			r := statusOf(t, o, "content-"+tt.lang)
			if r.Status != StatusSent || r.SentAt == nil || !strings.HasPrefix(r.LastAnswer, "250") {
				t.Errorf("record %+v; want sent with the server's 250 answer", r)
			}
		})
	}
}

// smtp:// upgrades with STARTTLS when offered and authenticates with the
// URL's user; smtps:// speaks TLS from the start.
func TestSMTPTLSAndAuth(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	t.Run("starttls", func(t *testing.T) {
		o, _ := newOutbox(t)
		ms := startMailServer(t, func(ms *mailServer, s *smtp.Server) {
			s.TLSConfig = serverTLS
			ms.user, ms.pass = "hz", "s3cret"
		})
		tr, err := NewSMTP("smtp://hz:s3cret@"+ms.Addr, "hui@hz.example", clientTLS)
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		enqueue(t, o, mailTo("tls1", "a@hz.example", "zh-CN"))
		drain(t, NewSender(o, SenderOptions{Transports: map[Channel]Transport{Email: tr}, Now: o.now}))
		got := ms.Received()
		if len(got) != 1 || !got[0].TLS || ms.authed != "hz" {
			t.Fatalf("received %d, tls %v, authed %q; want 1 over TLS as hz", len(got), len(got) == 1 && got[0].TLS, ms.authed)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		o, _ := newOutbox(t)
		ms := startMailServer(t, func(ms *mailServer, s *smtp.Server) {
			s.TLSConfig = serverTLS
			ms.user, ms.pass = "hz", "s3cret"
		})
		tr, _ := NewSMTP("smtp://hz:wrong@"+ms.Addr, "hui@hz.example", clientTLS)
		defer tr.Close()
		enqueue(t, o, mailTo("tls2", "a@hz.example", "zh-CN"))
		drain(t, NewSender(o, SenderOptions{Transports: map[Channel]Transport{Email: tr}, Now: o.now}))
		if r := statusOf(t, o, "tls2"); r.Status == StatusSent || r.Attempts != 1 || r.LastAnswer == "" {
			t.Fatalf("record %+v; want one failed attempt with the server's answer", r)
		}
	})
	t.Run("smtps", func(t *testing.T) {
		o, _ := newOutbox(t)
		ms := &mailServer{}
		s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{ms: ms, conn: c}, nil }))
		s.Domain = "localhost"
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go s.Serve(tlsListener(ln, serverTLS))
		defer s.Close()
		tr, err := NewSMTP("smtps://"+ln.Addr().String(), "hui@hz.example", clientTLS)
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		enqueue(t, o, mailTo("tls3", "a@hz.example", "en"))
		drain(t, NewSender(o, SenderOptions{Transports: map[Channel]Transport{Email: tr}, Now: o.now}))
		if got := ms.Received(); len(got) != 1 || !got[0].TLS {
			t.Fatalf("received %d over implicit TLS; want 1", len(got))
		}
	})
}

// A server that keeps failing gets each retry after a longer wait, and the
// message is failed after the last attempt, with every answer recorded.
func TestFailingServerRetriesWithBackoff(t *testing.T) {
	o, clk := newOutbox(t)
	ms := startMailServer(t, func(ms *mailServer, _ *smtp.Server) {
		ms.fail = func(int) error {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		}
	})
	s := smtpSender(t, o, ms, SenderOptions{MaxAttempts: 4, Backoff: time.Minute})
	enqueue(t, o, mailTo("flaky", "a@hz.example", "zh-CN"))
	waits := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i, wait := range waits {
		drain(t, s)
		r := statusOf(t, o, "flaky")
		if r.Status != StatusPending || r.Attempts != i+1 || !r.NextAt.Equal(clk.Now().Add(wait)) {
			t.Fatalf("after attempt %d: %s, %d attempts, next %v; want pending, next in %v", i+1, r.Status, r.Attempts, r.NextAt.Sub(clk.Now()), wait)
		}
		clk.Add(wait - time.Second)
		if drain(t, s); ms.Tries() != i+1 {
			t.Fatalf("tried %d times before the backoff ran out; want %d", ms.Tries(), i+1)
		}
		clk.Add(time.Second)
	}
	drain(t, s)
	r := statusOf(t, o, "flaky")
	if r.Status != StatusFailed || r.Attempts != 4 || ms.Tries() != 4 {
		t.Fatalf("%s after %d attempts (%d at the server); want failed after 4", r.Status, r.Attempts, ms.Tries())
	}
	d, err := o.Get(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []string{}
	for _, a := range d.History {
		outcomes = append(outcomes, a.Outcome)
		if !strings.Contains(a.Answer, "451") {
			t.Errorf("attempt %d answer %q lacks the server's 451", a.Attempt, a.Answer)
		}
	}
	if fmt.Sprint(outcomes) != "[retry retry retry failed]" {
		t.Errorf("attempts %v", outcomes)
	}
	clk.Add(24 * time.Hour)
	if drain(t, s); ms.Tries() != 4 {
		t.Errorf("a failed message was tried again")
	}
}

// A permanent refusal (5xx) fails at once.
func TestPermanentRefusalFailsAtOnce(t *testing.T) {
	o, _ := newOutbox(t)
	ms := startMailServer(t, func(ms *mailServer, _ *smtp.Server) {
		ms.fail = func(int) error {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
	})
	enqueue(t, o, mailTo("nouser", "a@hz.example", "zh-CN"))
	drain(t, smtpSender(t, o, ms, SenderOptions{}))
	if r := statusOf(t, o, "nouser"); r.Status != StatusFailed || r.Attempts != 1 {
		t.Fatalf("%s after %d attempts; want failed after 1", r.Status, r.Attempts)
	}
}

// An address that unsubscribed gets nothing, except an organiser's test.
func TestUnsubscribedGetsNothing(t *testing.T) {
	o, _ := newOutbox(t)
	ms := startMailServer(t, nil)
	ctx := context.Background()
	if err := o.SetUnsubscribed(ctx, "Gone@hz.example", true); err != nil {
		t.Fatal(err)
	}
	test := mailTo("test1", "gone@hz.example", "zh-CN")
	test.Kind, test.Template = Test, "test"
	enqueue(t, o, mailTo("u1", "gone@hz.example", "zh-CN"), mailTo("u2", "stay@hz.example", "zh-CN"), test)
	drain(t, smtpSender(t, o, ms, SenderOptions{}))
	keys := map[string]bool{}
	for _, m := range ms.Received() {
		keys[m.Key()] = true
	}
	if keys["u1"] || !keys["u2"] || !keys["test1"] {
		t.Fatalf("received %v; want u2 and test1 only", keys)
	}
	if r := statusOf(t, o, "u1"); r.Status != StatusUnsubscribed {
		t.Errorf("u1 %s; want unsubscribed", r.Status)
	}
	// The link in the e-mail unsubscribes its address.
	u, err := o.UnsubscribeURL(ctx, "https://hz.example", "stay@hz.example")
	if err != nil {
		t.Fatal(err)
	}
	tok := u[strings.LastIndex(u, "t=")+2:]
	if err := o.CheckToken(ctx, "stay@hz.example", tok); err != nil {
		t.Errorf("its own token refused: %v", err)
	}
	if err := o.CheckToken(ctx, "gone@hz.example", tok); err == nil {
		t.Errorf("a token worked for another address")
	}
}

// A message whose lease ran out (its sender was killed mid-send) is taken
// back, the attempt recorded as interrupted, and sent again.
func TestExpiredLeaseIsTakenBack(t *testing.T) {
	o, clk := newOutbox(t)
	ms := startMailServer(t, nil)
	enqueue(t, o, mailTo("orphan", "a@hz.example", "zh-CN"))
	_, err := o.db.W.Exec(`UPDATE outbox_messages SET status = 'sending', lease_owner = 'dead', lease_until = ? WHERE idem_key = 'orphan'`,
		clk.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	s := smtpSender(t, o, ms, SenderOptions{})
	if drain(t, s); len(ms.Received()) != 0 {
		t.Fatal("sent a message another sender still holds")
	}
	clk.Add(2 * time.Minute)
	drain(t, s)
	if len(ms.Received()) != 1 {
		t.Fatalf("received %d after the lease ran out; want 1", len(ms.Received()))
	}
	d, _ := o.Get(context.Background(), statusOf(t, o, "orphan").ID)
	if len(d.History) != 2 || d.History[0].Outcome != "interrupted" || d.History[1].Outcome != "sent" || d.Status != StatusSent {
		t.Fatalf("history %+v, status %s", d.History, d.Status)
	}
}

// Without a transport, messages stay in the outbox marked "no channel",
// and go out once the channel is configured.
func TestNoChannel(t *testing.T) {
	o, _ := newOutbox(t)
	enqueue(t, o, mailTo("nc", "a@hz.example", "zh-CN"))
	drain(t, NewSender(o, SenderOptions{Now: o.now}))
	if r := statusOf(t, o, "nc"); r.Status != StatusNoChannel {
		t.Fatalf("%s; want no_channel", r.Status)
	}
	ms := startMailServer(t, nil)
	s := smtpSender(t, o, ms, SenderOptions{})
	if err := s.requeueNoChannel(context.Background()); err != nil {
		t.Fatal(err)
	}
	drain(t, s)
	if r := statusOf(t, o, "nc"); r.Status != StatusSent || len(ms.Received()) != 1 {
		t.Fatalf("%s; want sent once configured", r.Status)
	}
}

// A message for later waits until its time; a reminder whose event has
// passed expires instead of going out.
func TestSendAtAndExpiry(t *testing.T) {
	o, clk := newOutbox(t)
	ms := startMailServer(t, nil)
	later := mailTo("later", "a@hz.example", "zh-CN")
	later.Kind, later.SendAt, later.EventAt = Reminder, clk.Now().Add(time.Hour), clk.Now().Add(90*time.Minute)
	gone := mailTo("gone", "b@hz.example", "zh-CN")
	gone.Kind, gone.EventAt = Reminder, clk.Now().Add(-time.Minute)
	enqueue(t, o, later, gone)
	s := smtpSender(t, o, ms, SenderOptions{})
	drain(t, s)
	if r := statusOf(t, o, "later"); r.Status != StatusPending || !r.NextAt.Equal(clk.Now().Add(time.Hour)) {
		t.Fatalf("later: %s at %v", r.Status, r.NextAt)
	}
	if r := statusOf(t, o, "gone"); r.Status != StatusExpired {
		t.Fatalf("gone: %s; want expired", r.Status)
	}
	clk.Add(time.Hour)
	drain(t, s)
	if got := ms.Received(); len(got) != 1 || got[0].Key() != "later" {
		t.Fatalf("received %d", len(got))
	}
}
