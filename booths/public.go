package booths

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/web"
)

// The cloud hall (云展厅): public pages that list the zones of an edition,
// the booths and exhibitors of a zone, and what one booth shows. They
// carry nothing private: no staff, no leads.

type hallData struct {
	Edition EditionRef
	Zones   []Zone
}

func (h *Handlers) hallPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d hallData
	if err == nil {
		d.Edition, err = h.store.Edition(c.Request.Context(), id)
	}
	if err == nil {
		d.Zones, err = h.store.Zones(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "booths/hall", "booths.hall_title", d)
}

type zoneData struct {
	Edition EditionRef
	Zone    Zone
	Booths  []Booth
}

func (h *Handlers) zonePage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	ctx := c.Request.Context()
	var d zoneData
	if err == nil {
		d.Zone, err = h.store.Zone(ctx, id)
	}
	if err == nil {
		d.Edition, err = h.store.Edition(ctx, d.Zone.EditionID)
	}
	if err == nil {
		d.Booths, _, err = h.store.Booths(ctx, d.Zone.EditionID, Filter{ZoneID: id}, web.Paging{Page: 1, PerPage: maxGrid})
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "booths/zone", "booths.zone_title", d)
}

type boothData struct {
	Edition EditionRef
	Detail  Detail
	Manage  bool // the viewer may manage it
}

func (h *Handlers) boothPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	ctx := c.Request.Context()
	var d boothData
	if err == nil {
		d.Detail, err = h.store.Detail(ctx, id)
	}
	if err == nil {
		d.Edition, err = h.store.Edition(ctx, d.Detail.EditionID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Detail.Staff = nil // public page
	d.Detail.Projects = public(d.Detail.Projects)
	d.Manage = web.IdentityOf(c).Is(web.RoleOrganiser)
	h.site.HTML(c, http.StatusOK, "booths/booth", "booths.booth_title", d)
}

type mineData struct {
	Booths []Detail
}

// myBoothsPage shows a delegation its booths, in every edition.
func (h *Handlers) myBoothsPage(c *gin.Context) {
	who := web.IdentityOf(c)
	ctx := c.Request.Context()
	ids, err := h.store.DelegationBooths(ctx, who.DelegationID)
	d := mineData{}
	for _, id := range ids {
		if err != nil {
			break
		}
		var det Detail
		det, err = h.store.Detail(ctx, id)
		d.Booths = append(d.Booths, det)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "booths/mine", "booths.mine_title", d)
}

// public leaves out rejected projects: the cloud hall does not show them,
// so a link to one would lead nowhere.
func public(ps []ShownProject) []ShownProject {
	out := ps[:0:0]
	for _, p := range ps {
		if p.Status != conference.StatusRejected {
			out = append(out, p)
		}
	}
	return out
}
