package report

import "fmt"

func ExampleMarkdownText() {
	fmt.Println(MarkdownText("refund|email <script>`x`"))
	// Output: refund\|email &lt;script&gt;\`x\`
}

func ExampleMermaidLabel() {
	fmt.Println(MermaidLabel(`baseline "gpt-4.1-mini": [x]`, 40))
	// Output: baseline _gpt-4.1-mini__ _x_
}
