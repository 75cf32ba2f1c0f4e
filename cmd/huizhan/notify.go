package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"huizhan/internal/i18n"
	"huizhan/internal/outbox"
)

// notifyFlags adds the message channels' flags, shared by serve and
// notify test.
func notifyFlags(fs *flag.FlagSet) *outbox.Config {
	c := &outbox.Config{}
	fs.StringVar(&c.SMTP, "smtp", env("SMTP", ""), "e-mail server: smtp://user:pass@host:port (STARTTLS when offered) or smtps://... (TLS) (HUIZHAN_SMTP); none: e-mails stay in the outbox as \"no channel\"")
	fs.StringVar(&c.MailFrom, "mail-from", env("MAIL_FROM", ""), "sender address of e-mails (HUIZHAN_MAIL_FROM)")
	fs.StringVar(&c.SMSGateway, "sms-gateway", env("SMS_GATEWAY", ""), "SMS gateway: aliyun://KEY_ID:SECRET@dysmsapi.aliyuncs.com?sign=签名&template=SMS_CODE[&param=content], or an http(s):// URL of any gateway (HUIZHAN_SMS_GATEWAY)")
	fs.StringVar(&c.SMSMethod, "sms-method", env("SMS_METHOD", "POST"), "HTTP gateway: method, POST or GET (HUIZHAN_SMS_METHOD)")
	fs.StringVar(&c.SMSBody, "sms-body", env("SMS_BODY", ""), "HTTP gateway: Go template of the body (GET: of the query) with .To .Text .Key .Lang and json, query (HUIZHAN_SMS_BODY); default {\"to\":..,\"text\":..,\"id\":..}")
	fs.StringVar(&c.SMSHeaders, "sms-headers", env("SMS_HEADERS", ""), "HTTP gateway: headers, \"Name: value; Name: value\" (HUIZHAN_SMS_HEADERS)")
	fs.IntVar(&c.MailRate, "mail-rate", envInt("MAIL_RATE", 0), "e-mails a second at most, per instance; 0 unlimited (HUIZHAN_MAIL_RATE)")
	fs.IntVar(&c.SMSRate, "sms-rate", envInt("SMS_RATE", 0), "SMS a second at most, per instance: the provider's rate; 0 unlimited (HUIZHAN_SMS_RATE)")
	fs.IntVar(&c.SMSPerDay, "sms-per-day", envInt("SMS_PER_DAY", 10), "SMS a recipient may get a day; more wait for the next day (HUIZHAN_SMS_PER_DAY)")
	return c
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(env(name, "")); err == nil {
		return n
	}
	return def
}

// cmdNotify runs "notify test -to ADDRESS": it queues a test message and
// sends it through the configured channel, then says what happened.
func cmdNotify(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "test" {
		return errors.New("usage: huizhan notify test -to ADDRESS [-db DB] [-smtp URL -mail-from ADDRESS | -sms-gateway URL]")
	}
	fs := newFlags("notify test", stderr, "Send a test message to an e-mail address or mobile number through the configured channel.")
	dbPath := dbFlag(fs)
	to := fs.String("to", "", "e-mail address or mobile number")
	lang := fs.String("lang", i18n.Chinese, "language of the message: zh-CN or en")
	wait := fs.Duration("wait", 30*time.Second, "how long to wait for the provider")
	notify := notifyFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("notify test: -to is required")
	}
	d, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := newApp(d, log, appConfig{Notify: *notify, BaseURL: env("BASE_URL", "http://localhost:8080")})
	if err != nil {
		return err
	}
	defer a.checkin.Close()
	rec, err := a.outbox.Send(ctx, outbox.TestMessage(*to, *lang, time.Now().UnixNano()))
	if err != nil {
		return fmt.Errorf("notify test: %s", a.site.ExplainText(i18n.English, err))
	}
	fmt.Fprintln(stdout, a.site.Catalog.For(i18n.English).T("notify.cli_queued", map[string]any{"ID": rec.ID}))
	// A sender of its own for this one message: the server's queue, which
	// this command's channels may not cover, is left to the server.
	ch, err := notify.Build()
	if err != nil {
		return err
	}
	sender := outbox.NewSender(a.outbox, outbox.SenderOptions{Transports: ch.Transports, Only: rec.ID,
		BaseURL: a.site.BaseURL, Log: log})
	wctx, cancel := context.WithTimeout(ctx, *wait)
	defer cancel()
	for {
		if _, err := sender.Step(wctx); err != nil {
			return err
		}
		got, err := a.outbox.Get(ctx, rec.ID)
		if err != nil {
			return err
		}
		if got.Status != outbox.StatusPending && got.Status != outbox.StatusSending {
			fmt.Fprintf(stdout, "%s: %s %s\n", got.Status, got.Recipient, got.LastAnswer)
			if got.Status != outbox.StatusSent {
				return fmt.Errorf("notify test: message %d is %s", rec.ID, got.Status)
			}
			return nil
		}
		if len(got.History) > 0 {
			fmt.Fprintf(stdout, "attempt %d: %s\n", len(got.History), got.LastAnswer)
			return fmt.Errorf("notify test: message %d not sent yet; it stays queued and is retried by the server", rec.ID)
		}
		select {
		case <-wctx.Done():
			return fmt.Errorf("notify test: no answer within %v", *wait)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
