package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserOutbox: an organiser at a 1,024 px screen sees that e-mail is
// not configured, filters the outbox to "no channel", opens a message with
// its attempts and resends it. With HUIZHAN_SCREENSHOTS set to a
// directory, the outbox page is saved there as outbox-1024.png.
func TestBrowserOutbox(t *testing.T) {
	env := newTestEnv(t)
	for _, to := range []string{"me@hz.example", "13900000011"} {
		env.do("POST", "/api/v1/outbox/test", "organiser", map[string]string{"to": to}, 201, nil)
	}
	if _, err := env.app.sender.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, env, "organiser")
	var warning, rows, detail string
	var shot []byte
	browse(t, ctx, "open the outbox at 1,024 px and filter to no channel",
		chromedp.EmulateViewport(1024, 900),
		chromedp.Navigate(env.srv.URL+"/outbox"),
		chromedp.WaitVisible(chromedp.CSS(`#outbox-channels`)),
		into(&warning, chromedp.Text(chromedp.CSS(`[data-missing="email"]`))),
		into(&shot, chromedp.FullScreenshot(100)),
		chromedp.Click(chromedp.CSS(`#outbox-filters a[href="/outbox?status=no_channel"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#outbox tr[data-status="no_channel"]`)),
		into(&rows, chromedp.Text(chromedp.CSS(`#outbox tbody`))),
	)
	if !strings.Contains(warning, "无通道") || !strings.Contains(rows, "me@hz.example") || !strings.Contains(rows, "13900000011") {
		t.Fatalf("warning %q, rows %q", warning, rows)
	}
	if dir := os.Getenv("HUIZHAN_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "outbox-1024.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	browse(t, ctx, "open a message and resend it",
		chromedp.Click(chromedp.CSS(`#outbox tbody tr:first-child a`)),
		chromedp.WaitVisible(chromedp.CSS(`#resend`)),
		chromedp.Click(chromedp.CSS(`#resend`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		into(&detail, chromedp.Text(chromedp.CSS(`main`))),
		into(&shot, chromedp.FullScreenshot(100)),
	)
	if dir := os.Getenv("HUIZHAN_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "outbox-message-1024.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(detail, "已重新加入发送队列") || !strings.Contains(detail, "待发送") {
		t.Errorf("after resend: %q", detail)
	}
}
