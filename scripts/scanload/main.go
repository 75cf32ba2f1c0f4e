// Command scanload measures the scan endpoint under load against a
// do-nothing gin handler in the same run, on loopback:
//
//	go run -tags sqlite_fts5 ./scripts/scanload [-c 64] [-d 10s] [-attendees 3000]
//
// By default it starts both servers in this process: the real router
// pieces a scan passes through (middleware, bearer sign-in, the check-in
// handlers and store, group-committed synchronous=FULL SQLite in a
// temporary directory) with the demo's attendees and checkpoints, and a
// bare gin engine whose handler only answers 200. Each client sends scans
// of random attendees (each scanned many times: mostly duplicates at a
// once-a-day gate) with fresh scan_ids, one request at a time over a
// kept-alive connection.
//
// With -db postgres://... the servers use PostgreSQL instead (an empty
// database: the run works in a schema of its own), and -instances 2 starts
// two app instances on it, each with its own connections and scan writer,
// the clients split between them:
//
//	go run -tags sqlite_fts5 ./scripts/scanload -db postgres://localhost/huizhan -instances 2
//
// To load a running server instead, give -url, -token (a staff or
// organiser bearer token), -checkpoint (an ID) and -codes (a file with one
// badge code per line); the baseline then still runs in this process.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/booths"
	"huizhan/checkin"
	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/i18n"
	"huizhan/internal/web"
	"huizhan/templates"
)

func main() {
	clients := flag.Int("c", 64, "concurrent clients")
	dur := flag.Duration("d", 10*time.Second, "duration of each run")
	url := flag.String("url", "", "base URL of a running server (default: start one in this process)")
	token := flag.String("token", "", "bearer token for -url")
	point := flag.Int64("checkpoint", 0, "checkpoint ID for -url")
	codesFile := flag.String("codes", "", "file of badge codes, one a line, for -url")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the scan run (server and clients) to this file")
	dsn := flag.String("db", "", "database of the in-process servers: a SQLite file (default: a temporary one) or an empty postgres:// database")
	instances := flag.Int("instances", 1, "app instances on that database, each with its own scan writer; clients spread over them")
	flag.Parse()
	if err := run(*clients, *dur, *dsn, *instances, *url, *token, *point, *codesFile, *cpuProfile); err != nil {
		fmt.Fprintln(os.Stderr, "scanload:", err)
		os.Exit(1)
	}
}

