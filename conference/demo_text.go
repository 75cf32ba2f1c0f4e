package conference

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Term lists for generated demo projects. Every industry has topics: a
// thing a supplier offers (core), where it is used, how it is made and
// what a demand side asks about it. A generated project takes one topic,
// so its title, summary, keywords and organisation agree with each other
// and with its industry. All of it is made up in the style of the seed
// news page's project lists; none of it is from the seed.

type topic struct {
	core   string   // what a supply project offers; also its first keyword
	uses   []string // where it is used
	method string   // how it is done
	needs  []string // what a demand asks for (each names the thing)
}

type industryTerms struct {
	name       string
	qualifiers []string // title openings for supply projects, at least 3 edits apart
	orgTails   []string // how generated organisations of the industry are named
	topics     []topic
}

func tp(core, uses, method, needs string) topic {
	return topic{core: core, uses: strings.Split(uses, "、"), method: method, needs: strings.Split(needs, "、")}
}

var demoIndustries = []industryTerms{
	{"电子信息",
		[]string{"新一代", "国产化", "高可靠"},
		[]string{"电子科技有限公司", "信息技术有限公司", "智能科技有限公司"},
		[]topic{
			tp("工业视觉缺陷检测系统", "电子元器件产线、汽车零部件产线", "深度学习与迁移学习", "产品外观缺陷智能检测、微小缺陷漏检率降低、检测节拍提升"),
			tp("边缘计算网关", "工厂设备联网、园区能耗监测", "软硬件协同设计", "产线设备联网与数据采集、多协议设备统一接入、边缘侧实时分析"),
			tp("北斗高精度定位终端", "电力巡检、地质灾害监测", "多源数据融合", "复杂山区高精度定位、北斗终端小型化、地灾监测点位移预警"),
			tp("毫米波交通雷达", "智慧路口、周界安防", "阵列天线与信号处理", "雨雾天气目标识别、交通雷达成本降低、多目标轨迹跟踪"),
			tp("工业设计仿真软件", "装备制造企业、科研院所", "国产求解器自主开发", "老旧工业软件国产化替代、研发数据统一管理、仿真计算效率提升"),
			tp("MEMS智能传感器", "工业物联网、环境监测", "MEMS工艺与片上补偿", "传感器温漂补偿、传感器低功耗设计、恶劣环境传感器封装"),
			tp("电磁兼容测试系统", "电子整机企业、新能源汽车", "自动化测试与暗室校准", "电子产品电磁干扰抑制、电磁兼容预测试、车载电子辐射发射整改"),
			tp("5G工业专网设备", "矿山井下、港口码头", "网络切片与边缘部署", "厂区无线网络全覆盖、5G专网时延保障、井下通信可靠性"),
			tp("数字孪生工厂平台", "智能制造车间、城市管理", "三维建模与实时数据驱动", "产线数字孪生建模、设备运行状态可视化、排产仿真优化"),
			tp("射频前端芯片", "通信基站、卫星通信", "化合物半导体工艺", "射频芯片国产化替代、功放芯片效率提升、芯片封装散热"),
			tp("智能语音交互模组", "智能家电、车载终端", "远场语音识别", "家电语音交互识别率提升、四川方言语音识别、离线语音唤醒"),
			tp("网络安全态势感知系统", "政务云、工业控制系统", "流量分析与威胁情报", "工业控制网络安全防护、网络攻击溯源、数据泄露监测"),
			tp("智能电表与用电信息采集终端", "居民小区、工商业用户", "宽带载波通信", "用电信息采集成功率提升、台区线损精准分析、电表远程费控"),
			tp("北斗短报文应急通信终端", "森林防火、应急救援", "卫星短报文与自组网", "无公网区域应急通信、救援人员位置回传、应急终端续航提升"),
			tp("智慧园区综合管理平台", "产业园区、高校校园", "物联网与大数据", "园区设备集中运维、园区能耗精细管理、访客车辆智能管理"),
			tp("高速电路板信号完整性仿真软件", "服务器主板、通信设备", "电磁场全波仿真", "高速信号串扰抑制、电路板叠层优化、电源完整性分析"),
			tp("分布式光纤传感监测系统", "桥梁隧道、油气管道", "光纤测温测振", "管道泄漏定位、隧道结构健康监测、周界入侵报警"),
			tp("嵌入式实时操作系统", "工业控制器、航电设备", "微内核架构", "控制器软件国产化替代、实时任务调度确定性、系统功能安全认证"),
			tp("智能巡检机器人", "变电站、数据机房", "激光SLAM导航", "变电站无人巡检、仪表读数自动识别、机房温湿度巡测"),
		}},
	{"先进材料",
		[]string{"新一代", "国产化", "高性能"},
		[]string{"新材料有限公司", "材料科技有限公司", "新材料股份有限公司"},
		[]topic{
			tp("碳纤维复合材料", "无人机结构件、轨道交通车体", "热压罐与模压成型", "复合材料低成本成型、碳纤维构件无损检测、复合材料回收利用"),
			tp("锂电池隔膜", "动力电池、储能电池", "湿法双向拉伸", "隔膜涂覆一致性提升、隔膜耐热性能提升、隔膜生产线良率提升"),
			tp("防腐耐磨涂层", "化工管道、水电站过流部件", "超音速火焰喷涂", "涂层耐腐蚀寿命延长、涂层结合强度提升、水轮机叶片抗磨蚀"),
			tp("无卤阻燃工程塑料", "电器外壳、汽车内饰", "原位聚合改性", "阻燃材料无卤化、阻燃塑料力学性能保持、阻燃塑料低烟化"),
			tp("石墨烯导热膜", "智能手机散热、电池热管理", "化学气相沉积", "导热膜量产成本降低、导热膜厚度均匀性、散热模组轻薄化"),
			tp("碳化硅陶瓷基复合材料", "高温炉窑、半导体设备", "先驱体浸渍裂解", "陶瓷基复合材料抗氧化、大尺寸陶瓷构件烧结、陶瓷部件精密加工"),
			tp("3D打印钛合金粉末", "医疗植入物、航天结构件", "等离子旋转电极雾化", "钛合金粉末球形度提升、粉末氧含量控制、粉末回收再利用"),
			tp("高纯电子化学品", "集成电路制造、显示面板", "精馏与膜过滤纯化", "电子级化学品杂质控制、湿电子化学品国产化、化学品包装洁净度"),
			tp("生物基可降解材料", "食品包装、农用地膜", "生物发酵与共混改性", "可降解材料耐热性提升、可降解包装成本降低、全降解地膜田间寿命"),
			tp("混凝土外加剂", "桥梁隧道、装配式建筑", "分子结构设计", "混凝土早期开裂控制、机制砂混凝土工作性改善、外加剂适应性提升"),
			tp("玄武岩纤维", "道路工程、环保滤材", "池窑拉丝", "玄武岩纤维拉丝稳定性、玄武岩纤维制品开发、纤维表面浸润剂"),
			tp("气凝胶隔热材料", "电池包防火、工业管道保温", "常压干燥", "气凝胶低成本制备、气凝胶掉粉问题改善、隔热毡批量生产"),
			tp("超高分子量聚乙烯纤维", "防护装备、海洋缆绳", "冻胶纺丝", "纤维强度一致性、纤维抗蠕变性能、纺丝溶剂回收"),
			tp("高导热绝缘灌封胶", "电动汽车电控、照明驱动电源", "填料表面改性", "灌封胶导热系数提升、灌封胶低粘度化、灌封胶耐冷热冲击"),
			tp("氯化法钛白粉", "涂料、塑料母粒", "沸腾氯化", "钛白粉白度提升、氯化渣无害化处理、钛白粉分散性改善"),
			tp("铝合金轻量化型材", "电动汽车车身、轨道交通", "挤压与热处理", "型材强度与成形性兼顾、铝合金焊接变形、型材表面处理"),
			tp("水性工业涂料", "钢结构防护、家具制造", "丙烯酸乳液合成", "涂料VOC减排、水性涂料干燥速度、水性涂层耐水性"),
			tp("铁氧体吸波材料", "电子设备屏蔽、通信基站", "铁氧体复合", "宽频吸波性能、吸波涂层轻薄化、吸波材料耐候性"),
			tp("光伏级多晶硅", "光伏电池片、半导体硅片", "改良西门子法", "多晶硅能耗降低、硅料杂质控制、四氯化硅综合利用"),
		}},
	{"装备制造",
		[]string{"新一代", "国产化", "高精度"},
		[]string{"机械有限公司", "装备制造有限公司", "智能装备有限公司"},
		[]topic{
			tp("六轴焊接机器人", "钢结构焊接、汽车焊装", "伺服控制与轨迹规划", "焊接机器人离线编程、机器人重复定位精度提升、焊缝自动跟踪"),
			tp("精密摆线减速器", "机器人关节、数控转台", "齿形修形与精密磨削", "减速器背隙控制、减速器寿命提升、减速器国产化替代"),
			tp("超声相控阵检测装备", "压力容器、焊接结构", "相控阵成像", "焊缝缺陷在线检测、复合材料内部缺陷检测、检测数据自动判读"),
			tp("激光选区熔化设备", "复杂结构件、随形冷却模具", "多激光协同扫描", "增材制造零件变形控制、打印件表面质量提升、成形效率提升"),
			tp("电液伺服作动系统", "工程机械、试验台架", "闭环压力流量控制", "液压系统泄漏监测、电液伺服响应提升、液压元件国产化"),
			tp("智能立体仓储系统", "电商仓库、制造企业物流", "多机器人调度", "仓储拣选效率提升、老旧仓库立体化改造、出入库账实一致"),
			tp("设备预测性维护系统", "风机水泵、机床主轴", "振动信号分析", "设备故障提前预警、旋转设备状态监测、备件库存优化"),
			tp("光纤激光焊接装备", "钣金加工、电池壳体", "光纤激光与视觉定位", "厚板激光切割质量、电池壳体激光焊接、焊接飞溅控制"),
			tp("柔性装配生产线", "家电总装、汽车零部件", "机器视觉定位", "生产线自动化改造、大型构件装配精度、多品种混线生产"),
			tp("高速电主轴", "加工中心、精密磨床", "动平衡与热稳定设计", "主轴温升控制、主轴高速振动抑制、主轴轴承寿命"),
			tp("多轴振动试验台", "电子产品可靠性试验、汽车零部件试验", "多轴振动控制", "多轴振动试验控制精度、试验台国产化替代、试验夹具设计"),
			tp("锂电电动叉车", "物流园区、工厂车间", "永磁同步驱动", "叉车电动化改造、叉车电池续航提升、叉车智能避障"),
			tp("盾构机关键部件", "地铁隧道、水利隧洞", "再制造与寿命评估", "刀盘刀具磨损监测、盾构主轴承国产化、盾构部件再制造"),
			tp("智能注塑成型装备", "家电外壳、汽车内饰件", "伺服节能驱动", "注塑件尺寸稳定性、注塑能耗降低、模具温度均衡"),
			tp("水轮发电机组", "中小水电站、抽水蓄能电站", "水力模型优化", "水轮机效率提升、机组振动摆度控制、老旧机组增容改造"),
			tp("农产品分选包装线", "果蔬产地仓、冷链物流", "机器视觉分级", "水果糖度无损分选、包装线柔性换型、分选破损率降低"),
			tp("低氮燃烧蒸汽锅炉", "食品厂、印染厂", "分级燃烧与烟气再循环", "锅炉氮氧化物减排、锅炉热效率提升、锅炉智能燃烧控制"),
			tp("高压球阀", "油气管道、化工装置", "密封面堆焊", "阀门内漏控制、阀门高温高压密封、高压阀门国产化替代"),
			tp("复合翼无人机", "物流配送、测绘巡检", "复合翼气动设计", "无人机长航时、无人机抗风能力、无人机自主避障"),
		}},
	{"食品饮料",
		[]string{"新一代", "标准化", "高品质"},
		[]string{"食品有限公司", "食品科技有限公司", "农产品开发有限公司"},
		[]topic{
			tp("酒糟资源化利用技术", "白酒企业、饲料企业", "固态发酵调控", "酒糟高值化利用、酿酒废水处理、丢糟饲料化"),
			tp("川味复合调味料", "餐饮连锁、调味品企业", "风味物质组学分析", "复合调味料风味稳定、调味料减盐配方、火锅底料标准化"),
			tp("果蔬采后保鲜技术", "猕猴桃产区、商超冷链", "气调与冷链温控", "猕猴桃采后保鲜、果蔬贮藏损耗降低、柑橘防腐保鲜"),
			tp("益生菌发酵乳", "乳品企业、功能食品", "菌种筛选与发酵工艺", "益生菌活菌数保持、发酵乳后酸化控制、本土乳酸菌菌种开发"),
			tp("食品安全快检试剂盒", "农贸市场、学校食堂", "免疫层析", "农药残留快速检测、食品微生物快速检测、兽药残留现场筛查"),
			tp("预制菜加工工艺", "中央厨房、餐饮连锁", "超高压杀菌与速冻", "预制菜保质期延长、预制菜口感还原、川菜预制菜标准化"),
			tp("植物蛋白饮品", "饮料企业、早餐连锁", "酶解与均质", "植物蛋白饮料沉淀控制、饮品豆腥味去除、核桃乳稳定性"),
			tp("菜籽油精深加工", "粮油企业、合作社", "低温压榨与精炼", "菜籽油品质提升、菜籽饼粕综合利用、浓香菜籽油风味保持"),
			tp("猕猴桃果酒酿造", "果酒企业、休闲农业", "低温发酵", "果酒澄清稳定、果酒香气提升、果酒甲醇控制"),
			tp("肉制品低温加工", "肉制品企业、冷链配送", "低温慢煮与品质控制", "肉制品减亚硝、腊肉制品安全生产、冷鲜肉货架期"),
			tp("代餐营养食品", "健康食品企业、电商", "低GI配方设计", "代餐食品饱腹感提升、低糖配方口感改善、代餐粉冲调性"),
			tp("食品智能包装", "食品企业、电商物流", "气调包装与时间温度指示", "食品包装货架期延长、包装标签溯源、冷链温度可视化"),
			tp("牛肉干休闲食品", "休闲食品企业、电商", "低温烘烤与腌制", "牛肉干嫩度提升、休闲肉制品减盐、休闲食品保质期延长"),
			tp("四川泡菜发酵工艺", "泡菜企业、餐饮连锁", "纯种接种发酵", "泡菜亚硝酸盐控制、泡菜发酵周期缩短、泡菜盐水循环利用"),
			tp("精酿啤酒", "精酿酒坊、餐饮连锁", "低温发酵与干投酒花", "啤酒风味稳定性、精酿啤酒保质期、啤酒酵母回收利用"),
			tp("魔芋精深加工", "魔芋种植区、健康食品企业", "葡甘聚糖提纯", "魔芋胶凝性能提升、魔芋制品脱碱、魔芋飞粉综合利用"),
			tp("花椒精油", "调味品企业、香料企业", "超临界二氧化碳萃取", "花椒麻味物质稳定、花椒精油得率提升、花椒品质分级"),
			tp("蜂蜜深加工", "养蜂合作社、保健食品企业", "低温浓缩", "蜂蜜结晶控制、蜂蜜真伪鉴别、蜂产品功能成分保持"),
			tp("速冻面点", "中央厨房、商超", "液氮速冻", "速冻面点开裂控制、面点复蒸口感、冷冻面团发酵稳定"),
		}},
	{"双碳与新能源",
		[]string{"新一代", "国产化", "高效率"},
		[]string{"新能源科技有限公司", "能源技术有限公司", "节能科技有限公司"},
		[]topic{
			tp("电池储能安全预警系统", "储能电站、工商业储能", "多参数融合诊断", "储能电池热失控预警、储能系统安全评估、储能舱消防联动"),
			tp("光伏智能运维平台", "分布式光伏电站、工商业屋顶", "无人机巡检与图像识别", "光伏组件热斑识别、光伏电站发电效率提升、组件清洗周期优化"),
			tp("氢燃料电池电堆", "物流车、备用电源", "膜电极制备", "燃料电池低温启动、电堆成本降低、膜电极耐久性"),
			tp("碳排放在线监测系统", "工业园区、火电厂", "大数据能耗分析", "工业园区碳排放核算、企业碳足迹评价、碳排放数据质量"),
			tp("工业余热回收装置", "钢铁窑炉、化工企业", "热管换热", "锅炉余热回收、低温余热发电、窑炉烟气余热利用"),
			tp("动力电池梯次利用技术", "通信基站备电、低速电动车", "快速分选与重组", "退役电池快速分选、梯次电池一致性评估、退役电池安全拆解"),
			tp("钠离子电池", "电动两轮车、户用储能", "层状氧化物正极", "钠离子电池能量密度提升、钠电池低温性能、钠电池量产工艺"),
			tp("虚拟电厂调度平台", "园区微电网、负荷聚合商", "负荷预测与优化调度", "可调负荷聚合、需求响应收益提升、分布式资源接入"),
			tp("低风速风电机组", "山地风场、海岛", "低风速叶片设计", "低风速发电效率、风机噪声降低、山地风机运输吊装"),
			tp("生物质成型燃料", "农村供暖、工业锅炉", "秸秆粉碎压缩成型", "秸秆燃料化利用、成型燃料结渣控制、生物质锅炉排放达标"),
			tp("建筑光伏一体化组件", "公共建筑、厂房屋顶", "轻质柔性组件", "既有建筑光伏改造、光伏幕墙透光发电、屋顶荷载受限光伏"),
			tp("浸没式液冷系统", "大型数据中心、超算中心", "冷却液循环与热管理", "数据中心能耗降低、液冷系统运维、冷却液国产化"),
			tp("固态电池电解质", "高端动力电池、消费电子", "硫化物电解质合成", "固态电解质离子电导率、固态电池界面阻抗、电解质空气稳定性"),
			tp("绿电制氢装置", "化工园区、风光基地", "碱性电解水", "电解槽能耗降低、波动电源制氢适配、制氢系统安全"),
			tp("充电桩智能运营平台", "公共停车场、高速服务区", "有序充电调度", "充电桩利用率提升、充电故障远程诊断、充电负荷削峰"),
			tp("沼气提纯生物天然气", "养殖场、垃圾处理厂", "膜分离提纯", "沼气甲烷浓度提升、沼渣沼液资源化、沼气工程稳定运行"),
			tp("节能变频控制柜", "水泵风机、空压机站", "矢量变频控制", "泵站节能改造、空压机群控、变频谐波治理"),
			tp("二氧化碳捕集利用技术", "水泥厂、燃煤电厂", "化学吸收法", "烟气二氧化碳捕集能耗、二氧化碳矿化利用、捕集溶剂降解"),
			tp("地源热泵系统", "公共建筑、农业大棚", "浅层地热换热", "地埋管换热效率、热泵系统冬季能效、地温场热平衡"),
		}},
	{"农业种业",
		[]string{"新一代", "川渝适用", "绿色高效"},
		[]string{"农业科技有限公司", "种业有限公司", "农业开发有限公司"},
		[]topic{
			tp("优质杂交水稻新品种", "川东丘陵稻区、稻渔综合种养", "分子标记辅助育种", "水稻抗稻瘟病品种选育、再生稻高产栽培、优质稻米食味提升"),
			tp("双低油菜新品种", "油菜主产区、家庭农场", "杂种优势利用", "油菜宜机收品种选育、油菜菌核病防控、油菜含油量提升"),
			tp("种猪基因组选育技术", "种猪场、规模养殖场", "基因组选择", "种猪繁殖性能提升、生猪疫病净化、饲料转化率提升"),
			tp("茶树良种繁育技术", "茶叶产区、生态茶园", "无性系扦插", "茶树良种扩繁、茶园机械化采摘、茶园病虫害绿色防控"),
			tp("农业物联网监测系统", "设施大棚、现代农业园区", "物联网监测", "大棚环境智能调控、农田墒情监测、畜禽舍环境监测"),
			tp("植保无人机", "丘陵山区、植保合作社", "变量喷施", "水稻病虫害统防统治、无人机精准施药、果园无人机飞防"),
			tp("中药材规范化种植技术", "中药材基地、道地药材产区", "生态种植与质量追溯", "道地药材连作障碍、中药材农残控制、中药材种子种苗标准"),
			tp("水肥一体化系统", "柑橘果园、蔬菜基地", "精准施肥", "果园节水灌溉、水肥一体化设备国产化、丘陵果园灌溉管网"),
			tp("土壤改良调理剂", "酸化土壤、高标准农田", "生物有机肥与调理剂", "土壤酸化改良、重金属污染耕地修复、耕地有机质提升"),
			tp("丘陵山地小型农机", "丘陵地块、梯田", "轻量化设计", "丘陵地区机械化种植、小型农机动力提升、山地农机安全"),
			tp("农产品质量溯源平台", "农产品品牌、电商销售", "区块链与一物一码", "农产品品质溯源、地理标志产品防伪、产地准出管理"),
			tp("食用菌工厂化栽培", "食用菌企业、农民合作社", "菌种选育与环境控制", "食用菌菌种退化、工厂化栽培能耗降低、菌渣综合利用"),
			tp("晚熟柑橘优良品种", "柑橘产区、家庭果园", "芽变选育与脱毒", "柑橘晚熟品种选育、柑橘黄龙病防控、柑橘果实品质提升"),
			tp("肉牛高效养殖技术", "肉牛养殖场、草食畜牧合作社", "全混合日粮饲喂", "肉牛育肥增重、犊牛成活率提升、牛场粪污资源化"),
			tp("大豆玉米带状复合种植技术", "丘陵旱地、粮食主产区", "宽窄行配置与专用机械", "带状复合种植机械化、大豆玉米除草、复合种植减产风险"),
			tp("蚕桑良种繁育", "蚕桑基地、丝绸企业", "家蚕杂交育种", "桑蚕品种抗病性、小蚕共育、桑园机械化管理"),
			tp("冷水鱼健康养殖", "山区流水养殖、水库网箱", "循环水养殖", "冷水鱼病害防控、养殖尾水处理、鱼苗成活率"),
			tp("羊肚菌林下栽培技术", "林下种植、山区合作社", "外源营养袋栽培", "羊肚菌产量稳定、羊肚菌连作障碍、羊肚菌采后保鲜"),
			tp("红心猕猴桃新品种", "猕猴桃产区、观光果园", "实生选育与嫁接", "猕猴桃溃疡病防控、猕猴桃授粉坐果、猕猴桃果实膨大"),
		}},
	{"生命健康",
		[]string{"新一代", "国产化", "高品质"},
		[]string{"医疗科技有限公司", "生物科技有限公司", "医疗器械有限公司"},
		[]topic{
			tp("医学影像辅助诊断系统", "基层医院、体检中心", "人工智能影像分析", "基层医疗影像诊断、肺结节智能筛查、影像报告结构化"),
			tp("化学发光诊断试剂", "医院检验科、疾控中心", "化学发光免疫分析", "诊断试剂国产化替代、传染病快速检测、试剂批间差控制"),
			tp("下肢康复机器人", "康复中心、养老机构", "人机交互与力控", "术后康复训练、康复设备家庭化、康复效果量化评估"),
			tp("中药经典名方制剂", "中药企业、医院制剂室", "指纹图谱质量控制", "中药质量标准提升、中药制剂工艺优化、中药配方颗粒一致性"),
			tp("功能性医用敷料", "烧伤科、慢性创面护理", "生物相容性改性", "慢性创面愈合、敷料抗菌性能提升、敷料透气吸液"),
			tp("肿瘤基因检测技术", "肿瘤早筛、用药指导", "高通量测序", "肿瘤早期筛查、基因检测成本降低、检测报告解读"),
			tp("可穿戴健康监测设备", "慢病管理、居家养老", "低功耗生理信号采集", "慢病长期监测、老人跌倒检测、睡眠呼吸监测"),
			tp("放射性核素药物", "核医学科、肿瘤治疗", "靶向递送", "核素药物国产化制备、放射性药物质控、核素药物物流配送"),
			tp("3D打印骨科植入物", "骨科医院、运动医学", "多孔结构设计", "个性化骨科植入物、植入物骨整合、植入物术前规划"),
			tp("远程诊疗平台", "县域医共体、社区卫生服务中心", "5G远程会诊", "县域远程会诊、慢病随访管理、基层心电远程诊断"),
			tp("低温等离子灭菌设备", "消毒供应中心、口腔诊所", "过氧化氢等离子灭菌", "器械低温灭菌、消毒效果监测、内镜清洗消毒"),
			tp("口腔种植修复材料", "口腔医院、义齿加工厂", "数字化设计与氧化锆烧结", "种植体国产化、义齿数字化加工、种植修复美学"),
			tp("一次性医用耗材", "医院、基层诊所", "医用高分子注塑", "耗材国产化替代、耗材灭菌残留控制、耗材成本降低"),
			tp("中医智能诊疗设备", "中医馆、社区医院", "舌象脉象数字化", "中医舌诊标准化、脉诊信号采集、中医诊疗数据管理"),
			tp("骨科手术机器人", "三甲医院、骨科专科医院", "光学导航定位", "手术定位精度提升、手术机器人小型化、术中影像配准"),
			tp("生物制药纯化填料", "抗体药物生产、疫苗企业", "层析介质合成", "纯化填料国产化、蛋白A填料载量提升、填料重复使用寿命"),
			tp("眼科光学相干断层成像仪", "眼科医院、学校筛查", "光学相干断层成像", "青少年近视筛查、眼底病早期诊断、眼科设备便携化"),
			tp("养老护理机器人", "养老院、居家护理", "多传感器照护", "失能老人移位护理、护理员工作量降低、夜间安全看护"),
			tp("便携式超声诊断设备", "基层医院、急诊床旁", "超声成像与探头设计", "便携超声图像质量、超声探头国产化、基层超声操作培训"),
		}},
}

