package outbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Config is how an operator sets up the channels (flags of serve and
// notify test, with HUIZHAN_* fallbacks).
type Config struct {
	SMTP       string // smtp://user:pass@host:port or smtps://...
	MailFrom   string
	SMSGateway string // aliyun://KEY_ID:SECRET@dysmsapi.aliyuncs.com?sign=..&template=SMS_..  or an http(s):// URL
	SMSMethod  string // generic gateway: POST (default) or GET
	SMSBody    string // generic gateway: body template (.To .Text .Key .Lang; json, query)
	SMSHeaders string // generic gateway: "Name: value; Name: value"
	MailRate   int    // e-mails a second, per instance; 0 unpaced
	SMSRate    int    // SMS a second, per instance; 0 unpaced
	SMSPerDay  int    // SMS a recipient a day
}

// Channels are the configured transports, with a name for each that
// carries no secret.
type Channels struct {
	Transports map[Channel]Transport
	Names      map[Channel]string
	Rates      map[Channel]Rate
}

// Build makes the transports c describes; a channel left empty is not
// configured.
func (c Config) Build() (Channels, error) {
	ch := Channels{Transports: map[Channel]Transport{}, Names: map[Channel]string{}, Rates: map[Channel]Rate{}}
	if c.SMTP != "" {
		if c.MailFrom == "" {
			return ch, fmt.Errorf("-smtp needs -mail-from (HUIZHAN_MAIL_FROM)")
		}
		s, err := NewSMTP(c.SMTP, c.MailFrom, nil)
		if err != nil {
			return ch, err
		}
		ch.Transports[Email], ch.Names[Email] = s, s.String()
	}
	if c.SMSGateway != "" {
		t, name, err := c.smsGateway()
		if err != nil {
			return ch, err
		}
		ch.Transports[SMS], ch.Names[SMS] = t, name
	}
	if c.MailRate > 0 {
		ch.Rates[Email] = Rate{N: c.MailRate, Per: time.Second}
	}
	if c.SMSRate > 0 {
		ch.Rates[SMS] = Rate{N: c.SMSRate, Per: time.Second}
	}
	return ch, nil
}

func (c Config) smsGateway() (Transport, string, error) {
	u, err := url.Parse(c.SMSGateway)
	if err != nil {
		return nil, "", fmt.Errorf("-sms-gateway: %w", err)
	}
	switch u.Scheme {
	case "aliyun":
		q := u.Query()
		a := &Aliyun{AccessKeyID: u.User.Username(), SignName: q.Get("sign"), TemplateCode: q.Get("template"), Param: q.Get("param")}
		a.AccessSecret, _ = u.User.Password()
		if u.Host != "" {
			a.Endpoint = "https://" + u.Host + "/"
		}
		if a.AccessKeyID == "" || a.AccessSecret == "" || a.SignName == "" || a.TemplateCode == "" {
			return nil, "", fmt.Errorf("-sms-gateway aliyun://KEY_ID:SECRET@host?sign=签名&template=SMS_...: all four are needed")
		}
		return a, "aliyun://" + a.AccessKeyID + "@" + strings.TrimPrefix(strings.TrimSuffix(a.endpoint(), "/"), "https://"), nil
	case "http", "https":
		h := http.Header{}
		for _, kv := range strings.Split(c.SMSHeaders, ";") {
			if k, v, ok := strings.Cut(kv, ":"); ok {
				h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
		}
		g, err := NewHTTPGateway(c.SMSGateway, c.SMSMethod, c.SMSBody, h)
		if err != nil {
			return nil, "", err
		}
		return g, u.Scheme + "://" + u.Host + u.Path, nil
	}
	return nil, "", fmt.Errorf("-sms-gateway: scheme %q: want aliyun:// or http(s)://", u.Scheme)
}
