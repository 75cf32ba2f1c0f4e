package checkin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/outbox"
	"huizhan/internal/web"
)

// Someone who registered and lost their links gives their phone number
// again; if it is registered, a message goes to that phone (and e-mail, if
// they gave one) with the badge link and a new self-service link. The
// answer is the same either way, so the form tells nobody whether a number
// is registered.

// ResendLinks sends a registered phone's links again. It answers nil
// whether or not the phone is registered in the edition.
func (s *Store) ResendLinks(ctx context.Context, editionID int64, phone string) error {
	p, ok := normalPhone(phone, true)
	if !ok {
		return apperr.Field("phone", "checkin.phone_invalid", nil)
	}
	if _, err := s.editions.Edition(ctx, editionID); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var a Attendee
		err := tx.GetContext(ctx, &a, `SELECT * FROM attendees WHERE edition_id = ? AND phone = ? AND status <> 'cancelled'
			ORDER BY id DESC LIMIT 1`, editionID, p)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("resend links: %w", err)
		}
		token, hash := newManageToken()
		if _, err := tx.ExecContext(ctx, `UPDATE attendees SET manage_hash = ?, updated_at = ? WHERE id = ?`,
			hash, s.now().UTC(), a.ID); err != nil {
			return fmt.Errorf("resend links of attendee %d: %w", a.ID, err)
		}
		return s.notifyLinks(ctx, tx, a, token)
	})
}

// notifyLinks sends the badge link (once the registration is approved)
// and the self-service link, by SMS and by e-mail when there is one.
func (s *Store) notifyLinks(ctx context.Context, tx *sqlx.Tx, a Attendee, token string) error {
	if s.notify == nil {
		return nil
	}
	e, err := s.editions.Edition(ctx, a.EditionID)
	if err != nil {
		return err
	}
	link := s.baseURL + "/r/" + token
	data := map[string]any{"Name": a.Name, "Edition": e.Name, "Badge": ""}
	if a.Status == StatusApproved {
		data["Badge"] = s.badgeLink(a.Code)
	}
	// The token is new on every request, so each request is its own message.
	key := "checkin.links:" + strconv.FormatInt(a.ID, 10) + ":" + hashToken(token)[:16]
	for _, to := range []struct {
		ch   outbox.Channel
		addr string
	}{{outbox.SMS, a.Phone}, {outbox.Email, a.Email}} {
		if to.addr == "" {
			continue
		}
		if err := s.notify.Enqueue(ctx, tx, outbox.Message{Key: key + ":" + string(to.ch), Channel: to.ch, To: to.addr,
			Template: "registration_links", EditionID: e.ID, Data: data, Link: link}); err != nil {
			return err
		}
	}
	return nil
}

// apiResendLinks is POST /api/v1/editions/{id}/registrations/resend
// {"phone"}: public, rate-limited like registration, and 202 whatever the
// phone.
func (h *Handlers) apiResendLinks(c *gin.Context) {
	err := h.limited(c)
	var id int64
	if err == nil {
		id, err = web.ParamID(c, "id")
	}
	var in struct {
		Phone string `json:"phone"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	if err == nil {
		err = h.store.ResendLinks(c.Request.Context(), id, in.Phone)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"message": h.site.L(c).T("reg.links_resent", nil)})
}

// resendForm is the registration page's "send my links again".
func (h *Handlers) resendForm(c *gin.Context) {
	err := h.limited(c)
	var id int64
	if err == nil {
		id, err = web.ParamID(c, "id")
	}
	if err == nil {
		err = h.store.ResendLinks(c.Request.Context(), id, c.PostForm("phone"))
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showRegister(c, status, AttendeeInput{Phone: c.PostForm("phone")}, info)
		}
		return
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(id, 10)+"/register", "reg.links_resent")
}
