package pairing

import "strings"

// Demands and supplies describe one subject in different words: a demand
// names its problem (产品外观缺陷智能检测, 良种繁育), a supply what it offers
// (图像识别系统, 水稻新品种). Bigrams cannot bridge that; topics can. A topic
// is a small hand-written group of the words both sides use for one
// subject of the conference's industries. A project whose TITLE contains
// one of a topic's words gets the topic as a term of its own, so a demand
// and a supply meet on the topic even with no characters in common, and the
// reason shown is the topic's name. Only titles count: summaries mention
// problems in passing, and a demand's keywords name the equipment it
// already has.
//
// The list is domain knowledge, not learnt; it is small on purpose and is
// the first thing to extend when coordinators report a wrong match.
var topics = []struct {
	name  string
	words []string
}{
	{"视觉检测", []string{"缺陷", "外观", "图像识别", "机器视觉", "无损检测", "焊接质量", "在线检测"}},
	{"工业互联网", []string{"联网", "数据采集", "边缘计算", "网关", "工业软件", "5G专网", "工业互联网", "智能传感器", "数字孪生"}},
	{"国产化替代", []string{"国产化", "工业软件", "国产芯片"}},
	{"定位导航", []string{"定位", "北斗", "导航", "惯导", "毫米波雷达", "5G专网"}},
	{"电磁兼容", []string{"电磁干扰", "电磁兼容"}},
	{"膜材料", []string{"薄膜", "光学膜", "导热膜", "隔膜"}},
	{"复合材料成型", []string{"复合材料", "成型", "增材制造"}},
	{"防腐涂层", []string{"涂层", "耐腐蚀", "防腐"}},
	{"阻燃材料", []string{"阻燃"}},
	{"产线自动化", []string{"自动化", "生产线", "工业机器人", "智能仓储", "数控机床", "边缘计算网关"}},
	{"精密加工", []string{"精密加工", "数控机床", "增材制造", "超精密", "热误差", "零部件"}},
	{"预测性维护", []string{"故障预测", "健康管理", "智能传感器", "数字孪生", "运维平台", "参数测试"}},
	{"大型装配", []string{"构件装配", "工业机器人", "液压"}},
	{"白酒酿造", []string{"白酒", "酿造", "酿酒", "发酵"}},
	{"调味风味", []string{"调味品", "风味"}},
	{"食品保鲜", []string{"保鲜", "保质期", "预制菜", "中央厨房"}},
	{"食品检测", []string{"微生物", "快速检测", "快检"}},
	{"储能安全", []string{"储能", "安全预警", "电池循环寿命", "电池寿命"}},
	{"碳排放管理", []string{"碳排放", "碳核算", "虚拟电厂"}},
	{"电池回收利用", []string{"梯次利用", "电池回收", "电池循环寿命", "储能系统"}},
	{"余热利用", []string{"余热"}},
	{"光伏运维", []string{"光伏", "虚拟电厂"}},
	{"农业机械化", []string{"机械化", "植保无人机", "矮化栽培", "水肥一体化"}},
	{"植物保护", []string{"病虫害", "植保", "农业监测", "生物防治"}},
	{"种业育种", []string{"良种", "育种", "新品种", "杂交", "繁育"}},
	{"质量溯源", []string{"溯源", "农业监测"}},
	{"农田建设", []string{"农田", "土壤改良", "水肥一体化", "农业监测"}},
	{"影像诊断", []string{"影像", "远程诊疗"}},
	{"健康监测", []string{"慢病", "健康监测", "可穿戴", "远程诊疗"}},
	{"康复", []string{"康复"}},
	{"中医药", []string{"中药"}},
}

// topicPrefix marks a topic term in the index.
const topicPrefix = "@"

// titleTopics calls add with the topic term of every topic whose words
// the title contains.
func titleTopics(title string, add func(term []byte)) {
	for _, t := range topics {
		for _, w := range t.words {
			if strings.Contains(title, w) {
				add([]byte(topicPrefix + t.name))
				break
			}
		}
	}
}
