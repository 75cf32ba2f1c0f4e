package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huizhan/internal/webtest"
)

// TestNULIsRefused: a NUL byte in a search answers 400 (it used to be the
// one 500 an anonymous caller could cause), and in a JSON or form field
// 422 naming the field; nothing is stored.
func TestNULIsRefused(t *testing.T) {
	env := newTestEnv(t)
	ed := env.demo.Current().ID
	for _, path := range []string{
		fmt.Sprintf("/api/v1/editions/%d/projects?q=%%00", ed),
		fmt.Sprintf("/api/v1/editions/%d/projects?q=%s", ed, url.QueryEscape("储能\x00")),
		"/hall?q=%00",
		fmt.Sprintf("/api/v1/editions/%d/attendees?q=%%00", ed),
	} {
		role := ""
		if strings.Contains(path, "attendees") {
			role = "organiser"
		}
		raw := env.do("GET", path, role, nil, 400, nil)
		if strings.HasPrefix(path, "/api/") {
			if e := webtest.ErrorOf(t, raw); e.Code != "invalid" || len(e.Details) != 1 || e.Details[0].Field != "q" {
				t.Errorf("GET %s: %s", path, raw)
			}
		}
	}

	del := env.demo.Delegations[ed][0].ID
	raw := env.do("POST", fmt.Sprintf("/api/v1/editions/%d/projects", ed), "organiser", map[string]any{
		"delegation_id": del, "kind": "demand", "title": "储能\x00需求", "industry": "双碳与新能源",
		"summary": "x", "keywords": []string{"储能"}}, 422, nil)
	if e := webtest.ErrorOf(t, raw); len(e.Details) != 1 || e.Details[0].Field != "title" {
		t.Errorf("NUL in a JSON title: %s", raw)
	}
	raw = env.do("POST", fmt.Sprintf("/api/v1/editions/%d/projects", ed), "organiser", map[string]any{
		"delegation_id": del, "kind": "demand", "title": "储能需求", "industry": "双碳与新能源",
		"summary": "x", "keywords": []string{"储能", "a\x00"}}, 422, nil)
	if e := webtest.ErrorOf(t, raw); len(e.Details) != 1 || e.Details[0].Field != "keywords" {
		t.Errorf("NUL in a JSON keyword: %s", raw)
	}

	form := url.Values{"username": {"organiser\x00"}, "password": {"x"}}
	req, _ := http.NewRequest("POST", env.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, body := env.client().Request(req, "")
	if res.StatusCode != 422 {
		t.Errorf("NUL in a form field: %d %s", res.StatusCode, body)
	}
}
