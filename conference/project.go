package conference

import "time"

// Project kinds. Demands are the demand side; every other kind is supply.
const (
	KindAchievement = "achievement" // 科技成果
	KindDemand      = "demand"      // 科技需求
	KindCapability  = "capability"  // 科技所能
	KindHighTech    = "hightech"    // 高新技术
	KindResearch    = "research"    // 科研项目
	KindFinance     = "finance"     // 科创金融产品
)

// Kinds lists every kind in the order the UI shows them.
var Kinds = []string{KindAchievement, KindDemand, KindCapability, KindHighTech, KindResearch, KindFinance}

// IsSupply reports whether kind is on the supply side.
func IsSupply(kind string) bool { return kind != KindDemand }

// Project statuses: submitted → reviewed (the city's pre-review) →
// selected (遴选, chosen for the stage) or rejected.
const (
	StatusSubmitted = "submitted"
	StatusReviewed  = "reviewed"
	StatusSelected  = "selected"
	StatusRejected  = "rejected"
)

// Statuses lists every status in workflow order.
var Statuses = []string{StatusSubmitted, StatusReviewed, StatusSelected, StatusRejected}

// Project is one record a delegation brings to an edition.
type Project struct {
	ID           int64     `db:"id" json:"id"`
	EditionID    int64     `db:"edition_id" json:"edition_id"`
	DelegationID int64     `db:"delegation_id" json:"delegation_id"`
	Kind         string    `db:"kind" json:"kind"`
	Title        string    `db:"title" json:"title"`
	Summary      string    `db:"summary" json:"summary"`
	Industry     string    `db:"industry" json:"industry"`
	Organisation string    `db:"organisation" json:"organisation"`
	Keywords     Keywords  `db:"keywords" json:"keywords"`
	ContactName  string    `db:"contact_name" json:"contact_name"`
	ContactPhone string    `db:"contact_phone" json:"contact_phone"`
	Major        bool      `db:"major" json:"major"`
	Status       string    `db:"status" json:"status"`
	StatusNote   string    `db:"status_note" json:"status_note"`
	CreatedBy    *int64    `db:"created_by" json:"-"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}
