package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// The signing reproduces Alibaba Cloud's published SendSms example
// (help.aliyun.com/document_detail/56189, "HTTP协议及签名": AccessKeyId
// testId, secret testSecret, the string to sign and the signature below).
func TestAliyunSignatureDocExample(t *testing.T) {
	p := map[string]string{
		"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
		"PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
		"SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": `{"customer":"test"}`,
		"Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
	}
	wantCanon := "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25"
	if got := CanonicalQuery(p); got != wantCanon {
		t.Fatalf("canonical query\n got %s\nwant %s", got, wantCanon)
	}
	wantToSign := "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25"
	if got := "GET&" + PercentEncode("/") + "&" + PercentEncode(wantCanon); got != wantToSign {
		t.Fatalf("string to sign\n got %s\nwant %s", got, wantToSign)
	}
	want := "Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D&" + wantCanon
	if got := SignedQuery(p, "testSecret"); got != want {
		t.Fatalf("signed query\n got %s\nwant %s", got, want)
	}
}

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{"a b": "a%20b", "*": "%2A", "~-_.": "~-_.", "/=&+": "%2F%3D%26%2B", "派": "%E6%B4%BE"} {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q; want %q", in, got, want)
		}
	}
}

// The Aliyun transport sends a request whose signature the server can
// check with the secret, and reads the provider's answer.
func TestAliyunSend(t *testing.T) {
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()
		p := map[string]string{}
		for k := range got {
			p[k] = got.Get(k)
		}
		check := SignedQuery(p, "sk")
		if !strings.HasPrefix(check, "Signature="+PercentEncode(got.Get("Signature"))+"&") {
			json.NewEncoder(w).Encode(map[string]string{"Code": "SignatureDoesNotMatch", "Message": "bad", "RequestId": "r0"})
			return
		}
		if got.Get("PhoneNumbers") == "13900000000" {
			json.NewEncoder(w).Encode(map[string]string{"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "illegal", "RequestId": "r1"})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r2"})
	}))
	defer srv.Close()
	a := &Aliyun{Endpoint: srv.URL, AccessKeyID: "ak", AccessSecret: "sk", SignName: "会展", TemplateCode: "SMS_1"}
	ans, err := a.Send(context.Background(), Outgoing{Key: "k1", To: "13800000000", Body: "路演调整：《智能传感》改为 10:30"})
	if err != nil || !strings.Contains(ans, "900619746936498440^0") {
		t.Fatalf("Send = %q, %v", ans, err)
	}
	if got.Get("OutId") != "k1" || got.Get("SignName") != "会展" || got.Get("TemplateParam") != `{"content":"路演调整：《智能传感》改为 10:30"}` {
		t.Errorf("request %v", got)
	}
	_, err = a.Send(context.Background(), Outgoing{Key: "k2", To: "13900000000", Body: "x"})
	if err == nil || !IsPermanent(err) {
		t.Errorf("an illegal number: %v; want a permanent error", err)
	}
	a.AccessSecret = "wrong"
	if _, err := a.Send(context.Background(), Outgoing{Key: "k3", To: "13800000000", Body: "x"}); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Errorf("a wrong secret: %v", err)
	}
}

// gateway is a local HTTP SMS gateway that keeps what it is sent.
type gateway struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []gatewayRequest
}

type gatewayRequest struct {
	Method, Path, Auth, Idem string
	Body                     map[string]string
}

func startGateway(t testing.TB) *gateway {
	g := &gateway{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var body map[string]string
		json.Unmarshal(b, &body)
		g.mu.Lock()
		g.reqs = append(g.reqs, gatewayRequest{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key"), body})
		n := len(g.reqs)
		g.mu.Unlock()
		fmt.Fprintf(w, `{"id":"msg-%d"}`, n)
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *gateway) Requests() []gatewayRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]gatewayRequest(nil), g.reqs...)
}

func smsSender(t testing.TB, o *Outbox, g *gateway, opt SenderOptions) *Sender {
	t.Helper()
	tr, err := NewHTTPGateway(g.URL+"/send", "POST", `{"mobile":{{json .To}},"content":{{json .Text}}}`,
		http.Header{"Authorization": {"Bearer gw-token"}})
	if err != nil {
		t.Fatal(err)
	}
	opt.Transports = map[Channel]Transport{SMS: tr}
	opt.Now = o.now
	return NewSender(o, opt)
}

func smsTo(key, to string) Message {
	return Message{Key: key, Channel: SMS, To: to, Template: "badge_reissued",
		Data: map[string]any{"Name": "李四"}, Link: "https://hz.example/b/XYZ"}
}

// The generic gateway gets the method, body template and headers it was
// configured with.
func TestGenericGateway(t *testing.T) {
	o, _ := newOutbox(t)
	g := startGateway(t)
	enqueue(t, o, smsTo("g1", "138 0000 0001"))
	drain(t, smsSender(t, o, g, SenderOptions{}))
	reqs := g.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/send" || r.Auth != "Bearer gw-token" || r.Idem != "g1" || r.Body["mobile"] != "13800000001" ||
		r.Body["content"] != "李四，您的胸卡已重新签发，旧胸卡作废。新胸卡：https://hz.example/b/XYZ" {
		t.Fatalf("request %+v", r)
	}
	if rec := statusOf(t, o, "g1"); rec.Status != StatusSent || !strings.Contains(rec.LastAnswer, `"id":"msg-1"`) {
		t.Errorf("record %s %q", rec.Status, rec.LastAnswer)
	}
}

