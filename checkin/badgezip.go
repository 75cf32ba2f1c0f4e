package checkin

import (
	"archive/zip"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// apiBadgeZip streams a zip of the badge QR images of a delegation's
// attendees, one PNG each, named by number and name. Organisers may fetch
// any delegation's, a delegation account its own. The archive is written
// as it is built: nothing but one image is held in memory at a time, and
// images come from the badge cache when they are there.
func (h *Handlers) apiBadgeZip(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	if err == nil {
		if who := web.IdentityOf(c); !who.Is(web.RoleOrganiser) && who.DelegationID != id {
			err = apperr.New(apperr.Forbidden, "error.forbidden")
		}
	}
	var first []Attendee
	var total int
	var d conference.Delegation
	if err == nil {
		if d, err = h.store.editions.Delegation(ctx, id); err == nil {
			first, total, err = h.store.Attendees(ctx, d.EditionID, AttendeeFilter{DelegationID: id}, zipPage(1))
		}
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="badges-delegation-%d.zip"`, id))
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	zw := zip.NewWriter(c.Writer)
	n := 0
	for page, as := 1, first; len(as) > 0 && ctx.Err() == nil; {
		for _, a := range as {
			n++
			if err := h.addBadge(zw, n, a); err != nil {
				h.site.Log.Error("badge zip", "delegation", id, "err", err)
				return // the client sees a truncated archive
			}
		}
		if page++; (page-1)*zipPage(1).PerPage >= total {
			break
		}
		if as, _, err = h.store.Attendees(ctx, d.EditionID, AttendeeFilter{DelegationID: id}, zipPage(page)); err != nil {
			h.site.Log.Error("badge zip", "delegation", id, "err", err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		h.site.Log.Error("badge zip", "delegation", id, "err", err)
	}
}

func zipPage(n int) web.Paging { return web.Paging{Page: n, PerPage: 500} }

// zipName makes a file name safe in any unzip tool.
var zipName = strings.NewReplacer("/", "_", "\\", "_", ":", "_", "*", "_", "?", "_", `"`, "_", "<", "_", ">", "_", "|", "_")

func (h *Handlers) addBadge(zw *zip.Writer, n int, a Attendee) error {
	b, err := h.store.BadgePNG(a.Code, h.badgeURL(a.Code))
	if err != nil {
		return err
	}
	// Stored, not deflated: a PNG is compressed already.
	w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%04d-%s.png", n, zipName.Replace(a.Name)), Method: zip.Store})
	if err != nil {
		return fmt.Errorf("badge of attendee %d: %w", a.ID, err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("badge of attendee %d: %w", a.ID, err)
	}
	return nil
}
