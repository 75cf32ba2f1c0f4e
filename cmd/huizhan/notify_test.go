package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"huizhan/internal/auth"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/outbox"
)

// mailCounter is a real SMTP server (go-smtp) that counts the messages it
// accepts by their outbox key. When hold is set, RCPT waits until it is
// cleared, so a test can stop every sender before its next message.
type mailCounter struct {
	addr    string
	mu      sync.Mutex
	byKey   map[string]int
	total   int
	hold    bool
	waiting int
	cond    *sync.Cond
}

func startMailCounter(t *testing.T) *mailCounter {
	t.Helper()
	mc := &mailCounter{byKey: map[string]int{}}
	mc.cond = sync.NewCond(&mc.mu)
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &countSession{mc}, nil }))
	s.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mc.addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { mc.setHold(false); s.Close() })
	return mc
}

func (mc *mailCounter) setHold(h bool) {
	mc.mu.Lock()
	mc.hold = h
	mc.mu.Unlock()
	mc.cond.Broadcast()
}

func (mc *mailCounter) counts() (total, distinct, waiting int) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	return mc.total, len(mc.byKey), mc.waiting
}

type countSession struct{ mc *mailCounter }

func (s *countSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *countSession) Rcpt(string, *smtp.RcptOptions) error {
	mc := s.mc
	mc.mu.Lock()
	defer mc.mu.Unlock()
	for mc.hold {
		mc.waiting++
		mc.cond.Wait()
		mc.waiting--
	}
	return nil
}
func (s *countSession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, m.Body)
	s.mc.mu.Lock()
	s.mc.byKey[m.Header.Get("X-Huizhan-Key")]++
	s.mc.total++
	s.mc.mu.Unlock()
	return nil
}
func (s *countSession) Reset()        {}
func (s *countSession) Logout() error { return nil }

// TestOutboxSurvivesSIGKILL queues 1,000 e-mails, lets the real server
// send part of them, kills it with SIGKILL while its workers wait on the
// SMTP server, restarts it, and checks at the SMTP server that every
// message arrived exactly once.
func TestOutboxSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server binary")
	}
	if os.Getenv(dbtest.PostgresEnv) != "" {
		// On PostgreSQL another instance may still hold a lease, so a
		// restarted one waits the lease out (5 minutes) before it takes
		// the killed one's messages back; TestTwoInstancesDeliverOnce in
		// internal/outbox covers PostgreSQL.
		t.Skip("SQLite: the restarted server takes back the killed one's messages at once")
	}
	const n = 1000
	dsn, keys := dbtest.DSN(t), t.TempDir()+"/keys.json"
	seedOutbox(t, dsn, keys, n)
	mc := startMailCounter(t)
	addr := freeAddr(t)
	notifyEnv := []string{"HUIZHAN_SMTP=smtp://" + mc.addr, "HUIZHAN_MAIL_FROM=hui@hz.example"}
	srv := startServeEnv(t, addr, dsn, keys, notifyEnv)

	// Let a few hundred through, then make every worker wait in RCPT.
	waitFor(t, 60*time.Second, func() bool { total, _, _ := mc.counts(); return total >= 300 })
	mc.setHold(true)
	var last int
	waitFor(t, 30*time.Second, func() bool {
		total, _, waiting := mc.counts()
		stable := total == last
		last = total
		return waiting > 0 && stable
	})
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	before, _, _ := mc.counts()
	mc.setHold(false)

	srv = startServeEnv(t, addr, dsn, keys, notifyEnv)
	waitFor(t, 120*time.Second, func() bool { _, distinct, _ := mc.counts(); return distinct >= n })
	time.Sleep(1500 * time.Millisecond) // a second copy would arrive by now
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()

	total, distinct, _ := mc.counts()
	t.Logf("%d delivered before SIGKILL, %d in all, %d distinct", before, total, distinct)
	if before >= n || before < 300 {
		t.Fatalf("%d delivered before the kill; the kill did not fall in the middle", before)
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	for i := range n {
		if k := fmt.Sprintf("kill-%d", i); mc.byKey[k] != 1 {
			t.Errorf("%s delivered %d times", k, mc.byKey[k])
		}
	}
}

