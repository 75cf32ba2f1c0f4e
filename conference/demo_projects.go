package conference

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/jmoiron/sqlx"
)

// stageProject is a project the demo names and describes by hand.
type stageProject struct {
	kind, title, industry, org, summary string
}

// mianyangStage are Mianyang's 20 projects released at the 3rd
// conference's opening ceremony and provincial sessions, in the order of
// the opening ceremony. From the seed: the count (20, 9 more than the
// year before), that they cover 电子信息、先进材料、装备制造、食品饮料 and more,
// and the first three titles (the lithium-battery system of 西南科技大学 and
// the film research of 龙华光电薄膜公司 are named as conference results). The
// first project's organisation and every other title are made up from the
// city's industries.
var mianyangStage = []stageProject{
	{KindAchievement, "航空发动机及燃气轮机全流程参数测试技术", "装备制造", "中国空气动力研究与发展中心",
		"绵阳遴选的20个“硬核”科创项目之首，在第三届天府科技云服务大会开幕式上发布。面向航空发动机及燃气轮机研制，" +
			"覆盖部件试验到整机试车全流程的温度、压力、流量、振动等参数测试，寻求与整机和部件企业合作推广。"},
	{KindAchievement, "强稳健性锂电池循环寿命预估系统", "双碳与新能源", "西南科技大学",
		"西南科技大学的锂电池循环寿命预估系统，从天府科技云服务大会走向市场的绵阳硬核科技成果之一。" +
			"在电池工况多变、数据不全时仍能稳健预估循环寿命，用于动力电池和储能电池的健康管理与梯次利用评估。"},
	{KindAchievement, "高分子功能薄膜材料研究", "先进材料", "龙华光电薄膜公司",
		"龙华光电薄膜公司的高分子功能薄膜材料研究，从天府科技云服务大会走向市场的绵阳硬核科技成果之一。" +
			"研究光学、电学等功能薄膜的配方与成膜工艺，面向显示、光伏和电子器件用膜。"},
	{KindAchievement, "高功率固体激光器关键器件", "电子信息", "中国工程物理研究院激光聚变研究中心", ""},
	{KindHighTech, "智能电视图像画质增强芯片", "电子信息", "四川长虹电器股份有限公司", ""},
	{KindHighTech, "北斗惯导组合导航终端", "电子信息", "四川九洲电器集团有限责任公司", ""},
	{KindAchievement, "农药中间体绿色连续化合成工艺", "先进材料", "利尔化学股份有限公司", ""},
	{KindHighTech, "电子级聚酰亚胺薄膜", "先进材料", "四川东材科技集团股份有限公司", ""},
	{KindAchievement, "风洞试验数据智能处理平台", "电子信息", "中国空气动力研究与发展中心", ""},
	{KindHighTech, "新能源汽车电子水泵及热管理部件", "装备制造", "绵阳富临精工股份有限公司", ""},
	{KindAchievement, "磷酸铁锂正极材料连续化制备技术", "双碳与新能源", "西南科技大学", ""},
	{KindAchievement, "绵阳米粉标准化生产与保鲜技术", "食品饮料", "绵阳师范学院", ""},
	{KindHighTech, "浓香型白酒智能酿造技术", "食品饮料", "四川丰谷酒业有限责任公司", ""},
	{KindAchievement, "高端数控机床热误差补偿技术", "装备制造", "西南科技大学", ""},
	{KindAchievement, "便携式核辐射监测仪", "装备制造", "中国工程物理研究院", ""},
	{KindHighTech, "毫米波人体安检成像系统", "电子信息", "四川九洲电器集团有限责任公司", ""},
	{KindAchievement, "北川苔子茶精深加工技术", "食品饮料", "北川羌族自治县茶业协会", ""},
	{KindAchievement, "高性能稀土永磁电机材料", "先进材料", "西南应用磁学研究所", ""},
	{KindAchievement, "大口径光学元件超精密加工技术", "装备制造", "中国工程物理研究院机械制造工艺研究所", ""},
	{KindHighTech, "工业机器人视觉引导系统", "电子信息", "西南自动化研究所", ""},
}

