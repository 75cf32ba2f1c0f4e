package conference

import (
	"context"
	"io"

	"huizhan/internal/sheet"
)

// WriteProjectTemplate writes the import template: the headers in
// Chinese, drop-down lists for kind and industry, an example row and an
// instructions sheet.
func (s *Store) WriteProjectTemplate(ctx context.Context, w io.Writer) error {
	industries, err := s.Industries(ctx)
	if err != nil {
		return err
	}
	var kinds []string
	for _, k := range Kinds {
		kinds = append(kinds, KindLabels[k])
	}
	return projectTemplate(kinds, industries).Write(w)
}

func projectTemplate(kinds, industries []string) sheet.Template {
	return sheet.Template{
		Sheet:     "项目",
		InfoSheet: "填写说明",
		Columns:   importColumns,
		Widths:    []float64{14, 36, 14, 60, 28, 28, 12, 16, 10},
		Choices:   [][]string{kinds, nil, industries, nil, nil, nil, nil, nil, {"是", "否"}},
		Examples: [][]string{{"科技成果", "强稳健性锂电池循环寿命预估系统", "双碳与新能源",
			"基于电化学模型与数据驱动融合的锂电池循环寿命预估方法，可在早期循环阶段预测电池寿命，误差小于5%。",
			"西南科技大学", "锂电池、寿命预估、储能", "张老师", "0816-6089000", "是"}},
		Instructions: []string{
			"科创项目导入模板 填写说明",
			"1. 在「项目」工作表中每行填写一个项目；第一行是表头，请勿修改或删除。第二行是示例，导入前请删除或改写。",
			"2. 带 * 的列必填：项目类别、项目名称、产业领域。",
			"3. 项目类别请从下拉列表中选择：" + sheet.ChoiceLabels(kinds) + "。",
			"4. 产业领域请从下拉列表中选择：" + sheet.ChoiceLabels(industries) + "。如需新增领域，请联系会务组。",
			"5. 项目名称最多 100 字，项目简介最多 2000 字，所属单位最多 100 字。",
			"6. 关键词用顿号、逗号或分号分隔，最多 10 个，每个最多 20 字。",
			"7. 重大发布：拟在开幕式上发布的项目填“是”，否则留空或填“否”。",
			"8. 同一代表团同一类别下项目名称不能重复（文件内重复或与已登记的项目重复都会被指出）。",
			"9. 文件中只要有一行有误，整个文件都不会导入；系统会列出出错的行号、列名和原因，改正后重新上传即可。",
			"10. 也可以上传另存为 CSV（UTF-8 或 GBK 编码）的文件，表头与本模板相同。",
		},
	}
}
