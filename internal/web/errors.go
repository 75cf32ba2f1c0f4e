package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/i18n"
)

// Status is the one place where an error kind becomes an HTTP status.
func Status(k apperr.Kind) int {
	switch k {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.Malformed:
		return http.StatusBadRequest
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.RateLimited:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// ErrorBody is the JSON shape of every API error (API.md, Conventions).
type ErrorBody struct {
	Error ErrorInfo `json:"error"`
}

// ErrorInfo is the inside of ErrorBody.
type ErrorInfo struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Details []DetailJSON `json:"details,omitempty"`
}

// DetailJSON is an apperr.Detail with its message translated.
type DetailJSON struct {
	apperr.Detail
	Message string `json:"message"`
}

// Explain turns err into the translated API error. Internal errors are
// logged here and nowhere else; the client sees only a request ID.
func (s *Site) Explain(c *gin.Context, err error) (int, ErrorInfo) {
	l := s.L(c)
	ae, ok := apperr.As(err)
	if !ok || ae.Kind == apperr.Internal {
		s.Log.Error("internal error", "err", err, "method", c.Request.Method,
			"path", c.Request.URL.Path, "request_id", RequestID(c))
		return http.StatusInternalServerError, ErrorInfo{Code: "internal",
			Message: l.T("error.internal", map[string]any{"RequestID": RequestID(c)})}
	}
	info := ErrorInfo{Code: ae.Kind.Code(), Message: l.T(ae.Key, ae.Args)}
	for _, d := range ae.Details {
		info.Details = append(info.Details, DetailJSON{Detail: d, Message: detailMessage(l, d)})
	}
	return Status(ae.Kind), info
}

func detailMessage(l *i18n.Localizer, d apperr.Detail) string {
	msg := l.T(d.Key, d.Args)
	if d.Field != "" && d.Row == 0 {
		return l.T("field."+d.Field, nil) + ": " + msg
	}
	return msg
}

// Fail answers the request with err: JSON under /api/, a page elsewhere.
// A guest who reaches a page that needs an account is sent to sign in.
func (s *Site) Fail(c *gin.Context, err error) {
	if errors.Is(err, errBodyTooLarge) {
		err = apperr.New(apperr.TooLarge, "error.too_large")
	}
	status, info := s.Explain(c, err)
	if ae, ok := apperr.As(err); ok && ae.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(ae.RetryAfter.Seconds()))))
	}
	if IsAPI(c) {
		c.AbortWithStatusJSON(status, ErrorBody{Error: info})
		return
	}
	if status == http.StatusUnauthorized && c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	s.HTML(c, status, "error", "error.title", ErrorPage{Status: status, Info: info})
	c.Abort()
}

// ErrorPage is the data of the error page.
type ErrorPage struct {
	Status int
	Info   ErrorInfo
}

// NotFound is gin's NoRoute handler.
func (s *Site) NotFound(c *gin.Context) {
	s.Fail(c, apperr.New(apperr.NotFound, "error.route_not_found"))
}

// MethodNotAllowed is gin's NoMethod handler.
func (s *Site) MethodNotAllowed(c *gin.Context) {
	s.Fail(c, apperr.New(apperr.NotFound, "error.route_not_found"))
}

// FormError prepares err for showing beside a form: mistakes the person can
// fix (invalid input, a conflict, too many attempts, a wrong password) come
// back translated with their status so the handler can render the form
// again with what was typed. Anything else is answered here with Fail, and
// ok is false.
func (s *Site) FormError(c *gin.Context, err error) (info *ErrorInfo, status int, ok bool) {
	switch apperr.KindOf(err) {
	case apperr.Invalid, apperr.Malformed, apperr.Conflict, apperr.RateLimited, apperr.Unauthenticated, apperr.TooLarge:
		st, in := s.Explain(c, err)
		return &in, st, true
	}
	s.Fail(c, err)
	return nil, 0, false
}

// Option is one choice of a select box: an ID and what to show.
type Option struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
}

// ExplainText renders err as one line of text in lang, details included,
// for the command line.
func (s *Site) ExplainText(lang string, err error) string {
	ae, ok := apperr.As(err)
	if !ok || ae.Kind == apperr.Internal {
		return err.Error()
	}
	l := s.Catalog.For(lang)
	msg := l.T(ae.Key, ae.Args)
	for _, d := range ae.Details {
		msg += "; " + detailMessage(l, d)
	}
	return msg
}
