package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"huizhan/checkin"
	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/civil"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
)

// TestScansSurviveSIGKILL runs the real server in a child process, sends
// scans from many clients, kills the server with SIGKILL in the middle of
// it, and checks after a restart that every scan that was answered 2xx is
// in the database.
func TestScansSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server binary")
	}
	dir := t.TempDir()
	dbPath, keys := dbtest.DSN(t), filepath.Join(dir, "keys.json")
	token, point, codes := seedForKill(t, dbPath, keys)

	addr := freeAddr(t)
	srv := startServe(t, addr, dbPath, keys)
	acked := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := make(chan struct{})
	client := &http.Client{Timeout: 5 * time.Second}
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("kill-%d-%d", w, i)
				body := fmt.Sprintf(`{"code":%q,"scan_id":%q}`, codes[(w+i)%len(codes)], id)
				req, _ := http.NewRequest("POST", fmt.Sprintf("http://%s/api/v1/checkpoints/%d/scans", addr, point), bytes.NewBufferString(body))
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode >= 200 && res.StatusCode < 300 {
					mu.Lock()
					acked[id] = true
					mu.Unlock()
				}
			}
		}()
	}
	// Kill in the middle of the load: once a few hundred scans have been
	// answered (on a busy machine that takes longer), or after 30 s.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d scans answered before the kill; the load did not run", len(acked))
	}

	// Restart: the server must come up on the database as the kill left it.
	srv = startServe(t, addr, dbPath, keys)
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()

	d, err := openDB(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var stored []string
	if err := d.R.Select(&stored, `SELECT scan_id FROM scans`); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, id := range stored {
		have[id] = true
	}
	missing := 0
	for id := range acked {
		if !have[id] {
			missing++
		}
	}
	t.Logf("%d scans answered 2xx before SIGKILL, %d stored", len(acked), len(stored))
	if missing > 0 {
		t.Errorf("%d of %d answered scans are not in the database after SIGKILL", missing, len(acked))
	}
}

// seedForKill makes an edition with attendees, a checkpoint and a staff
// token in the database, as the server's own stores would.
func seedForKill(t *testing.T, dbPath, keys string) (string, int64, []string) {
	ctx := context.Background()
	d, err := openDB(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	a, err := newApp(d, slog.New(slog.NewTextHandler(io.Discard, nil)),
		appConfig{Keys: keys, Auth: auth.Options{BcryptCost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.checkin.Close()
	// Today and tomorrow in Beijing: scans are checked against the badges'
	// valid days.
	y, m, dd := time.Now().In(time.FixedZone("CST", 8*3600)).Date()
	e, err := a.conference.CreateEdition(ctx, conference.EditionInput{Number: 3, Name: "第三届", Year: y,
		StartsOn: civil.NewDate(y, m, dd), EndsOn: civil.NewDate(y, m, dd).AddDays(1), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for i := range 20 {
		at, err := a.checkin.CreateAttendee(ctx, e.ID, checkin.AttendeeInput{Name: fmt.Sprintf("嘉宾%d", i), Category: "guest"}, "organiser")
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, at.Code)
	}
	cp, err := a.checkin.CreateCheckpoint(ctx, e.ID, checkin.CheckpointInput{Name: "南门", Kind: "gate", Rule: "once_per_day"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.auth.CreateUser(ctx, auth.NewUser{Username: "gate", Password: testPassword, Role: web.RoleStaff})
	if err != nil {
		t.Fatal(err)
	}
	token, err := a.auth.NewSession(ctx, u, auth.KindBearer, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	return token, cp.ID, codes
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs "huizhan serve" (this test binary, see TestMain) and
// waits until it answers.
func startServe(t *testing.T, addr, dbPath, keys string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "-addr", addr, "-db", dbPath, "-keys", keys)
	cmd.Env = append(os.Environ(), "HUIZHAN_TEST_MAIN=1", "HUIZHAN_ADMIN_PASSWORD=durability-admin-pw")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server did not come up")
	return nil
}