// flashProject is the 2nd edition's FLASH project: the seed says the
// 中攻闪光高能X射线FLASH医疗设备项目, 1.2 billion yuan in total, was signed
// and started in Mianyang in January 2023 (the month of the 2nd
// conference). The company's full name is made up.
var flashProject = stageProject{KindHighTech, "高能X射线FLASH医疗设备", "生命健康", "中攻闪光医疗科技有限公司",
	"中攻闪光高能X射线FLASH医疗设备项目，总投资12亿元，2023年1月在绵阳签约开工，抢占FLASH放疗研发先机，" +
		"推动核医疗技术从科学研发、实验开发到推广应用。"}

// FlashTitle is the title of the FLASH project, for the pairing demo
// that records its signing.
const FlashTitle = "高能X射线FLASH医疗设备"

// batch is a run of generated projects for one delegation.
type batch struct {
	delegation string
	kinds      map[string]int // how many of each kind
	selected   int            // the first supply projects get selected
	major      bool           // and are released at the ceremony (重大发布)
	vetted     bool           // every project passed review (none waiting or rejected)
	industries []string       // the industries drawn from, weighted by repetition; nil for all
}

func (b batch) size() int {
	n := 0
	for _, k := range b.kinds {
		n += k
	}
	return n
}

// The seed's figures for Mianyang, which the plan below keeps:
//   - 1st edition: 270余 科创项目 (科技成果、高新技术、科技难题) and 19 科创金融产品;
//   - 2nd edition: the 513 projects selected (遴选) into the online 云展厅,
//     mainly 电子信息, 双碳与新能源, 农业种业 and 生命健康, so all passed review;
//   - 3rd edition: 481 科技成果（高新技术）, the 20 released among them, and
//     128 科技需求;
//   - 1,402 科创项目 over the three, so the 1st edition had 1402-513-609 = 280;
//   - 36 released at opening ceremonies and provincial sessions over the
//     three, 20 in the 3rd and 11 in the 2nd (20 is 9 more), so 5 in the 1st.
//
// Made up: the split of each edition's projects by kind and industry, and
// every other delegation's projects (more each year, 1–2 selected).
var demoPlan = map[int][]batch{
	1: {{delegation: Mianyang, kinds: map[string]int{KindAchievement: 140, KindHighTech: 70, KindDemand: 70}, selected: 5, major: true},
		{delegation: Mianyang, kinds: map[string]int{KindFinance: 19}}},
	2: {{delegation: Mianyang, kinds: map[string]int{KindAchievement: 298, KindHighTech: 104, KindDemand: 110},
		selected: 10, major: true, vetted: true, industries: []string{"电子信息", "电子信息", "双碳与新能源", "双碳与新能源", "农业种业", "农业种业",
			"生命健康", "生命健康", "先进材料", "装备制造", "食品饮料"}}},
	3: {{delegation: Mianyang, kinds: map[string]int{KindAchievement: 461 - 120, KindHighTech: 120, KindDemand: 128}}},
}

// mixedKinds is a mix of supply and demand kinds (for benchmarks).
var mixedKinds = []string{KindAchievement, KindAchievement, KindDemand, KindDemand, KindCapability, KindHighTech, KindResearch}

// othersPlan is each other delegation's batch in an edition (made up;
// the later editions' finance products are the other cities' banks').
var othersPlan = map[int]batch{
	1: {kinds: map[string]int{KindAchievement: 8, KindHighTech: 3, KindCapability: 2, KindDemand: 5}, selected: 1},
	2: {kinds: map[string]int{KindAchievement: 11, KindHighTech: 4, KindCapability: 3, KindResearch: 1, KindFinance: 4, KindDemand: 6}, selected: 1},
	3: {kinds: map[string]int{KindAchievement: 12, KindHighTech: 5, KindCapability: 3, KindResearch: 2, KindFinance: 3, KindDemand: 8}, selected: 2},
}

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
				pool := newTitlePool(r)
				if err := s.seedNamed(ctx, ins, demo, e); err != nil {
					return err
				}
				for _, b := range demoPlanFor(e, demo) {
					if err := seedBatch(ctx, ins, r, pool, demo, e, b); err != nil {
						return err
					}
				}
			}
			return nil
		})
	})
}