func seedOutbox(t *testing.T, dsn, keys string, n int) {
	t.Helper()
	ctx := context.Background()
	d, err := openDB(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	a, err := newApp(d, slog.New(slog.NewTextHandler(io.Discard, nil)), appConfig{Keys: keys, Auth: auth.Options{BcryptCost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.checkin.Close()
	err = d.Tx(ctx, func(tx *sqlx.Tx) error {
		for i := range n {
			m := outbox.Message{Key: fmt.Sprintf("kill-%d", i), Channel: outbox.Email, To: fmt.Sprintf("p%d@hz.example", i),
				Template: "test"}
			if err := a.outbox.Enqueue(ctx, tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("gave up after %v", limit)
}

// startServeEnv is startServe with more environment.
func startServeEnv(t *testing.T, addr, dbPath, keys string, extra []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "-addr", addr, "-db", dbPath, "-keys", keys)
	cmd.Env = append(append(os.Environ(), "HUIZHAN_TEST_MAIN=1", "HUIZHAN_ADMIN_PASSWORD=durability-admin-pw"), extra...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	waitFor(t, 15*time.Second, func() bool {
		res, err := httpGet("http://" + addr + "/healthz")
		return err == nil && res == 200
	})
	return cmd
}

// "huizhan notify test" sends a test message through the SMTP server named
// by its flags and reports the server's answer.
func TestNotifyTestCommand(t *testing.T) {
	mc := startMailCounter(t)
	dbPath := t.TempDir() + "/cli.db"
	out, code := huizhan(t, "", "notify", "test", "-db", dbPath, "-to", "me@hz.example",
		"-smtp", "smtp://"+mc.addr, "-mail-from", "hui@hz.example")
	if code != 0 || !strings.Contains(out, "sent: me@hz.example 250") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if total, _, _ := mc.counts(); total != 1 {
		t.Fatalf("the SMTP server got %d messages; want 1", total)
	}
	out, code = huizhan(t, "", "notify", "test", "-db", dbPath, "-to", "me@hz.example")
	if code == 0 || !strings.Contains(out, "no_channel") {
		t.Fatalf("without -smtp: exit %d:\n%s", code, out)
	}
}

func httpGet(url string) (int, error) {
	res, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// The outbox API: a test message with no channel configured stays "no
// channel"; the list filters by status, a message shows its attempts, an
// ended message can be resent, and only organisers may look.
func TestOutboxAPI(t *testing.T) {
	e := newTestEnv(t)
	var rec outbox.Record
	e.do("POST", "/api/v1/outbox/test", "organiser", map[string]string{"to": "me@hz.example", "lang": "en"}, 201, &rec)
	if rec.Status != "pending" || rec.Subject != "Huizhan test message" || rec.Kind != "test" {
		t.Fatalf("test message %+v", rec)
	}
	raw := e.do("POST", "/api/v1/outbox/test", "organiser", map[string]string{"to": "not an address"}, 422, nil)
	if apiError(t, raw).Code != "invalid" {
		t.Errorf("bad address: %s", raw)
	}
	if _, err := e.app.sender.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Counts   map[string]int                 `json:"counts"`
		Channels map[string]outbox.ChannelState `json:"channels"`
	}
	e.do("GET", "/api/v1/outbox/status", "organiser", nil, 200, &st)
	if st.Counts["no_channel"] != 1 || st.Channels["email"].Configured {
		t.Fatalf("status %+v", st)
	}
	var list struct {
		Items []outbox.Record `json:"items"`
		Total int             `json:"total"`
	}
	e.do("GET", "/api/v1/outbox?status=no_channel", "organiser", nil, 200, &list)
	if list.Total != 1 || list.Items[0].ID != rec.ID {
		t.Fatalf("no_channel list %+v", list)
	}
	e.do("GET", "/api/v1/outbox?status=sent", "organiser", nil, 200, &list)
	if list.Total != 0 {
		t.Fatalf("sent list %+v", list)
	}
	e.do("GET", "/api/v1/outbox?status=bogus", "organiser", nil, 422, nil)
	var again outbox.Record
	e.do("POST", fmt.Sprintf("/api/v1/outbox/%d/resend", rec.ID), "organiser", nil, 201, &again)
	if again.ID == rec.ID || again.Status != "pending" || again.Body != rec.Body {
		t.Fatalf("resent %+v", again)
	}
	e.do("POST", fmt.Sprintf("/api/v1/outbox/%d/resend", again.ID), "organiser", nil, 409, nil)
	var d outbox.Detail
	e.do("GET", fmt.Sprintf("/api/v1/outbox/%d", rec.ID), "organiser", nil, 200, &d)
	if d.Status != "no_channel" || d.History == nil {
		t.Fatalf("detail %+v", d)
	}
	e.do("PUT", "/api/v1/outbox/preferences", "organiser", map[string]any{"address": "Me@HZ.example", "unsubscribed": true}, 200, nil)
	if off, _ := e.app.outbox.Unsubscribed(context.Background(), "me@hz.example"); !off {
		t.Error("the preference was not kept")
	}
	for _, role := range []string{"leader", "staff", "delegation", "coordinator"} {
		e.do("GET", "/api/v1/outbox", role, nil, 403, nil)
	}
	e.do("GET", "/api/v1/outbox", "", nil, 401, nil)
}

// The organiser's page says when a channel is missing, and the link in an
// e-mail unsubscribes its address only after the button is pressed.
func TestOutboxPages(t *testing.T) {
	e := newTestEnv(t)
	c := signedInClient(t, e, "organiser")
	code, body, _ := get(t, c, e.srv.URL+"/outbox")
	for _, want := range []string{"未配置", "无通道", `data-missing="email"`, "-smtp", `id="test-form"`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("outbox page (%d) lacks %q", code, want)
		}
	}
	if code, _, h := post(t, c, e.srv.URL+"/outbox/test", url.Values{"to": {"me@hz.example"}}); code != 303 || h.Get("Location") != "/outbox" {
		t.Errorf("test form: %d %s", code, h.Get("Location"))
	}
	if code, body, _ := post(t, c, e.srv.URL+"/outbox/test", url.Values{"to": {"nobody"}}); code != 422 || !strings.Contains(body, "手机号码无效") {
		t.Errorf("bad test address: %d", code)
	}
	ctx := context.Background()
	u, err := e.app.outbox.UnsubscribeURL(ctx, e.srv.URL, "guest@hz.example")
	if err != nil {
		t.Fatal(err)
	}
	anon := browserClient(t)
	if code, page, _ := get(t, anon, u); code != 200 || !strings.Contains(page, "guest@hz.example") {
		t.Fatalf("unsubscribe page %d", code)
	}
	if off, _ := e.app.outbox.Unsubscribed(ctx, "guest@hz.example"); off {
		t.Fatal("opening the link unsubscribed")
	}
	q, _ := url.ParseQuery(u[strings.Index(u, "?")+1:])
	if code, page, _ := post(t, anon, e.srv.URL+"/notify/unsubscribe", q); code != 200 || !strings.Contains(page, `id="unsubscribed"`) {
		t.Fatalf("unsubscribe: %d", code)
	}
	if off, _ := e.app.outbox.Unsubscribed(ctx, "guest@hz.example"); !off {
		t.Fatal("the button did not unsubscribe")
	}
	if code, _, _ := get(t, anon, e.srv.URL+"/notify/unsubscribe?a=guest@hz.example&t=forged"); code != 404 {
		t.Errorf("a forged link answered %d", code)
	}
}

// The notify test command sends its own message only: the server's queued
// messages, SMS among them, are left alone.
func TestNotifyTestLeavesTheQueue(t *testing.T) {
	mc := startMailCounter(t)
	dbPath := t.TempDir() + "/cli2.db"
	ctx := context.Background()
	d, err := openDB(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(d, slog.New(slog.NewTextHandler(io.Discard, nil)), appConfig{Auth: auth.Options{BcryptCost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	queued := []outbox.Message{
		{Key: "server-sms", Channel: outbox.SMS, To: "13900000021", Template: "test"},
		{Key: "server-mail", Channel: outbox.Email, To: "x@hz.example", Template: "test"},
	}
	for _, m := range queued {
		if _, err := a.outbox.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	a.checkin.Close()
	d.Close()
	out, code := huizhan(t, "", "notify", "test", "-db", dbPath, "-to", "me@hz.example",
		"-smtp", "smtp://"+mc.addr, "-mail-from", "hui@hz.example")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if total, _, _ := mc.counts(); total != 1 {
		t.Fatalf("the SMTP server got %d messages; want only the test", total)
	}
	d = openTestDB(t, dbPath)
	var statuses []string
	d.R.Select(&statuses, `SELECT status FROM outbox_messages WHERE idem_key LIKE 'server-%' ORDER BY idem_key`)
	if fmt.Sprint(statuses) != "[pending pending]" {
		t.Fatalf("the server's messages are %v; want them untouched", statuses)
	}
}
