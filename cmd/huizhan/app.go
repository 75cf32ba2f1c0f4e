package main

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/booths"
	"huizhan/checkin"
	"huizhan/conference"
	"huizhan/conference/pairing"
	"huizhan/conference/roadshow"
	"huizhan/internal/audit"
	"huizhan/internal/auth"
	"huizhan/internal/db"
	"huizhan/internal/i18n"
	"huizhan/internal/outbox"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
	"huizhan/reports"
	"huizhan/templates"
)

// migrations lists every package's schema in dependency order.
func migrations() []db.Migrations {
	return []db.Migrations{conference.Migrations(), auth.Migrations(), roadshow.Migrations(), booths.Migrations(), checkin.Migrations(), pairing.Migrations(), outbox.Migrations(), audit.Migrations()}
}

// app is the wired application: the stores over one database and the web
// site that serves them. Built by newApp for serve, and by the tests.
type app struct {
	db         *db.DB
	log        *slog.Logger
	site       *web.Site
	conference *conference.Store
	auth       *auth.Store
	booths     *booths.Store
	roadshow   *roadshow.Store
	checkin    *checkin.Store
	pairing    *pairing.Store
	matches    *pairing.Recommender
	live       *pairing.Broker
	outbox     *outbox.Outbox
	sender     *outbox.Sender
	channels   map[outbox.Channel]string // configured channels, named without secrets
}

type appConfig struct {
	Secure         bool
	BaseURL        string
	TrustedProxies []string
	Auth           auth.Options
	Keys           string // badge key file; "" keeps a throwaway key in memory (tests)
	NewKeys        bool   // make a new key file even though badges were issued (-new-keys)
	Notify         outbox.Config
	Sender         outbox.SenderOptions // Transports and Rates come from Notify when unset
}

// openDB opens the database at path and brings its schema up to date.
func openDB(ctx context.Context, path string) (*db.DB, error) {
	d, err := db.Open(path, db.Options{})
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx, migrations()...); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// newSite loads the catalogue and templates into the site every handler
// renders through.
func newSite(log *slog.Logger, cfg appConfig) (*web.Site, error) {
	catalog, err := i18n.Load(templates.FS, "locales")
	if err != nil {
		return nil, err
	}
	renderer, err := templates.NewRenderer()
	if err != nil {
		return nil, err
	}
	return &web.Site{
		Catalog: catalog, Renderer: renderer, Log: log,
		Secure: cfg.Secure, BaseURL: strings.TrimRight(cfg.BaseURL, "/"),
		Nav: []web.NavItem{
			{Key: "nav.home", Href: "/"},
			{Key: "nav.editions", Href: "/editions"},
			{Key: "nav.projects", Href: "/projects", Roles: web.Roles},
			{Key: "nav.hall", Href: "/hall"},
			{Key: "roadshow.nav", Href: "/roadshow", Roles: []string{web.RoleOrganiser}},
			{Key: "roadshow.nav_agenda", Href: "/agenda"},
			{Key: "pairing.nav", Href: "/pairing", Roles: []string{web.RoleOrganiser, web.RoleCoordinator, web.RoleDelegation, web.RoleLeader}},
			{Key: "pairing.nav_board", Href: "/pairing/board", Roles: []string{web.RoleOrganiser, web.RoleCoordinator, web.RoleLeader}},
			{Key: "nav.booths", Href: "/booths", Roles: []string{web.RoleOrganiser, web.RoleDelegation, web.RoleLeader, web.RoleCoordinator}},
			{Key: "nav.checkin", Href: "/checkin", Roles: []string{web.RoleOrganiser, web.RoleStaff, web.RoleLeader}},
			{Key: "nav.members", Href: "/delegation/members", Roles: []string{web.RoleDelegation}},
			{Key: "checkin.leads_title", Href: "/leads", Roles: []string{web.RoleOrganiser, web.RoleLeader, web.RoleDelegation, web.RoleStaff}},
			{Key: "nav.dashboard", Href: "/dashboard", Roles: []string{web.RoleOrganiser, web.RoleLeader}},
			{Key: "nav.reports", Href: "/reports", Roles: []string{web.RoleOrganiser, web.RoleLeader}},
			{Key: "notify.nav", Href: "/outbox", Roles: []string{web.RoleOrganiser}},
			{Key: "nav.users", Href: "/admin/users", Roles: []string{web.RoleOrganiser}},
			{Key: "nav.audit", Href: "/audit", Roles: []string{web.RoleOrganiser, web.RoleLeader}},
		},
	}, nil
}

