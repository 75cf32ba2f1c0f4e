package roadshow

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

const localLayout = "2006-01-02T15:04" // a datetime-local value, in Beijing time

// LocalStarts and LocalEnds are the slot's times as form values.
func (s Slot) LocalStarts() string { return s.StartsAt.In(China).Format(localLayout) }

// LocalEnds is the slot's end as a form value.
func (s Slot) LocalEnds() string { return s.EndsAt.In(China).Format(localLayout) }

type sessionEditView struct {
	Session Session
	Rooms   []Room
	Kinds   []string
	Form    map[string]string
	Error   *web.ErrorInfo
}

// sessionForm is the session as the edit form shows it.
func sessionForm(s Session) map[string]string {
	return map[string]string{"title": s.Title, "kind": s.Kind, "room": s.Room,
		"starts_at": s.StartsAt.In(China).Format(localLayout), "ends_at": s.EndsAt.In(China).Format(localLayout),
		"meeting_minutes": strconv.Itoa(s.MeetingMinutes), "tables": strconv.Itoa(s.Tables),
		"criteria": strings.Join(s.Criteria, ", ")}
}

func (h *Handlers) editSessionPage(c *gin.Context) { h.renderSessionEdit(c, http.StatusOK, nil, nil) }

func (h *Handlers) renderSessionEdit(c *gin.Context, status int, form map[string]string, e *web.ErrorInfo) {
	id, err := web.ParamID(c, "id")
	v := sessionEditView{Kinds: Kinds, Error: e}
	if err == nil {
		v.Session, err = h.store.Session(c.Request.Context(), id)
	}
	if err == nil {
		v.Rooms, err = h.store.Rooms(c.Request.Context(), v.Session.EditionID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	v.Form = form
	if v.Form == nil {
		v.Form = sessionForm(v.Session)
	}
	h.site.HTML(c, status, "roadshow/session_edit", "roadshow.edit_session", v)
}

func (h *Handlers) editSessionForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	form := map[string]string{}
	for _, f := range []string{"title", "kind", "room", "starts_at", "ends_at", "meeting_minutes", "tables", "criteria"} {
		form[f] = c.PostForm(f)
	}
	from, to := localTime(form["starts_at"]), localTime(form["ends_at"])
	mm, _ := strconv.Atoi(form["meeting_minutes"])
	tables, _ := strconv.Atoi(form["tables"])
	var crit Criteria
	for _, x := range strings.Split(strings.ReplaceAll(form["criteria"], "，", ","), ",") {
		if x = strings.TrimSpace(x); x != "" {
			crit = append(crit, x)
		}
	}
	title, kind, room := form["title"], form["kind"], form["room"]
	p := SessionPatch{Title: &title, Kind: &kind, Room: &room, StartsAt: &from, EndsAt: &to,
		MeetingMinutes: &mm, Tables: &tables, Criteria: &crit}
	if _, err := h.store.UpdateSession(c.Request.Context(), id, p); err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderSessionEdit(c, status, form, info)
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/sessions/%d", id), "roadshow.session_saved")
}

// editSlotForm is the slot edit form without script: a refused change
// re-renders the session page with the clash beside that slot's form.
func (h *Handlers) editSlotForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var cur Slot
	if err == nil {
		cur, err = h.store.Slot(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	form, in := readSlotForm(c)
	if _, err := h.store.UpdateSlot(c.Request.Context(), id, in); err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderSessionView(c, status, cur.SessionID, sessionView{EditSlot: id, EditForm: form, EditError: info})
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/sessions/%d#slot-%d", cur.SessionID, id), "roadshow.slot_saved")
}

type roomsView struct {
	EditionID int64
	Rooms     []Room
	EditRoom  int64 // the room whose edit was refused (0: the new-room form)
	Form      map[string]string
	Error     *web.ErrorInfo
}

func (h *Handlers) roomsPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.renderRooms(c, http.StatusOK, roomsView{EditionID: id})
}

func (h *Handlers) renderRooms(c *gin.Context, status int, v roomsView) {
	var err error
	if v.Rooms, err = h.store.EditionRooms(c.Request.Context(), v.EditionID); err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "roadshow/rooms", "roadshow.rooms", v)
}

func roomForm(c *gin.Context) (map[string]string, RoomInput) {
	form := map[string]string{"name": c.PostForm("name"), "capacity": c.PostForm("capacity")}
	capacity, err := strconv.Atoi(strings.TrimSpace(form["capacity"]))
	if err != nil && strings.TrimSpace(form["capacity"]) != "" {
		capacity = -1 // not a number: refused by Validate as out of range
	}
	return form, RoomInput{Name: form["name"], Capacity: capacity}
}

func (h *Handlers) createRoomForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	form, in := roomForm(c)
	if _, err := h.store.CreateRoom(c.Request.Context(), id, in); err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderRooms(c, status, roomsView{EditionID: id, Form: form, Error: info})
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/editions/%d/rooms", id), "roadshow.room_saved")
}

func (h *Handlers) editRoomForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var cur Room
	if err == nil {
		cur, err = h.store.Room(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	form, in := roomForm(c)
	if _, err := h.store.UpdateRoom(c.Request.Context(), id, RoomPatch{Name: &in.Name, Capacity: &in.Capacity}); err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderRooms(c, status, roomsView{EditionID: cur.EditionID, EditRoom: id, Form: form, Error: info})
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/editions/%d/rooms", cur.EditionID), "roadshow.room_saved")
}

// JudgedSessions lists the sessions an account is invited to judge, in
// time order.
func (s *Store) JudgedSessions(ctx context.Context, userID int64) ([]Session, error) {
	var ss []Session
	err := s.db.R.SelectContext(ctx, &ss, sessionColumns+`WHERE a.id IN (SELECT session_id FROM judges WHERE user_id = ?)
		ORDER BY a.starts_at, a.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("sessions judged by user %d: %w", userID, err)
	}
	return ss, nil
}

func (h *Handlers) judgingPage(c *gin.Context) {
	ss, err := h.store.JudgedSessions(c.Request.Context(), web.IdentityOf(c).UserID)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "roadshow/judging", "roadshow.my_judging", ss)
}