var (
	// titleEndings are at least 3 edits apart.
	titleEndings = []string{"关键技术研究", "及产业化", "应用示范", "研发与推广"}
	demandSuffix = []string{"技术需求", "技术攻关", "解决方案征集", "合作需求"}
	surnames     = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"}
	givenNames   = []string{"伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "志强", "建华", "晓东", "海燕"}
	orgWords     = []string{"华", "科", "创", "新", "达", "宏", "信", "联", "天", "益", "恒", "盛", "瑞", "通", "远", "航"}
	// A finance product is titled by its provider and product, each list
	// at least 3 edits apart.
	financeCores = []string{"科技型中小企业贷", "知识产权质押融资", "科创投资基金", "人才贷", "科技保险", "研发费用贷", "成果转化贷", "投贷联动产品", "知识产权融资担保", "天府科创贷"}
	financeBanks = []string{"绵阳市商业银行", "中国银行四川省分行", "成都银行", "工商银行绵阳分行", "绵阳科技金融服务中心", "天府股权交易中心", "四川省农村信用社"}
)

// mianyangOrgs are the Mianyang institutions that supply projects of each
// industry (the real organisations of the city's industries; which
// project is whose is made up).
var mianyangOrgs = map[string][]string{
	"电子信息":   {"四川长虹电器股份有限公司", "四川九洲电器集团有限责任公司", "西南科技大学", "西南自动化研究所"},
	"先进材料":   {"四川东材科技集团股份有限公司", "西南科技大学", "中国工程物理研究院化工材料研究所"},
	"装备制造":   {"中国空气动力研究与发展中心", "绵阳富临精工股份有限公司", "西南科技大学", "中国工程物理研究院机械制造工艺研究所"},
	"食品饮料":   {"绵阳师范学院", "四川丰谷酒业有限责任公司", "西南科技大学"},
	"双碳与新能源": {"西南科技大学", "绵阳富临精工股份有限公司", "四川长虹电器股份有限公司"},
	"农业种业":   {"绵阳市农业科学研究院", "西南科技大学", "利尔化学股份有限公司"},
	"生命健康":   {"绵阳市中心医院", "西南科技大学", "中国工程物理研究院核物理与化学研究所"},
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func personName(r *rand.Rand) string { return pick(r, surnames) + pick(r, givenNames) }

// orgName makes an organisation of the city named for the industry.
func orgName(r *rand.Rand, city string, ind *industryTerms) string {
	i := r.IntN(len(orgWords))
	j := (i + 1 + r.IntN(len(orgWords)-1)) % len(orgWords) // never 华华
	return city + orgWords[i] + orgWords[j] + pick(r, ind.orgTails)
}

func phone(r *rand.Rand) string { return fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.Uint64N(1e9)) }

// industryNamed finds the terms of an industry; the first when none has
// the name.
func industryNamed(name string) *industryTerms {
	for i := range demoIndustries {
		if demoIndustries[i].name == name {
			return &demoIndustries[i]
		}
	}
	return &demoIndustries[0]
}

// demoProject makes one project of kind in a random industry, topic and
// wording. Titles may repeat: the platform's bulk data uses it; the
// conference editions draw distinct titles from a titlePool.
func demoProject(r *rand.Rand, kind, city string, withOrgs bool) ProjectInput {
	ind := &demoIndustries[r.IntN(len(demoIndustries))]
	t := r.IntN(len(ind.topics))
	return demoProjectOf(r, kind, city, withOrgs, ind, t, r.IntN(supplyVariants(ind, ind.topics[t])))
}

// demoProjectOf makes a project of kind on topic t of ind; variant picks
// the title's wording (a qualifier or a use for supply, a need for demand).
func demoProjectOf(r *rand.Rand, kind, city string, withOrgs bool, ind *industryTerms, t, variant int) ProjectInput {
	tc := ind.topics[t]
	in := ProjectInput{Kind: kind, Industry: ind.name, ContactName: personName(r), ContactPhone: phone(r)}
	if orgs := mianyangOrgs[ind.name]; withOrgs && r.IntN(3) == 0 {
		in.Organisation = pick(r, orgs)
	} else {
		in.Organisation = orgName(r, city, ind)
	}
	use := tc.uses[useOf(tc, variant)]
	switch kind {
	case KindDemand:
		need := tc.needs[variant%len(tc.needs)]
		in.Title = need + demandSuffix[variant%len(demandSuffix)]
		in.Summary = fmt.Sprintf("本单位从事%s相关业务，在%s方面存在技术瓶颈，现有%s难以满足生产需要。"+
			"拟寻求高校、科研院所或企业合作，采用%s等方法联合攻关，预期投入%d万元，希望合作方具备相关成果转化经验。",
			use, need, tc.core, tc.method, 20+r.IntN(30)*10)
		in.Keywords = []string{tc.core, need}
	case KindFinance: // variant picks provider and product
		variant %= len(financeBanks) * len(financeCores)
		fc := financeCores[variant%len(financeCores)]
		in.Organisation = financeBanks[variant/len(financeCores)]
		in.Title = in.Organisation + fc
		in.Summary = fmt.Sprintf("面向%s领域科技型企业的%s，单户额度最高%d万元，期限最长%d年，"+
			"以知识产权、订单和科技人才信用为主要增信方式，线上申请、最快%d个工作日放款。", ind.name, fc, 100+r.IntN(20)*50, 1+r.IntN(5), 3+r.IntN(5))
		in.Keywords = []string{"科技金融", fc}
	default:
		in.Title = supplyTitle(ind, tc, variant, r)
		in.Summary = fmt.Sprintf("该项目面向%s，针对%s等问题，采用%s，研制了%s。关键指标较国内同类产品提升%d%%以上，"+
			"已获授权发明专利%d项，已在%s开展应用示范，具备规模化推广条件。", use, pick(r, tc.needs),
			tc.method, tc.core, 10+r.IntN(40), 1+r.IntN(12), tc.uses[(useOf(tc, variant)+1)%len(tc.uses)])
		in.Keywords = []string{tc.core, use}
	}
	return in
}

// supplyTitle words a supply title. Variant 0 is the plain core, 1–2
// open with "面向<use>的", 3–4 read "<core>在<use>中的(推广)应用", 5 opens
// with "基于<method>的" and the rest with the industry's qualifiers. The
// ending goes with the variant, so two titles of one topic differ in
// their opening and their ending, never in a word or two.
func supplyTitle(ind *industryTerms, tc topic, variant int, _ *rand.Rand) string {
	ending := titleEndings[[]int{0, 1, 2, 0, 0, 3, 1, 2, 3}[variant%9]]
	if ending == titleEndings[0] && strings.HasSuffix(tc.core, "技术") {
		ending = "研究"
	}
	switch {
	case variant == 0:
		return tc.core + ending
	case variant <= 2:
		return "面向" + tc.uses[(variant-1)%len(tc.uses)] + "的" + tc.core + ending
	case variant == 3:
		return tc.core + "在" + tc.uses[0] + "中的应用"
	case variant == 4:
		return tc.core + "在" + tc.uses[1%len(tc.uses)] + "中的推广应用"
	case variant == 5:
		return "基于" + tc.method + "的" + tc.core + ending
	}
	return ind.qualifiers[(variant-6)%len(ind.qualifiers)] + tc.core + ending
}

// useOf is the use a variant's title names (or any, when it names none).
func useOf(tc topic, variant int) int {
	switch variant {
	case 1, 3:
		return 0
	case 2, 4:
		return 1 % len(tc.uses)
	}
	return variant % len(tc.uses)
}

// supplyVariants and demandVariants are how many distinct titles a topic
// gives.
func supplyVariants(ind *industryTerms, tc topic) int {
	return 2*len(tc.uses) + 2 + len(ind.qualifiers)
}
func demandVariants(tc topic) int { return len(tc.needs) }

// titlePool hands out distinct (industry, topic, variant) wordings for
// one edition, in a fixed shuffled order, so no two projects of the
// edition get the same title or the same title with another ending.
type titlePool struct {
	supply, demand map[string][][2]int // by industry: (topic, variant), next first
	finance        []int               // finance variants, next first
}

func newTitlePool(r *rand.Rand) *titlePool {
	p := &titlePool{supply: map[string][][2]int{}, demand: map[string][][2]int{},
		finance: r.Perm(len(financeBanks) * len(financeCores))}
	for i := range demoIndustries {
		ind := &demoIndustries[i]
		p.supply[ind.name] = rounds(r, len(ind.topics), supplyVariants(ind, topic{}))
		p.demand[ind.name] = rounds(r, len(ind.topics), demandVariants(ind.topics[0]))
	}
	return p
}

// rounds orders every (topic, variant) of an industry so that each topic
// gives one title before any gives its next: an edition spreads over the
// topics rather than repeating a few. Each topic takes its variants in an
// order of its own; topics are shuffled within a round.
func rounds(r *rand.Rand, topics, variants int) [][2]int {
	order := make([][]int, topics)
	for t := range order {
		order[t] = r.Perm(variants)
	}
	var out [][2]int
	for k := range variants {
		for _, t := range r.Perm(topics) {
			out = append(out, [2]int{t, order[t][k]})
		}
	}
	return out
}

// project makes a project of kind in industry (or the next industry with
// wordings left), with a title no other project of the pool has.
func (p *titlePool) project(r *rand.Rand, kind, industry, city string, withOrgs bool) (ProjectInput, error) {
	if kind == KindFinance {
		if len(p.finance) == 0 {
			return ProjectInput{}, fmt.Errorf("demo: no distinct finance titles left")
		}
		v := p.finance[0]
		p.finance = p.finance[1:]
		return demoProjectOf(r, kind, city, withOrgs, industryNamed(industry), 0, v), nil
	}
	lists := p.supply
	if kind == KindDemand {
		lists = p.demand
	}
	start := 0
	for i := range demoIndustries {
		if demoIndustries[i].name == industry {
			start = i
		}
	}
	for k := range demoIndustries {
		ind := &demoIndustries[(start+k)%len(demoIndustries)]
		if l := lists[ind.name]; len(l) > 0 {
			lists[ind.name] = l[1:]
			return demoProjectOf(r, kind, city, withOrgs, ind, l[0][0], l[0][1]), nil
		}
	}
	return ProjectInput{}, fmt.Errorf("demo: no distinct %s titles left", kind)
}
