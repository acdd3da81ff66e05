package decode

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// decodeMarkdown reads a Markdown article, lightly: the syntax people use
// in articles (headings, emphasis, links, lists, block quotes, rules, code
// fences) is stripped, and no more of CommonMark is attempted. A "# "
// heading opening the article is its title, unless YAML front matter gives
// one; front matter may also give url, outlet and published (or date).
func decodeMarkdown(text string) (quote.Article, error) {
	var a quote.Article
	text, err := frontMatter(text, &a)
	if err != nil {
		return quote.Article{}, err
	}
	var paragraphs []string
	var lines []string
	flush := func() {
		if len(lines) > 0 {
			paragraphs = append(paragraphs, strings.Join(lines, " "))
			lines = lines[:0]
		}
	}
	inFence := ""
	for line := range strings.SplitSeq(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if inFence != "" {
			if strings.HasPrefix(trimmed, inFence) {
				inFence = ""
			}
			continue
		}
		switch {
		case strings.HasPrefix(trimmed, "```"), strings.HasPrefix(trimmed, "~~~"):
			// Code is no part of a story's text.
			flush()
			inFence = trimmed[:3]
		case trimmed == "":
			flush()
		case isRule(trimmed), isLinkDefinition(trimmed):
			flush()
		case strings.HasPrefix(trimmed, "#"):
			flush()
			level := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			heading := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(trimmed[level:]), "#"))
			heading = inline(heading)
			if level == 1 && a.Title == "" && len(paragraphs) == 0 {
				a.Title = heading
				continue
			}
			if heading != "" {
				paragraphs = append(paragraphs, heading)
			}
		default:
			content, startsBlock := blockContent(trimmed)
			if startsBlock {
				flush()
			}
			if content = inline(content); content != "" {
				lines = append(lines, content)
			}
		}
	}
	flush()
	a.Text = strings.Join(paragraphs, "\n\n")
	return a, nil
}

// blockContent strips block quote and list markers from a line, and says
// whether the line starts a new paragraph (a list item does).
func blockContent(line string) (string, bool) {
	for strings.HasPrefix(line, ">") {
		line = strings.TrimSpace(line[1:])
	}
	if len(line) >= 2 && strings.ContainsRune("-*+", rune(line[0])) && line[1] == ' ' {
		return strings.TrimSpace(line[2:]), true
	}
	digits := len(line) - len(strings.TrimLeft(line, "0123456789"))
	if digits > 0 && digits < 10 && len(line) > digits+1 && (line[digits] == '.' || line[digits] == ')') && line[digits+1] == ' ' {
		return strings.TrimSpace(line[digits+2:]), true
	}
	return line, false
}

// isRule reports whether a line is a thematic break: three or more of one
// of - * _, spaces allowed.
func isRule(line string) bool {
	var mark rune
	count := 0
	for _, r := range line {
		switch {
		case r == ' ':
		case (r == '-' || r == '*' || r == '_') && (mark == 0 || r == mark):
			mark = r
			count++
		default:
			return false
		}
	}
	return count >= 3
}

// isLinkDefinition reports whether a line defines a reference link:
// "[1]: https://…".
func isLinkDefinition(line string) bool {
	if !strings.HasPrefix(line, "[") {
		return false
	}
	end := strings.Index(line, "]:")
	return end > 1 && !strings.Contains(line[:end], "]")
}

// inline strips inline Markdown: images, links (keeping their text),
// emphasis markers, code spans' backticks, and hard-break backslashes. It
// runs in time linear in s, whatever brackets an upload holds.
func inline(s string) string {
	var b strings.Builder
	ends := linkEnds(s)
	nextGT := nextIndex(s, '>')
	// resume maps the "]" of a link whose label is being written to the
	// end of the link, to skip its target.
	resume := map[int]int{}
	for i := 0; i < len(s); {
		c := s[i]
		if end, ok := resume[i]; ok {
			i = end
			continue
		}
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!>", s[i+1]) >= 0:
			b.WriteByte(s[i+1])
			i += 2
			continue
		case c == '!' && i+1 < len(s) && s[i+1] == '[' && ends[i+1].end > 0:
			i = ends[i+1].end // an image: its alt text is no part of the story
			continue
		case c == '[' && ends[i].end > 0:
			resume[ends[i].close] = ends[i].end
			i++
			continue
		case c == '<' && nextGT[i] > i+1:
			inner := s[i+1 : nextGT[i]]
			if first := inner[0]; first == '/' || first == '!' || first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' {
				// An autolink keeps its address; inline HTML goes.
				if strings.Contains(inner, "://") || strings.HasPrefix(inner, "mailto:") {
					b.WriteString(strings.TrimPrefix(inner, "mailto:"))
				}
				i = nextGT[i] + 1
				continue
			}
		case c == '`', c == '*':
			i++
			continue
		case c == '_' && isEmphasisUnderscore(s, i):
			i++
			continue
		}
		b.WriteByte(c)
		i++
	}
	return oneLine(b.String())
}

// linkEnd is where the link whose "[" is at some index closes its label
// (close, the "]") and ends (end, past its "(target)" or "[ref]"); end is
// 0 where no link starts.
type linkEnd struct{ close, end int }

// linkEnds finds every "[label](target)" and "[label][ref]" in s in one
// pass, pairing brackets as they nest.
func linkEnds(s string) []linkEnd {
	ends := make([]linkEnd, len(s))
	nextParen, nextBracket := nextIndex(s, ')'), nextIndex(s, ']')
	var open []int
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '[':
			open = append(open, j)
		case ']':
			if len(open) == 0 {
				continue
			}
			start := open[len(open)-1]
			open = open[:len(open)-1]
			if j+2 >= len(s) {
				continue
			}
			switch s[j+1] {
			case '(':
				if k := nextParen[j+2]; k >= 0 {
					ends[start] = linkEnd{close: j, end: k + 1}
				}
			case '[':
				if k := nextBracket[j+2]; k >= 0 {
					ends[start] = linkEnd{close: j, end: k + 1}
				}
			}
		}
	}
	return ends
}

// nextIndex returns, for every index i of s, the index of the first c at
// or after i, or -1.
func nextIndex(s string, c byte) []int {
	next := make([]int, len(s))
	at := -1
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			at = i
		}
		next[i] = at
	}
	return next
}

// isEmphasisUnderscore tells an underscore that marks emphasis (at a
// word's edge) from one inside a word (snake_case).
func isEmphasisUnderscore(s string, i int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+1:])
	inWord := func(r rune) bool { return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	return !inWord(before) || !inWord(after)
}

// frontMatter reads the YAML front matter that static-site tools put
// before an article ("---" lines around "key: value" lines) into a, and
// returns the text after it.
func frontMatter(text string, a *quote.Article) (string, error) {
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return text, nil
	}
	block, after, ok := strings.Cut(rest, "\n---")
	if !ok {
		return text, nil
	}
	if nl := strings.IndexByte(after, '\n'); nl >= 0 {
		after = after[nl+1:]
	} else {
		after = ""
	}
	fields := map[string]string{}
	for line := range strings.SplitSeq(block, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		fields[strings.ToLower(strings.TrimSpace(key))] = value
	}
	published := fields["published"]
	if published == "" {
		published = fields["date"]
	}
	meta := metadata{Title: fields["title"], URL: fields["url"], Outlet: fields["outlet"], Published: published}
	if err := meta.apply(a, "front matter"); err != nil {
		return "", err
	}
	return after, nil
}
