package outbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/i18n"
	"huizhan/internal/web"
)

// Handlers serve the organiser's outbox (page and API) and the public
// unsubscribe page.
type Handlers struct {
	site   *web.Site
	o      *Outbox
	s      *Sender
	names  map[Channel]string
	testNo func() int64
}

// NewHandlers wires the handlers; names are the configured channels'
// descriptions (no secrets).
func NewHandlers(site *web.Site, o *Outbox, s *Sender, names map[Channel]string) *Handlers {
	return &Handlers{site: site, o: o, s: s, names: names, testNo: func() int64 { return time.Now().UnixNano() }}
}

// Register adds the routes.
func (h *Handlers) Register(r *gin.Engine) {
	org := h.site.Require(web.RoleOrganiser)
	api := r.Group("/api/v1")
	api.GET("/outbox", org, h.apiList)
	api.GET("/outbox/status", org, h.apiStatus)
	api.GET("/outbox/:id", org, h.apiGet)
	api.POST("/outbox/:id/resend", org, h.apiResend)
	api.POST("/outbox/test", org, h.apiTest)
	api.PUT("/outbox/preferences", org, h.apiPreference)

	r.GET("/outbox", org, h.listPage)
	r.GET("/outbox/:id", org, h.detailPage)
	r.POST("/outbox/:id/resend", org, h.resendForm)
	r.POST("/outbox/test", org, h.testForm)
	r.POST("/outbox/preferences", org, h.preferenceForm)
	r.GET("/notify/unsubscribe", h.unsubscribePage)
	r.POST("/notify/unsubscribe", h.unsubscribeForm)
}

func (h *Handlers) filter(c *gin.Context) (Filter, web.Paging, error) {
	p, err := web.ParsePaging(c)
	f := Filter{Status: c.Query("status"), Channel: c.Query("channel"), Q: c.Query("q"), Limit: p.PerPage, Offset: p.Offset()}
	return f, p, err
}

func (h *Handlers) apiList(c *gin.Context) {
	f, p, err := h.filter(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	rs, total, err := h.o.List(c.Request.Context(), f)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(rs, total, p))
}

// ChannelState says whether a channel is configured.
type ChannelState struct {
	Configured bool   `json:"configured"`
	Name       string `json:"name,omitempty"`
}

func (h *Handlers) channels() map[Channel]ChannelState {
	out := map[Channel]ChannelState{}
	for _, ch := range []Channel{Email, SMS} {
		out[ch] = ChannelState{Configured: h.s.Configured(ch), Name: h.names[ch]}
	}
	return out
}

func (h *Handlers) apiStatus(c *gin.Context) {
	counts, err := h.o.Counts(c.Request.Context())
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"counts": counts, "channels": h.channels()})
}

