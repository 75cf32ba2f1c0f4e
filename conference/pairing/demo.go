package pairing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

// demoUser records the demo's stage changes.
var demoUser = &web.Identity{Username: "demo", Role: web.RoleCoordinator}

// SeedDemo creates pairings over the projects the other demo data made,
// for each of the three editions, oldest first. The seed's figures: 100+
// effective pairings (有效对接) in the 1st and in the 2nd edition; 6
// cooperation-intent agreements in the 2nd, one of them the FLASH
// project's 1.2-billion-yuan signing; 10 涪江流域 supply–demand pairings
// launched on stage on 18 January in the 3rd (its signing-ceremony list).
// Made up: every other count and amount, chosen so that pairings,
// effective pairings, agreements and amounts grow from edition to edition
// (the 2nd edition's 12亿 aside, which the 3rd's many larger agreements
// pass). Each edition also gets a declined and a pending request, and
// meetings booked into its pairing session. Pairs are the recommender's
// best, so the demo shows what it would suggest. With too few projects it
// makes what it can.
func (s *Store) SeedDemo(ctx context.Context, demo conference.Demo) error {
	plans := []demoPlan{firstPlan, secondPlan, currentPlan}
	eds := demo.Editions
	for i, e := range eds {
		plan := plans[max(0, len(plans)-len(eds)+i)]
		if err := s.seedEdition(ctx, e, plan); err != nil {
			return err
		}
	}
	return nil
}

// demoPlan says how many pairings to leave at each stage, in order;
// onStage of the first agreements go on the signing-ceremony list, with
// pairs whose both sides are of the 涪江流域 delegations first.
type demoPlan struct {
	stages  []stageCount
	onStage int
	flash   bool // sign the FLASH project first
	amount  int  // agreement amounts are amount × 1..40 万元
	seed    uint64
}

type stageCount struct {
	stage string
	n     int
}

var firstPlan = demoPlan{seed: 1, amount: 20, stages: []stageCount{
	{StageAgreement, 3}, {StageIntent, 8}, {StageNegotiating, 25}, {StageMet, 68},
	{StageContacted, 8}, {StageProposed, 6}, {StageDropped, 4}}}

// The 2nd edition: 5 agreements and the FLASH signing make the seed's 6.
var secondPlan = demoPlan{seed: 2, amount: 50, flash: true, stages: []stageCount{
	{StageAgreement, 5}, {StageIntent, 14}, {StageNegotiating, 30}, {StageMet, 55},
	{StageContacted, 10}, {StageProposed, 8}, {StageDropped, 5}}}

var currentPlan = demoPlan{onStage: 10, seed: 3, amount: 500, stages: []stageCount{
	{StageAgreement, 14}, {StageSigned, 3}, {StageIntent, 12}, {StageNegotiating, 25}, {StageMet, 70},
	{StageContacted, 12}, {StageProposed, 14}, {StageDropped, 4}}}

// FlashAmountWan is the FLASH project's total investment, 12亿元, in 万元.
const FlashAmountWan = 120000

// fujiang are the delegations of the 涪江流域 associations that, with
// 重庆市北碚区科协, ran the 2024 Fujiang basin activity (the seed names
// Mianyang and Beibei; the river's other cities are the demo's choice).
var fujiang = []string{conference.Mianyang, "遂宁市科协", "重庆市潼南区科协", "重庆市合川区科协", "重庆市北碚区科协"}

