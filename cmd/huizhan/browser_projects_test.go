package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"huizhan/conference"
	"huizhan/internal/web"
)

// TestBrowserDelegationImportsProjects: Mianyang's account downloads the
// import template, fills it in with one mistake, uploads it and sees the
// row and column named with nothing imported, fixes the mistake, uploads
// again and finds its projects in the list.
func TestBrowserDelegationImportsProjects(t *testing.T) {
	env := newTestEnv(t)
	ctx := newBrowser(t)
	dir := t.TempDir()
	edition := env.demo.Current()
	mianyang, _ := env.demo.DelegationNamed(edition.ID, conference.Mianyang)
	before := countProjects(t, env, mianyang.ID)

	signIn(t, ctx, env, web.RoleDelegation)
	events := true
	browse(t, ctx, "download the template",
		chromedp.Navigate(env.srv.URL+"/projects"),
		chromedp.WaitVisible(chromedp.CSS(`#import-projects`)),
		chromedp.Click(chromedp.CSS(`#import-projects`)),
		chromedp.WaitVisible(chromedp.CSS(`#import-form`)),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: &events,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(`#template-link`)),
	)
	tpl := downloadedXLSX(t, dir)

	// Fill it in as a person would: replace the example, one mistake on
	// the second project (an industry that is not in the list).
	wb, err := excelize.OpenFile(tpl)
	if err != nil {
		t.Fatalf("open the downloaded template: %v", err)
	}
	rows := [][]string{
		{"科技成果", "涪江流域水环境智能监测系统", "电子信息", "多参数水质在线监测", "绵阳师范学院", "水质、物联网", "李老师", "0816-2200000", "否"},
		{"科技需求", "低温锂电池电解液配方", "人工智能", "寻求合作", "绵阳某电池企业", "锂电池", "王工", "13900000000", "否"},
	}
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := wb.SetCellStr("项目", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	filled := filepath.Join(dir, "绵阳项目.xlsx")
	if err := wb.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	wb.Close()

	var errRow, errCol, errText string
	browse(t, ctx, "upload the file with a mistake",
		chromedp.SetUploadFiles(chromedp.CSS(`#import-form input[type=file]`), []string{filled}),
		chromedp.Click(chromedp.CSS(`#import-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#row-errors`)),
		into(&errRow, chromedp.Text(chromedp.CSS(`#row-errors tbody tr td:nth-child(1)`))),
		into(&errCol, chromedp.Text(chromedp.CSS(`#row-errors tbody tr td:nth-child(2)`))),
		into(&errText, chromedp.Text(chromedp.CSS(`#import-errors`))),
	)
	if errRow != "3" || errCol != "产业领域" || !strings.Contains(errText, "未导入任何数据") {
		t.Errorf("error table names row %q column %q; box says %q", errRow, errCol, errText)
	}
	if n := countProjects(t, env, mianyang.ID); n != before {
		t.Fatalf("the refused file imported %d projects", n-before)
	}

	// Fix the industry and upload again.
	wb, err = excelize.OpenFile(filled)
	if err != nil {
		t.Fatal(err)
	}
	wb.SetCellStr("项目", "C3", "双碳与新能源")
	if err := wb.Save(); err != nil {
		t.Fatal(err)
	}
	wb.Close()
	var done, listed string
	browse(t, ctx, "upload the corrected file",
		chromedp.SetUploadFiles(chromedp.CSS(`#import-form input[type=file]`), []string{filled}),
		chromedp.Click(chromedp.CSS(`#import-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#import-done`)),
		into(&done, chromedp.Text(chromedp.CSS(`#import-done`))),
		chromedp.Navigate(env.srv.URL+fmt.Sprintf("/editions/%d/projects?q=%s", edition.ID, "涪江流域")),
		chromedp.WaitVisible(chromedp.CSS(`#projects`)),
		into(&listed, chromedp.Text(chromedp.CSS(`#projects tbody`))),
	)
	if !strings.Contains(done, "已导入 2 个项目") {
		t.Errorf("after the import the page says %q", done)
	}
	if !strings.Contains(listed, "涪江流域水环境智能监测系统") {
		t.Errorf("the list does not show the imported project: %q", listed)
	}
	if n := countProjects(t, env, mianyang.ID); n != before+2 {
		t.Errorf("%d projects imported, want 2", n-before)
	}
}

func countProjects(t *testing.T, env *testEnv, delegationID int64) int {
	t.Helper()
	var n int
	if err := env.app.db.R.Get(&n, `SELECT COUNT(*) FROM projects WHERE delegation_id = ?`, delegationID); err != nil {
		t.Fatal(err)
	}
	return n
}

// downloadedXLSX waits for the browser to finish saving a workbook in dir.
func downloadedXLSX(t *testing.T, dir string) string {
	t.Helper()
	deadline := time.Now().Add(browseTimeout)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".xlsx") {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no workbook downloaded into %s after %s", dir, browseTimeout)
	return ""
}