func (h *Handlers) apiGet(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d Detail
	if err == nil {
		d, err = h.o.Get(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (h *Handlers) apiResend(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var r Record
	if err == nil {
		r, err = h.o.Resend(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.s.Wake()
	c.JSON(http.StatusCreated, r)
}

type testInput struct {
	To   string `json:"to" form:"to"`
	Lang string `json:"lang" form:"lang"`
}

// TestMessage is the organiser's test message to addr.
func TestMessage(addr, lang string, n int64) Message {
	return Message{Key: "test:" + strconv.FormatInt(n, 10), Channel: ChannelOf(addr), To: addr, Lang: lang,
		Template: "test", Kind: Test}
}

func (h *Handlers) apiTest(c *gin.Context) {
	var in testInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	if in.Lang == "" {
		in.Lang = web.LangOf(c)
	}
	r, err := h.o.Send(c.Request.Context(), TestMessage(in.To, in.Lang, h.testNo()))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.s.Wake()
	c.JSON(http.StatusCreated, r)
}

type preferenceInput struct {
	Address      string `json:"address" form:"address"`
	Unsubscribed bool   `json:"unsubscribed" form:"unsubscribed"`
}

func (h *Handlers) apiPreference(c *gin.Context) {
	var in preferenceInput
	err := web.BindJSON(c, &in)
	if err == nil {
		err = h.o.SetUnsubscribed(c.Request.Context(), in.Address, in.Unsubscribed)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	addr, _ := Normalize(ChannelOf(in.Address), in.Address)
	c.JSON(http.StatusOK, gin.H{"address": addr, "unsubscribed": in.Unsubscribed})
}

// listView is the outbox page's data.
type channelRow struct {
	Channel Channel
	ChannelState
}

type listView struct {
	Filter      Filter
	List        web.List[Record]
	Counts      map[string]int
	Statuses    []string
	ChannelRows []channelRow
	Missing     []Channel // channels with messages waiting and no transport
	Optouts     []string
	Error       *web.ErrorInfo
	TestTo      string
	Page, Next  int
}

func (h *Handlers) listPage(c *gin.Context) { h.showList(c, http.StatusOK, nil, "") }

func (h *Handlers) showList(c *gin.Context, status int, info *web.ErrorInfo, testTo string) {
	ctx := c.Request.Context()
	f, p, err := h.filter(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	rs, total, err := h.o.List(ctx, f)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	counts, err := h.o.Counts(ctx)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	optouts, err := h.o.Unsubscribers(ctx)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	v := listView{Filter: f, List: web.NewList(rs, total, p), Counts: counts, Statuses: Statuses,
		Optouts: optouts, Error: info, TestTo: testTo, Page: p.Page}
	if p.Page < v.List.Pages() {
		v.Next = p.Page + 1
	}
	states := h.channels()
	for _, ch := range []Channel{Email, SMS} {
		v.ChannelRows = append(v.ChannelRows, channelRow{ch, states[ch]})
		if !states[ch].Configured {
			v.Missing = append(v.Missing, ch)
		}
	}
	h.site.HTML(c, status, "outbox/list", "notify.title", v)
}

func (h *Handlers) detailPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d Detail
	if err == nil {
		d, err = h.o.Get(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "outbox/detail", "notify.detail", d)
}

func (h *Handlers) resendForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var r Record
	if err == nil {
		r, err = h.o.Resend(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.s.Wake()
	h.site.Redirect(c, "/outbox/"+strconv.FormatInt(r.ID, 10), "notify.resent")
}

func (h *Handlers) testForm(c *gin.Context) {
	to := strings.TrimSpace(c.PostForm("to"))
	_, err := h.o.Send(c.Request.Context(), TestMessage(to, web.LangOf(c), h.testNo()))
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showList(c, status, info, to)
		}
		return
	}
	h.s.Wake()
	h.site.Redirect(c, "/outbox", "notify.test_queued")
}

func (h *Handlers) preferenceForm(c *gin.Context) {
	err := h.o.SetUnsubscribed(c.Request.Context(), c.PostForm("address"), c.PostForm("unsubscribed") == "true")
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showList(c, status, info, "")
		}
		return
	}
	h.site.Redirect(c, "/outbox", "notify.optout_saved")
}

type unsubscribeView struct {
	Address, Token string
	Done, Again    bool
}

// unsubscribePage shows what the link will do; opening it changes nothing
// (mail scanners open links), the button does.
func (h *Handlers) unsubscribePage(c *gin.Context) {
	addr, tok := c.Query("a"), c.Query("t")
	if err := h.o.CheckToken(c.Request.Context(), addr, tok); err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "outbox/unsubscribe", "notify.unsubscribe_title", unsubscribeView{Address: addr, Token: tok})
}

// unsubscribeForm takes the page's button and the one-click POST of
// RFC 8058 that mail clients send to the List-Unsubscribe address.
func (h *Handlers) unsubscribeForm(c *gin.Context) {
	addr, tok := web.Pick(c.PostForm("a"), c.Query("a")), web.Pick(c.PostForm("t"), c.Query("t"))
	ctx := c.Request.Context()
	if err := h.o.CheckToken(ctx, addr, tok); err != nil {
		h.site.Fail(c, err)
		return
	}
	again := c.PostForm("again") == "1"
	if err := h.o.SetUnsubscribed(ctx, addr, !again); err != nil {
		h.site.Fail(c, err)
		return
	}
	if c.PostForm("List-Unsubscribe") == "One-Click" {
		c.String(http.StatusOK, h.site.Catalog.For(i18n.Chinese).T("notify.unsubscribe_done", map[string]any{"Address": addr}))
		return
	}
	h.site.HTML(c, http.StatusOK, "outbox/unsubscribe", "notify.unsubscribe_title",
		unsubscribeView{Address: addr, Token: tok, Done: !again, Again: again})
}
