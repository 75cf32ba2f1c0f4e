package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"huizhan/internal/db"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := newFlags("serve", stderr, "Run the web server.")
	addr := fs.String("addr", env("ADDR", ":8080"), "address to listen on (HUIZHAN_ADDR)")
	dbPath := dbFlag(fs)
	demo := fs.Bool("demo", env("DEMO", "") == "1" || env("DEMO", "") == "true", "load the demo data into an empty database (HUIZHAN_DEMO=1)")
	baseURL := fs.String("base-url", env("BASE_URL", ""), "public address, used in QR code links (HUIZHAN_BASE_URL); default http://localhost:PORT. An https:// address marks cookies Secure, also behind a proxy that ends TLS")
	cert := fs.String("tls-cert", env("TLS_CERT", ""), "TLS certificate file for HTTPS (HUIZHAN_TLS_CERT)")
	key := fs.String("tls-key", env("TLS_KEY", ""), "TLS key file for HTTPS (HUIZHAN_TLS_KEY)")
	keys := fs.String("keys", env("KEYS", ""), "badge signing key file, created at first start, kept out of the database and its backups (HUIZHAN_KEYS); default badge-keys.json beside the database, or in the working directory for a postgres:// URL")
	newKeys := fs.Bool("new-keys", false, "start with a new badge key file although the database holds attendees: every badge already issued then scans as forged (only to start over after the key file is lost for good)")
	proxies := fs.String("trusted-proxies", env("TRUSTED_PROXIES", ""), "comma-separated proxy addresses allowed to set X-Forwarded-For (HUIZHAN_TRUSTED_PROXIES)")
	notify := notifyFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*cert == "") != (*key == "") {
		return errors.New("serve: -tls-cert and -tls-key go together")
	}
	lock, err := db.LockForServer(*dbPath)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer lock.Release()
	d, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()

	// Behind a proxy that ends TLS the server speaks plain HTTP, but the
	// browser sees https: the public address says which, and cookies must
	// then be Secure.
	secure := *cert != "" || strings.HasPrefix(*baseURL, "https://")
	cfg := appConfig{Secure: secure, BaseURL: *baseURL, TrustedProxies: splitList(*proxies),
		Keys: keysPath(*keys, *dbPath), NewKeys: *newKeys, Notify: *notify}
	if cfg.BaseURL == "" {
		cfg.BaseURL = defaultBaseURL(*addr, *cert != "")
	}
	a, err := newApp(d, log, cfg)
	if err != nil {
		return err
	}
	defer a.checkin.Close()
	if *demo {
		if err := loadDemoIfEmpty(ctx, a, stdout); err != nil {
			return err
		}
	}
	if pw, created, err := a.auth.EnsureAdmin(ctx, env("ADMIN_PASSWORD", "")); err != nil {
		return err
	} else if created {
		fmt.Fprintf(stdout, "Created organiser account admin with password: %s\n(shown once; set HUIZHAN_ADMIN_PASSWORD to choose it)\n", pw)
	}
	handler, _, err := a.router(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	// The sender stops with the server and is waited for, so it never
	// writes to a closed database.
	sendCtx, stopSending := context.WithCancel(ctx)
	sent := make(chan struct{})
	go func() { a.sender.Run(sendCtx); close(sent) }()
	defer func() { stopSending(); <-sent }()
	return listen(ctx, log, *addr, *cert, *key, handler)
}

// listen serves until ctx ends (SIGINT, SIGTERM), then lets requests in
// flight finish before returning, so the caller closes the database cleanly.
func listen(ctx context.Context, log *slog.Logger, addr, cert, key string, h http.Handler) error {
	srv := &http.Server{
		Addr: addr, Handler: h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // large uploads on slow venue Wi-Fi
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "tls", cert != "")
	errc := make(chan error, 1)
	go func() {
		if cert != "" {
			errc <- srv.ServeTLS(ln, cert, key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func defaultBaseURL(addr string, secure bool) string {
	scheme := "http"
	if secure {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return scheme + "://localhost"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// keysPath is the badge key file: the one named, or badge-keys.json in the
// database's directory. A PostgreSQL database has no directory here, so its
// default is the working directory; instances that share one database must
// share one key file too, and name it with -keys.
func keysPath(keys, dbPath string) string {
	if keys != "" {
		return keys
	}
	if db.IsPostgresURL(dbPath) {
		return "badge-keys.json"
	}
	return filepath.Join(filepath.Dir(strings.TrimPrefix(dbPath, "sqlite:")), "badge-keys.json")
}