func (s *Store) seedEdition(ctx context.Context, e conference.Edition, plan demoPlan) error {
	total := 0
	for _, sc := range plan.stages {
		total += sc.n
	}
	r := rand.New(rand.NewPCG(plan.seed, 7))
	if plan.flash {
		signed, err := s.seedFlash(ctx, e)
		if err != nil {
			return err
		}
		if !signed { // no FLASH project: another agreement keeps the count
			plan.stages = slices.Clone(plan.stages)
			plan.stages[0].n++
		}
	}
	pairs, err := s.demoPairs(ctx, e.ID, total+2, plan.onStage)
	if err != nil {
		return err
	}
	i := 0
	// One transaction for the lot: the rows and history the coordinators'
	// pages would leave, without a commit for every step.
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		for _, sc := range plan.stages {
			for range sc.n {
				if i >= len(pairs) {
					return nil
				}
				id, err := s.insert(ctx, tx, e.ID, pairs[i], demoUser)
				i++
				if err != nil {
					return fmt.Errorf("demo pairing: %w", err)
				}
				if err := s.walk(ctx, tx, id, sc.stage, e.StartsOn, plan.amount, r); err != nil {
					return err
				}
				if sc.stage == StageAgreement && i <= plan.onStage {
					if err := s.demoOnStage(ctx, tx, id, i); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.seedRequests(ctx, e.ID, pairs[i:]); err != nil {
		return err
	}
	return s.seedMeetings(ctx, e.ID)
}

// seedFlash signs the FLASH project with the demand it matches best, for
// 12亿元 on the edition's second day.
func (s *Store) seedFlash(ctx context.Context, e conference.Edition) (bool, error) {
	var flash int64
	err := s.db.R.GetContext(ctx, &flash, `SELECT id FROM projects WHERE edition_id = ? AND title = ?`, e.ID, conference.FlashTitle)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("demo FLASH project: %w", err)
	}
	ix, err := NewRecommender(s.db, s.log).build(ctx, e.ID)
	if err != nil {
		return false, err
	}
	hits := ix.Search(flash, 1)
	if len(hits) == 0 {
		return false, nil
	}
	p, err := s.Create(ctx, e.ID, NewPairing{DemandID: hits[0].Doc.ID, SupplyID: flash}, demoUser)
	if err != nil {
		return false, fmt.Errorf("demo FLASH pairing: %w", err)
	}
	amount := Wan(FlashAmountWan * 100) // Wan counts hundredths of 万元
	for _, st := range Line[1 : rank(StageSigned)+1] {
		in := StageInput{Stage: st}
		if needsSigning(st) {
			in.AmountWan, in.SignedOn = &amount, e.StartsOn.AddDays(1)
			in.Signatories = p.Demand.Organisation + "；" + p.Supply.Organisation
		}
		if _, err := s.SetStage(ctx, p.ID, in, demoUser); err != nil {
			return false, fmt.Errorf("demo FLASH stage %s: %w", st, err)
		}
	}
	return true, nil
}

// walk moves a new pairing along the line to stage, one step at a time, as
// coordinators would have recorded it.
func (s *Store) walk(ctx context.Context, tx *sqlx.Tx, id int64, stage string, day civil.Date, unit int, r *rand.Rand) error {
	target := stage
	if stage == StageDropped {
		target = Line[1+r.IntN(3)]
	}
	for _, st := range Line[1 : rank(target)+1] {
		in := StageInput{Stage: st}
		if needsSigning(st) {
			amount := Wan(unit * (1 + r.IntN(40)) * 100) // hundredths of 万元
			in.AmountWan, in.SignedOn = &amount, day
		}
		if err := s.demoStep(ctx, tx, id, in); err != nil {
			return err
		}
	}
	if stage == StageDropped {
		return s.demoStep(ctx, tx, id, StageInput{Stage: StageDropped, Note: "需求方调整技术路线，暂缓合作"})
	}
	return nil
}

// demoStep is SetStage inside the caller's transaction; a signing names
// both sides' organisations.
func (s *Store) demoStep(ctx context.Context, tx *sqlx.Tx, id int64, in StageInput) error {
	if err := in.Validate(dayOf(s.now())); err != nil {
		return fmt.Errorf("demo stage %s: %w", in.Stage, err)
	}
	p, err := getPairing(ctx, tx, id)
	if err != nil {
		return err
	}
	if needsSigning(in.Stage) {
		in.Signatories = p.Demand.Organisation + "；" + p.Supply.Organisation
	}
	if err := in.check(p); err != nil {
		return fmt.Errorf("demo stage %s: %w", in.Stage, err)
	}
	return s.move(ctx, tx, p, in, demoUser)
}

// demoOnStage puts an agreement on the signing stage at pos.
func (s *Store) demoOnStage(ctx context.Context, tx *sqlx.Tx, id int64, pos int) error {
	p, err := getPairing(ctx, tx, id)
	if err != nil {
		return err
	}
	return s.reorder(ctx, tx, p, &pos)
}

// seedRequests turns the last two pairs into delegation requests: one
// declined, one waiting.
func (s *Store) seedRequests(ctx context.Context, editionID int64, pairs []NewPairing) error {
	for i, np := range pairs {
		var del int64
		if err := s.db.R.GetContext(ctx, &del, `SELECT delegation_id FROM projects WHERE id = ?`, np.DemandID); err != nil {
			return fmt.Errorf("demo request: %w", err)
		}
		np.Message = "我方对该成果很感兴趣，希望在对接洽谈会上面谈。"
		p, err := s.Create(ctx, editionID, np, &web.Identity{Username: "demo", Role: web.RoleDelegation, DelegationID: del})
		if err != nil {
			return fmt.Errorf("demo request: %w", err)
		}
		if i == 0 {
			if _, err := s.Respond(ctx, p.ID, false, demoUser); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedMeetings books the open pairings into the edition's first pairing
// session, if there is one.
func (s *Store) seedMeetings(ctx context.Context, editionID int64) error {
	ss, err := s.Sessions(ctx, editionID)
	if err != nil || len(ss) == 0 {
		return err
	}
	_, err = s.AutoSchedule(ctx, ss[0].ID)
	return err
}

// demoPairs picks up to n distinct demand–supply pairs, best matches
// first: every demand's best counterpart, then every demand's second, and
// so on, so the pairs spread over the demands. Demands of the Mianyang
// delegation come first (the seed news is about its pairings); the first
// onStage pairs are ones between 涪江流域 delegations. Supplies already
// paired (the FLASH signing) are left out.
func (s *Store) demoPairs(ctx context.Context, editionID int64, n, onStage int) ([]NewPairing, error) {
	ix, err := NewRecommender(s.db, s.log).build(ctx, editionID)
	if err != nil {
		return nil, err
	}
	var mianyang int64
	_ = s.db.R.GetContext(ctx, &mianyang, `SELECT id FROM delegations WHERE edition_id = ? AND name = ?`, editionID, conference.Mianyang)
	river := map[int64]bool{}
	q, args, err := sqlx.In(`SELECT id FROM delegations WHERE edition_id = ? AND name IN (?)`, editionID, fujiang)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := s.db.R.SelectContext(ctx, &ids, s.db.R.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("demo 涪江 delegations: %w", err)
	}
	for _, id := range ids {
		river[id] = true
	}
	var paired []int64
	if err := s.db.R.SelectContext(ctx, &paired, `SELECT supply_id FROM pairings WHERE edition_id = ?`, editionID); err != nil {
		return nil, fmt.Errorf("demo paired supplies: %w", err)
	}
	demands := slices.Clone(ix.Docs(false))
	slices.SortStableFunc(demands, func(a, b Doc) int {
		return boolRank(b.DelegationID == mianyang) - boolRank(a.DelegationID == mianyang)
	})
	hits := make([][]Hit, len(demands))
	for i, d := range demands {
		hits[i] = ix.Search(d.ID, 8)
	}
	var out, first []NewPairing
	for round := range 8 {
		for i, d := range demands {
			if round >= len(hits[i]) || slices.Contains(paired, hits[i][round].Doc.ID) {
				continue
			}
			np := NewPairing{DemandID: d.ID, SupplyID: hits[i][round].Doc.ID}
			if len(first) < onStage && river[d.DelegationID] && river[hits[i][round].Doc.DelegationID] {
				first = append(first, np)
			} else {
				out = append(out, np)
			}
		}
	}
	out = append(first, out...)
	return out[:min(n, len(out))], nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