// An SMS reminder is held in quiet hours (22:00-08:00 Beijing) unless its
// event is within two hours; event messages are not held.
func TestQuietHoursHoldReminder(t *testing.T) {
	o, clk := newOutbox(t)
	g := startGateway(t)
	night := time.Date(2026, 1, 18, 23, 0, 0, 0, china)
	clk.Set(night)
	later := smsTo("r-later", "13800000002")
	later.Kind, later.EventAt = Reminder, night.Add(10*time.Hour)
	soon := smsTo("r-soon", "13800000003")
	soon.Kind, soon.EventAt = Reminder, night.Add(90*time.Minute)
	event := smsTo("e-night", "13800000004")
	enqueue(t, o, later, soon, event)
	s := smsSender(t, o, g, SenderOptions{})
	drain(t, s)
	sent := map[string]bool{}
	for _, r := range g.Requests() {
		sent[r.Body["mobile"]] = true
	}
	if sent["13800000002"] || !sent["13800000003"] || !sent["13800000004"] {
		t.Fatalf("sent to %v at 23:00; want the urgent reminder and the event message only", sent)
	}
	r := statusOf(t, o, "r-later")
	if want := time.Date(2026, 1, 19, 8, 0, 0, 0, china); r.Status != StatusPending || !r.NextAt.Equal(want) || r.Attempts != 0 {
		t.Fatalf("held reminder %s next %v attempts %d; want pending until %v", r.Status, r.NextAt.In(china), r.Attempts, want)
	}
	clk.Set(time.Date(2026, 1, 19, 8, 0, 0, 0, china))
	drain(t, s)
	if statusOf(t, o, "r-later").Status != StatusSent {
		t.Fatal("the held reminder did not go at 08:00")
	}
}

func TestQuietUntil(t *testing.T) {
	tests := []struct {
		h, m  int
		quiet bool
	}{{21, 59, false}, {22, 0, true}, {23, 30, true}, {0, 10, true}, {7, 59, true}, {8, 0, false}, {12, 0, false}}
	for _, tt := range tests {
		at := time.Date(2026, 1, 18, tt.h, tt.m, 0, 0, china)
		end, quiet := QuietUntil(at)
		if quiet != tt.quiet {
			t.Errorf("%02d:%02d quiet %v; want %v", tt.h, tt.m, quiet, tt.quiet)
		}
		if quiet && (end.In(china).Hour() != 8 || !end.After(at) || end.Sub(at) > 10*time.Hour) {
			t.Errorf("%02d:%02d quiet until %v", tt.h, tt.m, end.In(china))
		}
	}
}

// No recipient gets more than SMSPerDay SMS a Beijing day; the rest wait
// for the next day instead of being dropped.
func TestSMSPerRecipientDay(t *testing.T) {
	o, clk := newOutbox(t)
	g := startGateway(t)
	for i := range 5 {
		enqueue(t, o, smsTo(fmt.Sprintf("d%d", i), "13800000009"))
	}
	s := smsSender(t, o, g, SenderOptions{SMSPerDay: 3, Workers: 1})
	drain(t, s)
	if n := len(g.Requests()); n != 3 {
		t.Fatalf("sent %d on the first day; want 3", n)
	}
	clk.Set(time.Date(2026, 1, 19, 0, 0, 0, 0, china))
	drain(t, s)
	if n := len(g.Requests()); n != 5 {
		t.Fatalf("sent %d by the next day; want 5", n)
	}
}

// A bulk approval of 3,000 messages is paced by the channel's rate: each
// window sends at most its allowance, nothing is refused, and all go out.
func TestBulkIsPaced(t *testing.T) {
	o, clk := newOutbox(t)
	g := startGateway(t)
	ms := make([]Message, 3000)
	for i := range ms {
		ms[i] = smsTo(fmt.Sprintf("bulk%d", i), fmt.Sprintf("139%08d", i))
	}
	enqueue(t, o, ms...)
	s := smsSender(t, o, g, SenderOptions{Rates: map[Channel]Rate{SMS: {N: 500, Per: time.Minute}}, Batch: 100})
	for window := 1; window <= 6; window++ {
		drain(t, s)
		if n := len(g.Requests()); n != 500*window {
			t.Fatalf("window %d: %d sent in total; want %d", window, n, 500*window)
		}
		counts, _ := o.Counts(context.Background())
		if counts[StatusFailed] != 0 || counts[StatusPending] != 3000-500*window {
			t.Fatalf("window %d: %v", window, counts)
		}
		clk.Add(time.Minute)
	}
}

// Every SMS text fits one Chinese SMS (70 characters) before its link,
// with names and titles of a real event.
func TestSMSTextsFitOneMessage(t *testing.T) {
	o, _ := newOutbox(t)
	data := map[string]any{"Name": "欧阳晓明", "Edition": "第三届天府科技云服务大会", "Title": "高精度北斗定位芯片及终端产业化",
		"Other": "川西高原智慧农业灌溉需求", "Presenter": "欧阳晓明", "Session": "电子信息专场", "Room": "1号厅",
		"When": When(time.Date(2024, 1, 18, 10, 30, 0, 0, china), "zh-CN"), "Table": 12, "Note": ""}
	for _, tmpl := range []string{"test", "badge_reissued", "registered", "registration_pending", "registration_waiting",
		"registration_cancelled", "registration_links", "project_reviewed", "project_selected",
		"project_rejected", "slot_created", "slot_moved", "slot_removed", "meeting_booked", "meeting_moved", "meeting_reminder", "meeting_requested", "meeting_accepted", "meeting_declined"} {
		_, text := o.render(Message{Channel: SMS, Lang: "zh-CN", Template: tmpl, Data: data})
		if strings.Contains(text, "notify.") {
			t.Errorf("%s: no SMS text", tmpl)
		}
		if n := len([]rune(text)); n > 70 {
			t.Errorf("%s: %d characters before the link: %s", tmpl, n, text)
		}
	}
}
