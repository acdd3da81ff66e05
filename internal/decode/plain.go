package decode

import (
	"strings"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// maxHeadlineRunes is how long a first line may be to be taken for the
// title of a plain-text article.
const maxHeadlineRunes = 200

// decodePlain reads a plain-text article. Its first line is the title when
// it reads like one: short, followed by more text, and not ending like a
// sentence of the story.
func decodePlain(text string) (quote.Article, error) {
	paragraphs := paragraphsOf(text)
	var a quote.Article
	if len(paragraphs) > 1 || len(paragraphs) == 1 && strings.Contains(paragraphs[0], "\n") {
		first, rest, _ := strings.Cut(paragraphs[0], "\n")
		if looksLikeHeadline(first) {
			a.Title = first
			if rest == "" {
				paragraphs = paragraphs[1:]
			} else {
				paragraphs[0] = rest
			}
		}
	}
	a.Text = strings.Join(unwrap(paragraphs), "\n\n")
	return a, nil
}

func looksLikeHeadline(line string) bool {
	if utf8.RuneCountInString(line) > maxHeadlineRunes {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	switch last {
	case '.', ',', ';', ':', '"', '”', '\'', '’', '»':
		return false
	}
	return true
}

// paragraphsOf splits text at blank lines into trimmed blocks, dropping
// empty ones. A block keeps its inner line breaks.
func paragraphsOf(text string) []string {
	var blocks []string
	var lines []string
	flush := func() {
		if len(lines) > 0 {
			blocks = append(blocks, strings.Join(lines, "\n"))
			lines = lines[:0]
		}
	}
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		lines = append(lines, line)
	}
	flush()
	return blocks
}

// Hard-wrapped text keeps its lines, bar the last of each paragraph,
// within wrapSpreadRunes of the same length, between minWrappedRunes and
// maxWrappedRunes.
const (
	minWrappedRunes = 40
	maxWrappedRunes = 100
	wrapSpreadRunes = 25
)

// unwrap joins the lines of hard-wrapped paragraphs (e-mail, terminal
// editors), because the extractor reads a line break as a paragraph's end
// and a quote never spans paragraphs. A block whose lines are not of the
// even length wrapping gives is one paragraph a line, and is split so.
func unwrap(blocks []string) []string {
	var out []string
	for _, block := range blocks {
		lines := strings.Split(block, "\n")
		if wrapped(lines) {
			out = append(out, strings.Join(lines, " "))
		} else {
			out = append(out, lines...)
		}
	}
	return out
}

func wrapped(lines []string) bool {
	if len(lines) < 2 {
		return false
	}
	shortest, longest := maxWrappedRunes, 0
	for k, line := range lines {
		n := utf8.RuneCountInString(line)
		if n > maxWrappedRunes {
			return false
		}
		if k < len(lines)-1 {
			shortest, longest = min(shortest, n), max(longest, n)
		}
	}
	return shortest >= minWrappedRunes && longest-shortest <= wrapSpreadRunes
}
