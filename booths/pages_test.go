package booths

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huizhan/internal/web"
)

func TestHallSVGEscapes(t *testing.T) {
	h := Hall{Booths: []Booth{{ID: 7, Code: "A<1>", State: StateAssigned, Exhibitor: `"><script>x</script>`, X: 1.5, W: 3, H: 3}}}
	svg := string(h.SVG())
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "A&lt;1&gt;") || !strings.Contains(svg, `x="1.5"`) ||
		!strings.Contains(svg, `data-id="7"`) {
		t.Errorf("SVG %s", svg)
	}
}

// TestPagesAndForms renders every page and drives the organiser's forms.
func TestPagesAndForms(t *testing.T) {
	a := newAPI(t)
	env := a.env
	z, err := a.store.CreateZone(ctxb(), a.ed, ZoneInput{Name: "绵阳展区", Hall: "1号馆", Key: true, DelegationID: &a.dels[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	post := func(path string, form url.Values, want int) string {
		t.Helper()
		req, _ := http.NewRequest("POST", env.Server.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, body := env.Request(req, a.org)
		if res.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d: %s", path, res.StatusCode, want, body)
		}
		return string(body)
	}
	ed := fmt.Sprintf("/editions/%d", a.ed)
	post(ed+"/booths/grid", url.Values{"zone_id": {fmt.Sprint(z.ID)}, "code_pattern": {"A##"}, "rows": {"1"}, "cols": {"4"}}, 303)
	body := post(ed+"/booths", url.Values{"zone_id": {fmt.Sprint(z.ID)}, "code": {"A01"}}, 409)
	if !strings.Contains(body, "A01") || !strings.Contains(body, `id="booth-form"`) {
		t.Error("the duplicate booth form did not come back with its error")
	}
	post(ed+"/zones", url.Values{"name": {"云展厅"}, "online": {"1"}}, 303)
	bs, _, _ := a.store.Booths(ctxb(), a.ed, Filter{}, webPage())
	b := fmt.Sprintf("/booths/%d", bs[0].ID)
	post(b+"/hold", url.Values{"delegation_id": {fmt.Sprint(a.dels[0].ID)}, "action": {"assign"}}, 303)
	body = post(b+"/hold", url.Values{"delegation_id": {fmt.Sprint(a.dels[1].ID)}, "action": {"reserve"}}, 409)
	if !strings.Contains(body, "绵阳市科协") {
		t.Error("the refused reservation does not name the holder")
	}
	post(b+"/move", url.Values{"to_booth_id": {fmt.Sprint(bs[1].ID)}}, 303)
	if got, _ := a.store.Booth(ctxb(), bs[1].ID); got.Exhibitor != "绵阳市科协" {
		t.Errorf("after the move form: %+v", got)
	}
	for _, p := range []struct {
		path, token, want string
	}{
		{ed + "/booths", a.org, "A04"},
		{ed + "/floorplan", a.org, `data-id="` + fmt.Sprint(bs[1].ID) + `"`},
		{fmt.Sprintf("/booths/%d/manage", bs[1].ID), a.org, "绵阳市科协"},
		{ed + "/zones", "", "绵阳展区"},
		{fmt.Sprintf("/zones/%d", z.ID), "", "绵阳市科协"},
		{fmt.Sprintf("/booths/%d", bs[1].ID), "", "绵阳市科协"},
		{"/booths/mine", env.Token(web.RoleDelegation, a.dels[0].ID), "A02"},
	} {
		req, _ := http.NewRequest("GET", env.Server.URL+p.path, nil)
		res, body := env.Request(req, p.token)
		if res.StatusCode != 200 || !strings.Contains(string(body), p.want) {
			t.Errorf("GET %s: %d, lacks %q", p.path, res.StatusCode, p.want)
		}
	}
	req, _ := http.NewRequest("GET", env.Server.URL+ed+"/booths", nil)
	if res, _ := env.Request(req, env.Token(web.RoleStaff, 0)); res.StatusCode != 403 {
		t.Errorf("staff opened the booth list: %d", res.StatusCode)
	}
}
