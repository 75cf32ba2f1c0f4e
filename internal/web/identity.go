package web

import (
	"slices"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
)

// Roles, as stored on accounts and named in API.md.
const (
	RoleOrganiser   = "organiser"
	RoleDelegation  = "delegation"
	RoleStaff       = "staff"
	RoleCoordinator = "coordinator"
	RoleLeader      = "leader"
)

// Roles lists every role in the order the UI shows them.
var Roles = []string{RoleOrganiser, RoleDelegation, RoleStaff, RoleCoordinator, RoleLeader}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// Identity is the signed-in account behind a request.
type Identity struct {
	UserID       int64
	Username     string
	Role         string
	DelegationID int64 // set for delegation accounts only
	SessionID    int64
}

// Is reports whether the identity has one of roles.
func (id *Identity) Is(roles ...string) bool {
	return id != nil && slices.Contains(roles, id.Role)
}

const identityKey = "huizhan.identity"

// SetIdentity records who is signed in for this request.
func SetIdentity(c *gin.Context, id *Identity) { c.Set(identityKey, id) }

// IdentityOf returns the signed-in identity, or nil for a guest.
func IdentityOf(c *gin.Context) *Identity {
	v, ok := c.Get(identityKey)
	if !ok {
		return nil
	}
	id, _ := v.(*Identity)
	return id
}

// Require lets a request through only when someone with one of roles is
// signed in: 401 for guests (pages redirect to /login), 403 for other roles.
func (s *Site) Require(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := IdentityOf(c)
		if id == nil {
			s.Fail(c, apperr.New(apperr.Unauthenticated, "error.unauthenticated"))
			c.Abort()
			return
		}
		if !id.Is(roles...) {
			s.Fail(c, apperr.New(apperr.Forbidden, "error.forbidden"))
			c.Abort()
			return
		}
		c.Next()
	}
}

// SignedIn lets any signed-in account through.
func (s *Site) SignedIn() gin.HandlerFunc { return s.Require(Roles...) }
