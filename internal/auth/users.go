package auth

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// The organiser's account management, as JSON and as pages.

func (h *Handlers) apiListUsers(c *gin.Context) {
	us, err := h.store.Users(c.Request.Context())
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(us, len(us), web.Paging{Page: 1, PerPage: max(len(us), 1)}))
}

func (h *Handlers) apiCreateUser(c *gin.Context) {
	var in NewUser
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	u, err := h.store.CreateUser(c.Request.Context(), in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

func (h *Handlers) apiGetUser(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		var u User
		if u, err = h.store.User(c.Request.Context(), id); err == nil {
			c.JSON(http.StatusOK, u)
			return
		}
	}
	h.site.Fail(c, err)
}

func (h *Handlers) apiUpdateUser(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var p UserPatch
	if err == nil {
		err = web.BindJSON(c, &p)
	}
	var u User
	if err == nil {
		u, err = h.store.UpdateUser(c.Request.Context(), id, p)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// apiSetPassword sets the given password, or a generated one when none is
// given; the answer carries the password so the organiser can pass it on.
func (h *Handlers) apiSetPassword(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in struct {
		Password string `json:"password"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	if err == nil {
		if in.Password == "" {
			in.Password = RandomPassword()
		}
		err = h.store.SetPassword(c.Request.Context(), id, in.Password)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": id, "password": in.Password})
}

type usersData struct {
	Users       []User
	Delegations []web.Option
	Labels      map[int64]string // delegation id -> name
	Form        NewUser
	Roles       []string
	Error       *web.ErrorInfo
}

func (h *Handlers) usersData(c *gin.Context) (*usersData, error) {
	us, err := h.store.Users(c.Request.Context())
	if err != nil {
		return nil, err
	}
	d := &usersData{Users: us, Roles: web.Roles, Labels: map[int64]string{}}
	if h.delegations != nil {
		if d.Delegations, err = h.delegations(c.Request.Context()); err != nil {
			return nil, err
		}
	}
	for _, o := range d.Delegations {
		d.Labels[o.ID] = o.Label
	}
	return d, nil
}

func (h *Handlers) usersPage(c *gin.Context) {
	d, err := h.usersData(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Form.Role = web.RoleDelegation
	h.site.HTML(c, http.StatusOK, "users/list", "users.title", d)
}

func (h *Handlers) createUserForm(c *gin.Context) {
	in := NewUser{Username: c.PostForm("username"), Password: c.PostForm("password"), Role: c.PostForm("role")}
	delegation, err := web.FormInt64(c, "delegation_id")
	if delegation > 0 {
		in.DelegationID = &delegation
	}
	if err == nil {
		_, err = h.store.CreateUser(c.Request.Context(), in)
	}
	if err == nil {
		h.site.Redirect(c, "/admin/users", "users.created")
		return
	}
	info, status, ok := h.site.FormError(c, err)
	if !ok {
		return
	}
	d, err := h.usersData(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	in.Password = ""
	d.Form, d.Error = in, info
	h.site.HTML(c, status, "users/list", "users.title", d)
}

type userData struct {
	User        User
	Delegations []web.Option
	Roles       []string
	Error       *web.ErrorInfo
	NewPassword string
	Locked      bool // locked for everyone by failed sign-ins from several addresses
}

func (h *Handlers) userPage(c *gin.Context) {
	h.showUser(c, http.StatusOK, nil, "")
}

func (h *Handlers) showUser(c *gin.Context, status int, info *web.ErrorInfo, newPassword string) {
	id, err := web.ParamID(c, "id")
	var u User
	if err == nil {
		u, err = h.store.User(c.Request.Context(), id)
	}
	d := userData{User: u, Roles: web.Roles, Error: info, NewPassword: newPassword,
		Locked: h.guard.locked(strings.ToLower(u.Username))}
	if err == nil && h.delegations != nil {
		d.Delegations, err = h.delegations(c.Request.Context())
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "users/edit", "users.edit_title", d)
}

func (h *Handlers) updateUserForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	role, disabled := c.PostForm("role"), c.PostForm("disabled") == "on"
	delegation, derr := web.FormInt64(c, "delegation_id")
	if err == nil {
		err = derr
	}
	if err == nil {
		_, err = h.store.UpdateUser(c.Request.Context(), id,
			UserPatch{Role: &role, DelegationID: &delegation, Disabled: &disabled})
	}
	if err == nil {
		h.site.Redirect(c, "/admin/users/"+strconv.FormatInt(id, 10), "users.saved")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.showUser(c, status, info, "")
	}
}

func (h *Handlers) passwordForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	pw := c.PostForm("password")
	if pw == "" {
		pw = RandomPassword()
	}
	if err == nil {
		err = h.store.SetPassword(c.Request.Context(), id, pw)
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showUser(c, status, info, "")
		}
		return
	}
	// Shown once, on this answer only; it is not stored anywhere readable.
	h.showUser(c, http.StatusOK, nil, pw)
}

// unlock lets an account sign in again at once, from every address, after
// failed sign-ins locked it.
func (h *Handlers) unlock(c *gin.Context) (User, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return User{}, err
	}
	u, err := h.store.User(c.Request.Context(), id)
	if err != nil {
		return User{}, err
	}
	h.guard.unlock(strings.ToLower(u.Username))
	return u, nil
}

func (h *Handlers) apiUnlock(c *gin.Context) {
	u, err := h.unlock(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

func (h *Handlers) unlockForm(c *gin.Context) {
	u, err := h.unlock(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, "/admin/users/"+strconv.FormatInt(u.ID, 10), "users.unlocked")
}
