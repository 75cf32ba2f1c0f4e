package conference

import (
	"fmt"
	"math/rand/v2"
)

// Term lists for generated demo projects. Titles and summaries are put
// together from them with a seeded generator, so the same demo comes out
// every time and reads like the project lists of a real conference.

type industryTerms struct {
	name     string
	prefixes []string
	cores    []string // what the project is about; each is also a keyword
	needs    []string // what a demand asks for
	methods  []string
	uses     []string // where it is used
}

var demoIndustries = []industryTerms{
	{"电子信息",
		[]string{"基于深度学习的", "面向工业互联网的", "高可靠", "低功耗", "国产化", "基于北斗的", "多模态"},
		[]string{"图像识别系统", "边缘计算网关", "毫米波雷达", "北斗高精度定位终端", "工业软件平台", "智能传感器", "电磁兼容测试系统", "5G专网设备", "数字孪生平台", "射频芯片"},
		[]string{"产线设备联网与数据采集", "产品外观缺陷智能检测", "老旧系统国产化替代", "高精度室内定位", "电磁干扰抑制"},
		[]string{"卷积神经网络与迁移学习", "软硬件协同设计", "多源数据融合", "国产芯片适配"},
		[]string{"智能制造车间", "电力巡检", "智慧城市", "消费电子", "轨道交通"}},
	{"先进材料",
		[]string{"高性能", "新型", "环境友好型", "纳米", "耐高温", "功能化"},
		[]string{"功能薄膜材料", "碳纤维复合材料", "稀土永磁材料", "锂电池隔膜", "特种涂层", "高分子阻燃材料", "石墨烯导热膜", "陶瓷基复合材料", "光学膜", "钛合金粉末"},
		[]string{"薄膜材料量产良率提升", "复合材料低成本成型", "涂层耐腐蚀寿命", "阻燃材料无卤化", "材料性能检测"},
		[]string{"溶液流延与双向拉伸", "化学气相沉积", "原位聚合改性", "粉末冶金"},
		[]string{"新能源汽车", "显示面板", "航空航天", "建筑节能", "电子封装"}},
	{"装备制造",
		[]string{"智能化", "高精度", "重载", "全自动", "模块化", "数控"},
		[]string{"航空发动机测试技术", "燃气轮机部件", "工业机器人", "数控机床", "精密减速器", "无损检测装备", "增材制造装备", "液压系统", "风洞试验设备", "智能仓储装备"},
		[]string{"生产线自动化改造", "关键零部件精密加工", "设备故障预测与健康管理", "焊接质量在线检测", "大型构件装配"},
		[]string{"多传感器参数测试", "有限元仿真与优化", "机器视觉定位", "伺服控制"},
		[]string{"航空航天", "汽车零部件", "工程机械", "能源装备", "轨道交通"}},
	{"食品饮料",
		[]string{"绿色", "功能性", "低糖", "传统工艺", "冷链", "智能"},
		[]string{"白酒酿造工艺", "茶饮料", "川菜调味品", "果蔬保鲜技术", "益生菌发酵", "食品安全快检", "预制菜加工", "植物蛋白饮品", "粮油精深加工", "中央厨房系统"},
		[]string{"白酒酿造副产物综合利用", "调味品风味稳定", "果蔬采后保鲜", "食品微生物快速检测", "预制菜保质期延长"},
		[]string{"固态发酵调控", "超高压杀菌", "风味物质组学分析", "智能温控"},
		[]string{"酒类企业", "餐饮连锁", "农产品加工园区", "商超冷链", "学校食堂"}},
	{"双碳与新能源",
		[]string{"强稳健性", "高效", "低碳", "长寿命", "分布式", "智慧"},
		[]string{"锂电池循环寿命预估系统", "光伏组件", "储能系统", "氢燃料电池", "风电运维平台", "碳排放监测系统", "余热回收装置", "动力电池回收技术", "钠离子电池", "虚拟电厂平台"},
		[]string{"储能电站安全预警", "工业园区碳排放核算", "动力电池梯次利用", "锅炉余热回收", "分布式光伏运维"},
		[]string{"电化学模型与数据驱动融合", "钙钛矿叠层", "热管理优化", "大数据能耗分析"},
		[]string{"储能电站", "工业园区", "新能源汽车", "数据中心", "农村电网"}},
	{"农业种业",
		[]string{"高产", "抗逆", "优质", "绿色", "数字", "节水"},
		[]string{"水稻新品种", "杂交油菜", "生猪育种技术", "茶树良种", "智慧农业监测系统", "植保无人机", "中药材种植技术", "果树矮化栽培", "土壤改良剂", "水肥一体化系统"},
		[]string{"丘陵地区机械化种植", "病虫害绿色防控", "良种繁育", "农产品品质溯源", "高标准农田建设"},
		[]string{"分子标记辅助育种", "物联网监测", "生物防治", "精准施肥"},
		[]string{"丘陵山区", "家庭农场", "种业企业", "现代农业园区", "合作社"}},
	{"生命健康",
		[]string{"精准", "智能", "微创", "新型", "便携式", "个性化"},
		[]string{"医学影像辅助诊断系统", "体外诊断试剂", "康复机器人", "中药新药", "医用敷料", "基因检测技术", "可穿戴健康监测设备", "核医学药物", "骨科植入物", "远程诊疗平台"},
		[]string{"基层医疗影像诊断", "慢病长期监测", "术后康复训练", "中药质量标准提升", "医疗器械注册检验"},
		[]string{"人工智能影像分析", "微流控芯片", "生物相容性改性", "靶向递送"},
		[]string{"基层医院", "三甲医院", "康复中心", "养老机构", "社区卫生服务中心"}},
}

