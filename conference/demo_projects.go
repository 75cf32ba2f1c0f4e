package conference

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/jmoiron/sqlx"
)

// stageProject is one of Mianyang's 20 projects released at the 3rd
// conference's opening ceremony and provincial sessions. The first three
// titles and organisations are from the seed news page; the rest follow
// the city's industries as the page lists them.
type stageProject struct {
	kind, title, industry, org string
	major                      bool
}

var mianyangStage = []stageProject{
	{KindAchievement, "航空发动机及燃气轮机全流程参数测试技术", "装备制造", "中国空气动力研究与发展中心", true},
	{KindAchievement, "强稳健性锂电池循环寿命预估系统", "双碳与新能源", "西南科技大学", true},
	{KindAchievement, "高分子功能薄膜材料研究", "先进材料", "龙华光电薄膜公司", true},
	{KindHighTech, "FLASH高能X射线放疗设备", "生命健康", "中攻闪光医疗科技有限公司", true},
	{KindAchievement, "高功率固体激光器关键器件", "电子信息", "中国工程物理研究院激光聚变研究中心", false},
	{KindHighTech, "智能电视图像画质增强芯片", "电子信息", "四川长虹电器股份有限公司", false},
	{KindHighTech, "北斗惯导组合导航终端", "电子信息", "四川九洲电器集团有限责任公司", false},
	{KindAchievement, "农药中间体绿色连续化合成工艺", "先进材料", "利尔化学股份有限公司", false},
	{KindHighTech, "电子级聚酰亚胺薄膜", "先进材料", "四川东材科技集团股份有限公司", false},
	{KindAchievement, "风洞试验数据智能处理平台", "电子信息", "中国空气动力研究与发展中心", false},
	{KindHighTech, "新能源汽车电子水泵及热管理部件", "装备制造", "绵阳富临精工股份有限公司", false},
	{KindAchievement, "磷酸铁锂正极材料连续化制备技术", "双碳与新能源", "西南科技大学", false},
	{KindAchievement, "绵阳米粉标准化生产与保鲜技术", "食品饮料", "绵阳师范学院", false},
	{KindHighTech, "浓香型白酒智能酿造技术", "食品饮料", "四川丰谷酒业有限责任公司", false},
	{KindAchievement, "高端数控机床热误差补偿技术", "装备制造", "西南科技大学", false},
	{KindAchievement, "便携式核辐射监测仪", "装备制造", "中国工程物理研究院", false},
	{KindHighTech, "毫米波人体安检成像系统", "电子信息", "绵阳科技城新区科创企业", false},
	{KindAchievement, "北川苔子茶精深加工技术", "食品饮料", "北川羌族自治县茶业协会", false},
	{KindResearch, "高性能稀土永磁电机材料", "先进材料", "西南应用磁学研究所", false},
	{KindAchievement, "大口径光学元件超精密加工技术", "装备制造", "中国工程物理研究院机械制造工艺研究所", false},
}

// mianyangOrgs are organisations Mianyang's generated projects come from.
var mianyangOrgs = []string{"西南科技大学", "绵阳师范学院", "中国工程物理研究院", "中国空气动力研究与发展中心",
	"四川长虹电器股份有限公司", "四川九洲电器集团有限责任公司", "利尔化学股份有限公司", "四川东材科技集团股份有限公司",
	"绵阳富临精工股份有限公司", "西南自动化研究所", "龙华光电薄膜公司", "四川丰谷酒业有限责任公司"}

// batch is a run of generated projects for one delegation.
type batch struct {
	delegation string
	kind       string // "" for a mix of supply and demand kinds
	n          int
	selected   int // the first n get selected
}

// demoPlan says what each edition (by number) holds: the 1st 270+ Mianyang
// projects with 19 finance products, the 2nd the 513 of the cloud hall,
// the 3rd Mianyang's 481 achievements and 128 demands in its key zone and
// 40 projects of every other delegation.
var demoPlan = map[int][]batch{
	1: {{Mianyang, "", 256, 5}, {Mianyang, KindFinance, 19, 0}},
	2: {{Mianyang, "", 513, 11}},
	3: {{Mianyang, KindAchievement, 481, 0}, {Mianyang, KindDemand, 128, 0}},
}

var mixedKinds = []string{KindAchievement, KindAchievement, KindDemand, KindDemand, KindCapability, KindHighTech, KindResearch}

