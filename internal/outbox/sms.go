package outbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"text/template"
	"time"
)

// An SMS gateway is a Transport for the SMS channel: Aliyun (Alibaba Cloud
// SMS, its RPC API signed with HMAC-SHA1) or any HTTP aggregator described
// by a URL, a method, a body template and headers.

// Aliyun sends SMS through Alibaba Cloud's SendSms. Its messages must use a
// template approved at Alibaba Cloud; Huizhan's text goes in as one
// template parameter (Param, "content" by default), so the approved
// template is "${content}" under the account's sign name.
type Aliyun struct {
	Endpoint     string // https://dysmsapi.aliyuncs.com/
	AccessKeyID  string
	AccessSecret string
	SignName     string // 签名, approved at Alibaba Cloud
	TemplateCode string // SMS_..., approved at Alibaba Cloud
	Param        string // the template's parameter name
	Client       *http.Client
	now          func() time.Time
	nonce        func() string
}

// Send calls SendSms and returns Alibaba Cloud's BizId and RequestId.
func (a *Aliyun) Send(ctx context.Context, m Outgoing) (string, error) {
	param, _ := json.Marshal(map[string]string{a.param(): m.Body})
	p := map[string]string{
		"AccessKeyId": a.AccessKeyID, "Action": "SendSms", "Format": "JSON",
		"OutId": m.Key, "PhoneNumbers": m.To, "RegionId": "cn-hangzhou",
		"SignName": a.SignName, "SignatureMethod": "HMAC-SHA1", "SignatureNonce": a.newNonce(),
		"SignatureVersion": "1.0", "TemplateCode": a.TemplateCode, "TemplateParam": string(param),
		"Timestamp": a.clock().UTC().Format("2006-01-02T15:04:05Z"), "Version": "2017-05-25",
	}
	u := strings.TrimRight(a.endpoint(), "/") + "/?" + SignedQuery(p, a.AccessSecret)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", Permanent(err)
	}
	res, err := a.client().Do(req)
	if err != nil {
		return "", fmt.Errorf("aliyun sms: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	var ans struct{ Code, Message, BizId, RequestId string }
	if err := json.Unmarshal(body, &ans); err != nil {
		return "", fmt.Errorf("aliyun sms: HTTP %d: %.200s", res.StatusCode, body)
	}
	if ans.Code != "OK" {
		err := fmt.Errorf("aliyun sms: %s: %s (request %s)", ans.Code, ans.Message, ans.RequestId)
		// Throttling and the provider's own trouble pass; anything else
		// (a bad number, template or signature) will not.
		if strings.Contains(ans.Code, "LIMIT") || strings.HasPrefix(ans.Code, "isp.") || res.StatusCode >= 500 {
			return "", err
		}
		return "", Permanent(err)
	}
	return "BizId " + ans.BizId + ", RequestId " + ans.RequestId, nil
}

// SignedQuery is Alibaba Cloud's RPC signature (version 1.0): the
// parameters sorted by name and percent-encoded, the string to sign
// "GET&%2F&" + the encoded canonical query, HMAC-SHA1 keyed with the
// secret and "&", in base64. It returns the query with Signature added.
func SignedQuery(params map[string]string, secret string) string {
	canon := CanonicalQuery(params)
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte("GET&" + PercentEncode("/") + "&" + PercentEncode(canon)))
	sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return "Signature=" + PercentEncode(sig) + "&" + canon
}

// CanonicalQuery is params sorted by name, each name and value
// percent-encoded, joined with & (Signature left out).
func CanonicalQuery(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = PercentEncode(k) + "=" + PercentEncode(params[k])
	}
	return strings.Join(parts, "&")
}

// PercentEncode is RFC 3986 encoding as Alibaba Cloud signs it: space as
// %20, * as %2A, ~ kept.
func PercentEncode(s string) string {
	e := url.QueryEscape(s)
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(e)
}

func (a *Aliyun) endpoint() string {
	if a.Endpoint == "" {
		return "https://dysmsapi.aliyuncs.com/"
	}
	return a.Endpoint
}

func (a *Aliyun) param() string {
	if a.Param == "" {
		return "content"
	}
	return a.Param
}

func (a *Aliyun) client() *http.Client {
	if a.Client == nil {
		return &http.Client{Timeout: 15 * time.Second}
	}
	return a.Client
}

func (a *Aliyun) clock() time.Time {
	if a.now == nil {
		return time.Now()
	}
	return a.now()
}

func (a *Aliyun) newNonce() string {
	if a.nonce != nil {
		return a.nonce()
	}
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// HTTPGateway sends SMS through any HTTP API: a request to URL with
// Method, Body rendered from a text/template with .To, .Text, .Key and
// .Lang (and the functions json and query to escape them), and Headers.
// A 2xx answer is success, 4xx a permanent refusal, anything else is
// retried.
type HTTPGateway struct {
	URL     string
	Method  string
	Body    *template.Template
	Headers http.Header
	Client  *http.Client
}

// NewHTTPGateway parses the body template.
func NewHTTPGateway(rawURL, method, body string, headers http.Header) (*HTTPGateway, error) {
	if method == "" {
		method = http.MethodPost
	}
	if body == "" {
		body = `{"to":{{json .To}},"text":{{json .Text}},"id":{{json .Key}}}`
	}
	t, err := template.New("sms").Funcs(template.FuncMap{
		"json": func(s string) string {
			b, _ := json.Marshal(s)
			return string(b)
		},
		"query": url.QueryEscape,
	}).Parse(body)
	if err != nil {
		return nil, fmt.Errorf("sms gateway body template: %w", err)
	}
	return &HTTPGateway{URL: rawURL, Method: strings.ToUpper(method), Body: t, Headers: headers}, nil
}

// Send renders the request and reads the gateway's answer.
func (g *HTTPGateway) Send(ctx context.Context, m Outgoing) (string, error) {
	data := map[string]string{"To": m.To, "Text": m.Body, "Key": m.Key, "Lang": m.Lang}
	var body bytes.Buffer
	if err := g.Body.Execute(&body, data); err != nil {
		return "", Permanent(err)
	}
	var rd io.Reader = &body
	u := g.URL
	if g.Method == http.MethodGet {
		rd = nil
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + body.String()
	}
	req, err := http.NewRequestWithContext(ctx, g.Method, u, rd)
	if err != nil {
		return "", Permanent(err)
	}
	for k, vs := range g.Headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if req.Header.Get("Content-Type") == "" && rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Idempotency-Key", m.Key)
	c := g.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	res, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("sms gateway: %w", err)
	}
	defer res.Body.Close()
	ans, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
	answer := fmt.Sprintf("HTTP %d %s", res.StatusCode, strings.TrimSpace(string(ans)))
	switch {
	case res.StatusCode >= 200 && res.StatusCode < 300:
		return answer, nil
	case res.StatusCode >= 400 && res.StatusCode < 500 && res.StatusCode != http.StatusTooManyRequests:
		return "", Permanent(fmt.Errorf("sms gateway: %s", answer))
	}
	return "", fmt.Errorf("sms gateway: %s", answer)
}