var (
	titleSuffixes = []string{"研发", "及产业化", "关键技术研究", "应用示范", "研制", "", "技术", "开发与应用"}
	demandSuffix  = []string{"技术需求", "技术攻关", "解决方案征集", "合作需求"}
	surnames      = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"}
	givenNames    = []string{"伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "志强", "建华", "晓东", "海燕"}
	orgSuffixes   = []string{"科技有限公司", "研究院", "股份有限公司", "技术有限公司", "智能科技有限公司", "新材料有限公司"}
	orgWords      = []string{"华", "科", "创", "新", "达", "宏", "信", "联", "天", "益", "恒", "盛", "瑞", "通", "远", "航"}
	financeCores  = []string{"科技型中小企业贷", "知识产权质押融资", "科创投资基金", "人才贷", "科技保险", "研发费用贷", "成果转化贷", "投贷联动产品", "科技担保", "天府科创贷"}
	financeBanks  = []string{"绵阳市商业银行", "中国银行四川省分行", "成都银行", "四川银行", "工商银行绵阳分行", "科技金融服务中心", "天府股权交易中心"}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func personName(r *rand.Rand) string { return pick(r, surnames) + pick(r, givenNames) }

func orgName(r *rand.Rand, city string) string {
	return city + pick(r, orgWords) + pick(r, orgWords) + pick(r, orgSuffixes)
}

func phone(r *rand.Rand) string { return fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.Uint64N(1e9)) }

// demoProject makes one project of kind in a random industry.
func demoProject(r *rand.Rand, kind, city string, orgs []string) ProjectInput {
	ind := pick(r, demoIndustries)
	core := pick(r, ind.cores)
	in := ProjectInput{Kind: kind, Industry: ind.name, ContactName: personName(r), ContactPhone: phone(r)}
	if len(orgs) > 0 && r.IntN(3) == 0 {
		in.Organisation = pick(r, orgs)
	} else {
		in.Organisation = orgName(r, city)
	}
	switch kind {
	case KindDemand:
		need := pick(r, ind.needs)
		in.Title = need + pick(r, demandSuffix)
		in.Summary = fmt.Sprintf("本单位在%s方面存在技术瓶颈，现有%s难以满足生产需要。拟寻求高校、科研院所或企业合作，"+
			"采用%s等方法开展联合攻关，预期投入%d万元，希望合作方具备相关成果转化经验。", need, core, pick(r, ind.methods), 20+r.IntN(30)*10)
		in.Keywords = []string{need, core}
	case KindFinance:
		fc := pick(r, financeCores)
		in.Organisation = pick(r, financeBanks)
		in.Title = fc
		in.Industry = ind.name
		in.Summary = fmt.Sprintf("面向%s领域科技型企业的%s，单户额度最高%d万元，期限最长%d年，"+
			"以知识产权、订单和科技人才信用为主要增信方式，线上申请、最快%d个工作日放款。", ind.name, fc, 100+r.IntN(20)*50, 1+r.IntN(5), 3+r.IntN(5))
		in.Keywords = []string{"科技金融", fc}
	default:
		in.Title = pick(r, ind.prefixes) + core + pick(r, titleSuffixes)
		in.Summary = fmt.Sprintf("该项目面向%s，针对%s等问题，采用%s，研制了%s。关键指标较国内同类产品提升%d%%以上，"+
			"已获授权发明专利%d项，在%s开展应用示范，具备规模化推广条件。", pick(r, ind.uses), pick(r, ind.needs),
			pick(r, ind.methods), core, 10+r.IntN(40), 1+r.IntN(12), pick(r, ind.uses))
		in.Keywords = []string{core, pick(r, ind.uses)}
	}
	return in
}
