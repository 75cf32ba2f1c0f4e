package pairing

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// synthVocab is the vocabulary of the synthetic platform-scale corpus: per
// industry, terms a project in it would use.
var synthVocab = map[string][]string{
	"电子信息": {"集成电路", "芯片设计", "传感器", "工业互联网", "人工智能", "边缘计算", "射频器件", "光通信", "显示面板", "嵌入式系统",
		"数据中心", "网络安全", "北斗导航", "物联网终端", "云计算平台", "机器视觉", "功率半导体", "印制电路板", "智能终端", "大数据分析"},
	"先进材料": {"碳纤维", "复合材料", "高分子材料", "稀土永磁", "石墨烯", "特种陶瓷", "钛合金", "涂层技术", "正极材料", "负极材料",
		"电子陶瓷", "高温合金", "纳米材料", "功能薄膜", "玄武岩纤维", "磁性材料", "锂盐", "硅基材料", "新型建材", "粉末冶金"},
	"装备制造": {"数控机床", "工业机器人", "精密加工", "激光焊接", "液压系统", "智能装备", "航空零部件", "轨道交通", "减速器", "伺服电机",
		"增材制造", "模具设计", "自动化产线", "无损检测", "齿轮传动", "汽车零部件", "工程机械", "无人机", "智能制造", "故障诊断"},
	"食品饮料": {"白酒酿造", "固态发酵", "茶叶加工", "冷链物流", "食品安全检测", "功能饮料", "果蔬保鲜", "调味品", "肉制品加工", "乳制品",
		"酶制剂", "包装材料", "预制菜", "营养强化", "风味物质", "酿酒微生物", "粮油加工", "饮用水", "烘焙食品", "食品添加剂"},
	"双碳与新能源": {"锂电池", "储能系统", "光伏组件", "氢燃料电池", "风力发电", "碳捕集", "节能改造", "电池管理", "充电桩", "余热回收",
		"分布式能源", "新能源汽车", "固态电池", "钠离子电池", "电解水制氢", "碳排放核算", "智能电网", "生物质能", "热泵", "动力电池回收"},
	"农业种业": {"杂交水稻", "种质资源", "分子育种", "智慧农业", "病虫害防治", "土壤改良", "节水灌溉", "畜禽养殖", "水产养殖", "中药材种植",
		"有机肥料", "农机装备", "设施农业", "油菜品种", "生猪育种", "果树栽培", "农产品溯源", "植物工厂", "饲料配方", "秸秆利用"},
	"生命健康": {"医疗器械", "体外诊断", "创新药物", "中医药", "康复辅具", "基因检测", "医学影像", "疫苗研发", "生物制药", "远程医疗",
		"健康监测", "细胞治疗", "药物制剂", "手术机器人", "养老服务", "医用材料", "抗体药物", "精准医疗", "药食同源", "慢病管理"},
}

var synthGeneric = []string{"技术", "研发", "应用", "关键技术", "产业化", "合作", "成果转化", "示范", "平台", "系统", "工艺", "方法",
	"提升", "降低成本", "质量", "效率", "企业", "高校", "需求", "解决方案", "智能化", "绿色", "检测", "优化", "国产化替代"}

var synthIndustries = []string{"电子信息", "先进材料", "装备制造", "食品饮料", "双碳与新能源", "农业种业", "生命健康"}

var synthSupplyKinds = []string{"achievement", "capability", "hightech", "research", "finance"}

// synthCorpus makes demands and supplies with Chinese texts of about 35
// distinct terms each, from a seeded generator so runs compare.
//
// Each industry's vocabulary is its hand-picked terms followed by
// synthWords made-up words of 2–4 common characters, picked with a skew
// (low indexes, the hand-picked terms first, far more often), so that
// term frequencies fall off as in real texts.
func synthCorpus(seed uint64, demands, supplies int) []Doc {
	r := rand.New(rand.NewPCG(seed, 1))
	vocab := synthVocabulary(r)
	docs := make([]Doc, 0, demands+supplies)
	for i := range demands + supplies {
		docs = append(docs, synthDoc(r, vocab, int64(i+1), i >= demands))
	}
	return docs
}

const synthWords = 1500

func synthVocabulary(r *rand.Rand) map[string][]string {
	chars := make([]rune, 3000)
	for i := range chars {
		chars[i] = rune(0x4E00 + r.IntN(0x5000))
	}
	out := map[string][]string{}
	for ind, terms := range synthVocab {
		words := append([]string(nil), terms...)
		for range synthWords {
			w := make([]rune, 2+r.IntN(3))
			for j := range w {
				w[j] = chars[r.IntN(len(chars))]
			}
			words = append(words, string(w))
		}
		out[ind] = words
	}
	return out
}

func synthDoc(r *rand.Rand, vocab map[string][]string, id int64, supply bool) Doc {
	ind := synthIndustries[r.IntN(len(synthIndustries))]
	skewed := func(v []string) string { return v[r.IntN(r.IntN(len(v))+1)] }
	pick := func() string {
		if r.IntN(5) == 0 { // now and then a term from another industry
			return skewed(vocab[synthIndustries[r.IntN(len(synthIndustries))]])
		}
		return skewed(vocab[ind])
	}
	gen := func() string { return synthGeneric[r.IntN(len(synthGeneric))] }
	suffix := "技术需求"
	if supply {
		suffix = "关键技术"
	}
	var sum strings.Builder
	for range 6 {
		sum.WriteString(pick() + gen() + "，")
	}
	return Doc{
		ID: id, Supply: supply, Industry: ind, DelegationID: id % 20,
		Title:    fmt.Sprintf("%s%s%s", pick(), pick(), suffix),
		Summary:  sum.String(),
		Keywords: []string{pick(), pick(), pick()},
	}
}