// demoPlanFor adds the other delegations to an edition's plan.
func demoPlanFor(e Edition, demo Demo) []batch {
	plan := demoPlan[e.Number]
	for _, d := range demo.Delegations[e.ID] {
		if b, ok := othersPlan[e.Number]; ok && d.Name != Mianyang {
			b.delegation = d.Name
			plan = append(plan, b)
		}
	}
	return plan
}

// seedNamed adds the projects the demo describes by hand: the 3rd
// edition's 20 released projects, the 2nd edition's FLASH project.
func (s *Store) seedNamed(ctx context.Context, ins *bulkInserter, demo Demo, e Edition) error {
	var named []stageProject
	switch e.Number {
	case 2:
		named = []stageProject{flashProject}
	case 3:
		named = mianyangStage
	}
	d, ok := demo.DelegationNamed(e.ID, Mianyang)
	if !ok || len(named) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(18, 19))
	for _, sp := range named {
		in := ProjectInput{Kind: sp.kind, Title: sp.title, Industry: sp.industry, Organisation: sp.org, Major: true,
			ContactName: ins.presenter(), ContactPhone: phone(r), DelegationID: d.ID, Keywords: []string{sp.industry}}
		in.Summary = sp.summary
		if in.Summary == "" {
			in.Summary = fmt.Sprintf("%s的%s，绵阳遴选的20个“硬核”科创项目之一，在第三届天府科技云服务大会开幕式及省级专场发布，"+
				"属%s领域，寻求成果转化与产业化合作。", sp.org, sp.title, sp.industry)
		}
		if err := ins.add(ctx, e.ID, in, StatusSelected, "遴选为开幕式及省级专场发布项目"); err != nil {
			return err
		}
	}
	return nil
}

// seedBatch adds a batch's projects, kinds in a fixed order with the
// supply kinds first, so the first supply projects are the selected ones.
func seedBatch(ctx context.Context, ins *bulkInserter, r *rand.Rand, pool *titlePool, demo Demo, e Edition, b batch) error {
	d, ok := demo.DelegationNamed(e.ID, b.delegation)
	if !ok {
		return fmt.Errorf("demo: no %s in edition %d", b.delegation, e.Number)
	}
	city := string([]rune(d.Name)[:2])
	if r := []rune(d.Name); len(r) > 5 && r[2] == '市' { // 重庆市北碚区科协: 北碚
		city = string(r[3:5])
	}
	selected := 0
	for _, kind := range []string{KindAchievement, KindHighTech, KindCapability, KindResearch, KindFinance, KindDemand} {
		for range b.kinds[kind] {
			industry := pick(r, demoIndustries).name
			if len(b.industries) > 0 {
				industry = pick(r, b.industries)
			}
			in, err := pool.project(r, kind, industry, city, d.Name == Mianyang)
			if err != nil {
				return err
			}
			in.DelegationID = d.ID
			status, note := StatusReviewed, ""
			switch {
			case kind != KindDemand && kind != KindFinance && selected < b.selected:
				selected++
				status, note = StatusSelected, "遴选为路演项目"
				if b.major {
					in.Major, note = true, "遴选为开幕式及省级专场发布项目"
				}
				in.ContactName = ins.presenter()
			case b.vetted:
			case r.IntN(20) == 0:
				status = StatusSubmitted
			case r.IntN(30) == 0:
				status, note = StatusRejected, "材料不完整"
			}
			if err := ins.add(ctx, e.ID, in, status, note); err != nil {
				return err
			}
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