// seedDemoProjects fills the demo editions with projects, in one
// transaction with one prepared statement: about 2,000 rows.
func (s *Store) seedDemoProjects(ctx context.Context, demo Demo) error {
	quota := len(mianyangStage)
	if _, err := s.SetSelectedQuota(ctx, demo.Current().ID, &quota); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(2024, 118))
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		ins, err := newBulkInserter(ctx, tx, s.now().UTC())
		if err != nil {
			return err
		}
		defer ins.close()
		return s.search.Bulk(ctx, tx, func() error {
			for _, e := range demo.Editions {
				if e.Number == 3 {
					if err := s.seedStage(ctx, ins, demo, e); err != nil {
						return err
					}
				}
				for _, b := range demoPlanFor(e, demo) {
					if err := seedBatch(ctx, ins, r, demo, e, b); err != nil {
						return err
					}
				}
			}
			return nil
		})
	})
}

// demoPlanFor adds the other delegations of the 3rd edition to its plan.
func demoPlanFor(e Edition, demo Demo) []batch {
	plan := demoPlan[e.Number]
	if e.Number == 3 {
		for _, d := range demo.Delegations[e.ID] {
			if d.Name != Mianyang {
				plan = append(plan, batch{delegation: d.Name, n: 40, selected: 2})
			}
		}
	}
	return plan
}

func (s *Store) seedStage(ctx context.Context, ins *bulkInserter, demo Demo, e Edition) error {
	d, ok := demo.DelegationNamed(e.ID, Mianyang)
	if !ok {
		return fmt.Errorf("demo: no %s in edition %d", Mianyang, e.Number)
	}
	r := rand.New(rand.NewPCG(18, 19))
	for _, sp := range mianyangStage {
		in := demoProject(r, sp.kind, "绵阳", nil)
		in.Title, in.Industry, in.Organisation, in.Major = sp.title, sp.industry, sp.org, sp.major
		in.Keywords = append([]string{sp.industry}, in.Keywords[1:]...)
		in.ContactName = ins.presenter()
		in.DelegationID = d.ID
		if err := ins.add(ctx, e.ID, in, StatusSelected, "遴选为开幕式及省级专场发布项目"); err != nil {
			return err
		}
	}
	return nil
}

func seedBatch(ctx context.Context, ins *bulkInserter, r *rand.Rand, demo Demo, e Edition, b batch) error {
	d, ok := demo.DelegationNamed(e.ID, b.delegation)
	if !ok {
		return fmt.Errorf("demo: no %s in edition %d", b.delegation, e.Number)
	}
	city := []rune(d.Name)
	orgs := []string(nil)
	if d.Name == Mianyang {
		orgs = mianyangOrgs
	}
	for i := range b.n {
		kind := b.kind
		if kind == "" {
			kind = pick(r, mixedKinds)
		}
		in := demoProject(r, kind, string(city[:2]), orgs)
		in.DelegationID = d.ID
		status, note := StatusReviewed, ""
		switch {
		case i < b.selected:
			status, note = StatusSelected, "遴选为路演项目"
			in.ContactName = ins.presenter()
		case r.IntN(20) == 0:
			status = StatusSubmitted
		case r.IntN(30) == 0:
			status, note = StatusRejected, "材料不完整"
		}
		if err := ins.add(ctx, e.ID, in, status, note); err != nil {
			return err
		}
	}
	return nil
}

// bulkInserter inserts many projects through one prepared statement.
type bulkInserter struct {
	stmt       *sqlx.Stmt
	now        any
	presenters int
}

// presenter names the contact of a selected project: a different person
// each time, so the roadshow demo never finds one presenter in two rooms.
func (b *bulkInserter) presenter() string {
	n := b.presenters
	b.presenters++
	return surnames[n%len(surnames)] + givenNames[(n/len(surnames))%len(givenNames)]
}

func newBulkInserter(ctx context.Context, tx *sqlx.Tx, now any) (*bulkInserter, error) {
	stmt, err := tx.PreparexContext(ctx, `INSERT INTO projects (edition_id, delegation_id, kind, title, summary,
		industry, organisation, keywords, contact_name, contact_phone, major, status, status_note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("prepare demo projects: %w", err)
	}
	return &bulkInserter{stmt: stmt, now: now}, nil
}

func (b *bulkInserter) add(ctx context.Context, editionID int64, in ProjectInput, status, note string) error {
	_, err := b.stmt.ExecContext(ctx, editionID, in.DelegationID, in.Kind, in.Title, in.Summary, in.Industry,
		in.Organisation, Keywords(in.Keywords), in.ContactName, in.ContactPhone, in.Major, status, note, b.now, b.now)
	if err != nil {
		return fmt.Errorf("demo project %q: %w", in.Title, err)
	}
	return nil
}

func (b *bulkInserter) close() { b.stmt.Close() }