func run(clients int, dur time.Duration, dsn string, instances int, url, token string, point int64, codesFile, cpuProfile string) error {
	gin.SetMode(gin.ReleaseMode)
	base, stopBase, err := serve(baseline())
	if err != nil {
		return err
	}
	defer stopBase()
	var codes []string
	urls := []string{url}
	if url == "" {
		if dsn == "" {
			dir, err := os.MkdirTemp("", "scanload-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			dsn = filepath.Join(dir, "load.db")
		}
		var stop func()
		urls, token, point, codes, stop, err = startServers(dsn, instances)
		if err != nil {
			return err
		}
		defer stop()
	} else if codes, err = readLines(codesFile); err != nil {
		return err
	}
	if len(codes) == 0 {
		return fmt.Errorf("no badge codes")
	}
	fmt.Printf("%d clients, %s per run, %d distinct badges, %d instance(s), GOMAXPROCS %d\n",
		clients, dur, len(codes), len(urls), maxProcs())
	b := load(clients, dur, func(int, int) *http.Request { return post(base+"/noop", "", codes[0], "x") })
	report("do-nothing gin handler", b)
	scanURLs := make([]string, len(urls))
	for i, u := range urls {
		scanURLs[i] = fmt.Sprintf("%s/api/v1/checkpoints/%d/scans", strings.TrimRight(u, "/"), point)
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	s := load(clients, dur, func(w, i int) *http.Request {
		// Each client keeps to one instance, as a proxy's sticky
		// connection would.
		return post(scanURLs[w%len(scanURLs)], token, codes[rand.IntN(len(codes))], uuidV7())
	})
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	report("scan endpoint", s)
	fmt.Printf("scan rate / baseline rate: %.0f%%\n", 100*s.rate()/b.rate())
	return nil
}

// uuidV7 is a scan_id as stations make them: a version 7 UUID, the time
// in milliseconds and then random bits.
func uuidV7() string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	for i := 6; i < 16; i++ {
		b[i] = byte(rand.Uint32())
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func maxProcs() int { return runtime.GOMAXPROCS(0) }

func baseline() http.Handler {
	r := gin.New()
	r.POST("/noop", func(c *gin.Context) { c.Status(http.StatusOK) })
	return r
}

func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// startServers builds the scan path of the real application over a fresh
// database with the demo's third edition in it: n instances, each with its
// own connections, store and scan writer, sharing the badge key as
// instances behind one proxy share the key file. dsn is a SQLite file or a
// postgres:// URL (an empty database: the run adds its own schema and
// drops it afterwards).
func startServers(dsn string, n int) (urls []string, token string, point int64, codes []string, stop func(), err error) {
	ctx := context.Background()
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	if db.IsPostgresURL(dsn) {
		var drop func()
		if dsn, drop, err = db.ScratchSchema(ctx, dsn, "scanload"); err != nil {
			return
		}
		stops = append(stops, drop)
	}
	// Formatted and dropped: the cost of the request log without a terminal.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	keys := checkin.NewMemoryKeyring()
	site, err := newSite(log)
	if err != nil {
		return
	}
	for i := range n {
		var d *db.DB
		if d, err = db.Open(dsn, db.Options{}); err != nil {
			return
		}
		stops = append(stops, func() { d.Close() })
		if err = d.Migrate(ctx, conference.Migrations(), auth.Migrations(), booths.Migrations(), checkin.Migrations()); err != nil {
			return
		}
		conf := conference.NewStore(d, checkin.Copier{})
		store := checkin.NewStore(d, keys, conf, log)
		stops = append(stops, store.Close)
		authStore := auth.NewStore(d, auth.Options{})
		if i == 0 {
			if point, codes, token, err = seed(ctx, conf, store, authStore); err != nil {
				return
			}
		}
		r := gin.New()
		r.Use(site.Middleware()...)
		r.Use(auth.NewHandlers(site, authStore, nil).Identify)
		checkin.NewHandlers(site, store).Register(r)
		var url string
		var stopHTTP func()
		if url, stopHTTP, err = serve(site.CrossOrigin(r)); err != nil {
			return
		}
		stops = append(stops, stopHTTP)
		urls = append(urls, url)
	}
	return urls, token, point, codes, stop, nil
}

// seed makes the edition, its demo attendees and checkpoints, and a gate
// account, and returns the gate checkpoint, the badge codes and a token.
func seed(ctx context.Context, conf *conference.Store, store *checkin.Store, authStore *auth.Store) (point int64, codes []string, token string, err error) {
	// The edition runs today and tomorrow (Beijing): badges are checked
	// against their valid days, so the scans must fall within them.
	y, m, dd := time.Now().In(time.FixedZone("CST", 8*3600)).Date()
	today := civil.NewDate(y, m, dd)
	e, err := conf.CreateEdition(ctx, conference.EditionInput{Number: 3, Name: "第三届天府科技云服务大会", Year: y,
		StartsOn: today, EndsOn: today.AddDays(1), City: "成都"})
	if err != nil {
		return
	}
	if err = store.SeedDemo(ctx, conference.Demo{Editions: []conference.Edition{e}}); err != nil {
		return
	}
	points, err := store.Checkpoints(ctx, e.ID)
	if err != nil {
		return
	}
	point = points[0].ID // a gate, once a day: mostly duplicates, every scan stored
	as, _, err := store.Attendees(ctx, e.ID, checkin.AttendeeFilter{}, web.Paging{Page: 1, PerPage: 5000})
	if err != nil {
		return
	}
	for _, a := range as {
		codes = append(codes, a.Code)
	}
	u, err := authStore.CreateUser(ctx, auth.NewUser{Username: "gate", Password: "load-test-password", Role: web.RoleStaff})
	if err != nil {
		return
	}
	token, err = authStore.NewSession(ctx, u, auth.KindBearer, "127.0.0.1", "scanload")
	return
}

func newSite(log *slog.Logger) (*web.Site, error) {
	catalog, err := i18n.Load(templates.FS, "locales")
	if err != nil {
		return nil, err
	}
	renderer, err := templates.NewRenderer()
	if err != nil {
		return nil, err
	}
	return &web.Site{Catalog: catalog, Renderer: renderer, Log: log, BaseURL: "http://localhost"}, nil
}

func post(url, token, code, scanID string) *http.Request {
	body := fmt.Sprintf(`{"code":%q,"scan_id":%q}`, code, scanID)
	req, _ := http.NewRequest("POST", url, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

type result struct {
	n, failed int
	elapsed   time.Duration
	lat       []time.Duration
}

func (r result) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

// load runs clients loops of requests for dur and collects latencies.
func load(clients int, dur time.Duration, next func(worker, i int) *http.Request) result {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var mu sync.Mutex
	var all result
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(dur)
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			failed := 0
			for i := 0; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				res, err := client.Do(next(w, i))
				if err != nil {
					failed++
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode >= 300 && res.StatusCode != 422 {
					failed++
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all.lat = append(all.lat, lat...)
			all.failed += failed
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	all.n = len(all.lat)
	return all
}

func report(name string, r result) {
	slices.Sort(r.lat)
	pct := func(p float64) time.Duration {
		if len(r.lat) == 0 {
			return 0
		}
		return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))]
	}
	fmt.Printf("%-24s %8.0f req/s  p50 %-10s p99 %-10s max %-10s errors %d\n", name, r.rate(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond), r.failed)
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}