func newApp(d *db.DB, log *slog.Logger, cfg appConfig) (*app, error) {
	site, err := newSite(log, cfg)
	if err != nil {
		return nil, err
	}
	keys := checkin.NewMemoryKeyring()
	// The board's events reach every instance through the database; the
	// database was just opened, so joining its bus is quick or broken.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if cfg.Keys != "" {
		if keys, err = checkin.OpenKeyring(ctx, d, cfg.Keys, cfg.NewKeys); err != nil {
			return nil, err
		}
	}
	ob, sender, names, err := newOutbox(d, log, site, cfg)
	if err != nil {
		return nil, err
	}
	bs := booths.NewStore(d)
	live, err := pairing.StartBroker(ctx, d, log)
	if err != nil {
		return nil, err
	}
	ps := pairing.NewStore(d, live, log)
	rs := roadshow.NewStore(d, log, ps) // pairing meetings keep presenters and projects busy
	ps.UseRoadshows(rs)                 // and roadshow slots keep them from pairing tables
	conf := conference.NewStore(d, bs, checkin.Copier{}, rs).UseNotifier(ob)
	ps.UseNotifier(ob, conf)
	rs.UseNotifier(ob, conf)
	return &app{
		db: d, log: log, site: site,
		conference: conf,
		auth:       auth.NewStore(d, cfg.Auth),
		booths:     bs,
		roadshow:   rs,
		checkin:    checkin.NewStore(d, keys, conf, log).UseBooths(bs).UseNotifier(ob, site.BaseURL),
		pairing:    ps,
		matches:    pairing.NewRecommender(d, log),
		live:       live,
		outbox:     ob,
		sender:     sender,
		channels:   names,
	}, nil
}

// newOutbox builds the outbox and its sender from the channel settings.
func newOutbox(d *db.DB, log *slog.Logger, site *web.Site, cfg appConfig) (*outbox.Outbox, *outbox.Sender, map[outbox.Channel]string, error) {
	ch, err := cfg.Notify.Build()
	if err != nil {
		return nil, nil, nil, err
	}
	opt := cfg.Sender
	if opt.Transports == nil {
		opt.Transports = ch.Transports
	}
	if opt.Rates == nil {
		opt.Rates = ch.Rates
	}
	if opt.SMSPerDay == 0 {
		opt.SMSPerDay = cfg.Notify.SMSPerDay
	}
	opt.BaseURL, opt.Log = site.BaseURL, log
	ob := outbox.New(d, site.Catalog)
	return ob, outbox.NewSender(ob, opt), ch.Names, nil
}

// router builds the HTTP handler: gin with every package's routes, wrapped
// in cross-origin protection.
func (a *app) router(trustedProxies []string) (http.Handler, *gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// Only the proxies named may set X-Forwarded-For, so a client cannot
	// spoof its IP around the login rate limit.
	if err := r.SetTrustedProxies(trustedProxies); err != nil {
		return nil, nil, fmt.Errorf("trusted proxies: %w", err)
	}
	r.HandleMethodNotAllowed = false
	r.RedirectTrailingSlash = false
	authh := auth.NewHandlers(a.site, a.auth, a.conference.DelegationOptions)
	r.Use(a.site.Middleware()...)
	r.Use(authh.Identify)
	r.Use(audit.RequestActor)
	r.NoRoute(a.site.NotFound)

	r.StaticFS("/static", http.FS(templates.Static()))
	r.GET("/lang/:lang", a.site.SwitchLanguage)
	r.GET("/healthz", a.healthz)
	r.GET("/api/v1/openapi.json", a.openAPI)
	r.GET("/docs/api", a.apiReference)

	authh.Register(r)
	conference.NewHandlers(a.site, a.conference).Register(r)
	conference.NewProjectHandlers(a.site, a.conference, sheet.Limits{}).WithZones(a.booths).Register(r)
	booths.NewHandlers(a.site, a.booths).Register(r)
	roadshow.NewHandlers(a.site, a.roadshow).Register(r)
	pairing.NewHandlers(a.site, a.pairing, a.matches, a.live).Register(r)
	checkin.NewHandlers(a.site, a.checkin).UsePasswords(func(ctx context.Context, username, password string) error {
		_, err := a.auth.Authenticate(ctx, username, password)
		return err
	}).Register(r)
	outbox.NewHandlers(a.site, a.outbox, a.sender, a.channels).Register(r)
	reports.NewHandlers(a.site, reports.New(a.db, a.site.Catalog)).Register(r)
	audit.NewHandlers(a.site, audit.NewStore(a.db)).Register(r)
	return a.site.CrossOrigin(r), r, nil
}

func (a *app) healthz(c *gin.Context) {
	if err := a.db.Ping(c.Request.Context()); err != nil {
		a.log.Error("health check", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

//go:embed openapi_base.json
var openAPIBase []byte

// apiDoc merges the OpenAPI fragments of every package.
func apiDoc() ([]byte, error) {
	return web.MergeAPIDocs(openAPIBase, auth.APIDoc(), conference.APIDoc(), roadshow.APIDoc(), booths.APIDoc(), checkin.APIDoc(), reports.APIDoc(), pairing.APIDoc(), outbox.APIDoc(), audit.APIDoc())
}

// apiReference is the human-readable page of the same document, served
// from the binary with nothing from a CDN.
func (a *app) apiReference(c *gin.Context) {
	doc, err := apiDoc()
	if err != nil {
		a.site.Fail(c, err)
		return
	}
	ref, err := web.NewAPIReference(doc)
	if err != nil {
		a.site.Fail(c, err)
		return
	}
	a.site.HTML(c, http.StatusOK, "docs/api", "apidoc.title", ref)
}

func (a *app) openAPI(c *gin.Context) {
	doc, err := apiDoc()
	if err != nil {
		a.site.Fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", doc)
}
