package roadshow

import (
	"cmp"
	"slices"
	"time"
)

// The auto-scheduler in two parts: plan, a pure function that packs
// projects into free time (tested and benchmarked on its own), and the
// store side that feeds it from the database (schedule.go).

// planProject is a selected project waiting for a slot.
type planProject struct {
	ID           int64  `db:"id"`
	Title        string `db:"title"`
	Industry     string `db:"industry"`
	DelegationID int64  `db:"delegation_id"`
	Delegation   string `db:"delegation"`
	Presenter    string `db:"presenter"`
}

// interval is a span of time [From, To).
type interval struct{ From, To time.Time }

func (a interval) overlaps(b interval) bool { return a.From.Before(b.To) && b.From.Before(a.To) }

// planSession is a session the scheduler may fill, with the spans already
// taken by its slots.
type planSession struct {
	Session Session
	Taken   []interval
}

// candidate is one pitch-long gap the scheduler can fill.
type candidate struct {
	Session *Session
	At      interval
}

// candidates lists the pitch-long gaps of the sessions, session by session
// in the order given, each session's gaps in time order.
func candidates(sessions []planSession, pitch, changeover time.Duration) []candidate {
	var cs []candidate
	for i := range sessions {
		ps := &sessions[i]
		taken := slices.Clone(ps.Taken)
		slices.SortFunc(taken, func(a, b interval) int { return a.From.Compare(b.From) })
		at := ps.Session.StartsAt
		for _, t := range append(taken, interval{ps.Session.EndsAt, ps.Session.EndsAt}) {
			for !at.Add(pitch).After(t.From) {
				cs = append(cs, candidate{Session: &ps.Session, At: interval{at, at.Add(pitch)}})
				at = at.Add(pitch + changeover)
			}
			if t.To.After(at) {
				at = t.To
				if t.To != ps.Session.EndsAt {
					at = at.Add(changeover)
				}
			}
		}
	}
	return cs
}

// fairOrder groups projects by industry (largest group first) and, within
// an industry, takes the delegations in turn so that no delegation fills a
// run of slots while others wait.
func fairOrder(ps []planProject) []planProject {
	byIndustry := map[string][]planProject{}
	for _, p := range ps {
		byIndustry[p.Industry] = append(byIndustry[p.Industry], p)
	}
	industries := make([]string, 0, len(byIndustry))
	for ind := range byIndustry {
		industries = append(industries, ind)
	}
	slices.SortFunc(industries, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(byIndustry[b]), len(byIndustry[a])), cmp.Compare(a, b))
	})
	out := make([]planProject, 0, len(ps))
	for _, ind := range industries {
		out = append(out, roundRobin(byIndustry[ind])...)
	}
	return out
}

func roundRobin(ps []planProject) []planProject {
	slices.SortFunc(ps, func(a, b planProject) int {
		return cmp.Or(cmp.Compare(a.DelegationID, b.DelegationID), cmp.Compare(a.ID, b.ID))
	})
	queues := map[int64][]planProject{}
	var order []int64
	for _, p := range ps {
		if _, ok := queues[p.DelegationID]; !ok {
			order = append(order, p.DelegationID)
		}
		queues[p.DelegationID] = append(queues[p.DelegationID], p)
	}
	out := make([]planProject, 0, len(ps))
	for len(out) < len(ps) {
		for _, d := range order {
			if q := queues[d]; len(q) > 0 {
				out = append(out, q[0])
				queues[d] = q[1:]
			}
		}
	}
	return out
}

// busyFunc reports whether a presenter is taken during a span.
type busyFunc func(presenter string, at interval) bool

// plan gives each project, in fair order, the first free gap at which its
// presenter is not busy (nor busy with an earlier pick of this plan). A
// project is left out only when no gap left suits it.
func plan(ps []planProject, cs []candidate, busy busyFunc) (placed []ProposedSlot, unplaced []planProject) {
	used := make([]bool, len(cs))
	mine := map[string][]interval{} // this plan's picks per presenter
	first := 0                      // every gap before first is used
	for _, p := range fairOrder(ps) {
		pick := -1
		for i := first; i < len(cs); i++ {
			if used[i] || presenterTaken(mine[p.Presenter], cs[i].At) || busy(p.Presenter, cs[i].At) {
				continue
			}
			pick = i
			break
		}
		if pick < 0 {
			unplaced = append(unplaced, p)
			continue
		}
		used[pick] = true
		for first < len(cs) && used[first] {
			first++
		}
		c := cs[pick]
		mine[p.Presenter] = append(mine[p.Presenter], c.At)
		placed = append(placed, ProposedSlot{SessionID: c.Session.ID, Session: c.Session.Title,
			ProjectID: p.ID, Project: p.Title, Industry: p.Industry, Delegation: p.Delegation,
			Presenter: p.Presenter, StartsAt: c.At.From, EndsAt: c.At.To})
	}
	return placed, unplaced
}

func presenterTaken(spans []interval, at interval) bool {
	for _, s := range spans {
		if s.overlaps(at) {
			return true
		}
	}
	return false
}
