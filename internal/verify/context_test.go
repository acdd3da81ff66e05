package verify

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestContextAround(t *testing.T) {
	const article = "Kerry flew to Sochi on Tuesday. “We will press the Russians,” Kerry said. " +
		"He met Putin for four hours. Officials said little after."
	long := strings.Repeat("Filler words go here and on. ", 20)
	tests := []struct {
		name   string
		text   string
		quoted string
		want   string
	}{
		{"the quote's sentence", article, "We will press the Russians,",
			"“We will press the Russians,” Kerry said."},
		{"quote ending a sentence inside its marks",
			"Talks ended. “Nobody expects a breakthrough.” Later the envoy left.", "Nobody expects a breakthrough.",
			"“Nobody expects a breakthrough.”"},
		{"abbreviations followed by lowercase do not break",
			"Earlier news. U.S. officials said “the talks went well” on Monday. Next story.", "the talks went well",
			"U.S. officials said “the talks went well” on Monday."},
		{"paragraph breaks", "Headline\n“Short quote here” she said\nNext paragraph", "Short quote here",
			"“Short quote here” she said"},
		{"text start and end", "“Alone in the text”", "Alone in the text", "“Alone in the text”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := strings.Index(tt.text, tt.quoted)
			got := contextAround(tt.text, start, start+len(tt.quoted), tt.quoted)
			if got != tt.want {
				t.Errorf("contextAround = %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("long sentences are cut at word boundaries within the limit", func(t *testing.T) {
		text := strings.ReplaceAll(long, ". ", ", ") + "“The quoted words” " + strings.ReplaceAll(long, ". ", ", ")
		quoted := "The quoted words"
		start := strings.Index(text, quoted)
		got := contextAround(text, start, start+len(quoted), quoted)
		if len(got) > maxContextBytes || len(got) < maxContextBytes-20 {
			t.Errorf("context is %d bytes, want just under %d", len(got), maxContextBytes)
		}
		if !strings.Contains(got, "“The quoted words”") {
			t.Errorf("context %q lost the quote", got)
		}
		for _, edge := range []string{got[:strings.IndexByte(got, ' ')], got[strings.LastIndexByte(got, ' ')+1:]} {
			if !strings.Contains(text, " "+edge+" ") && !strings.Contains(text, " "+edge) {
				t.Errorf("context edge %q is not a whole word", edge)
			}
		}
	})
	t.Run("a quote longer than the limit is cut at a rune boundary", func(t *testing.T) {
		quoted := strings.Repeat("Zelénskyy ", 60)
		text := "Before. “" + quoted + "” after."
		start := strings.Index(text, quoted)
		got := contextAround(text, start, start+len(quoted), quoted)
		if len(got) > maxContextBytes || !utf8.ValidString(got) || !strings.HasPrefix(got, "Zelénskyy") {
			t.Errorf("context = %q (%d bytes), want a valid prefix of the quote within %d bytes", got, len(got), maxContextBytes)
		}
	})
	t.Run("offsets that no longer point at the quote give no context", func(t *testing.T) {
		if got := contextAround(article, 0, 5, "We will"); got != "" {
			t.Errorf("contextAround with stale offsets = %q, want empty", got)
		}
		if got := contextAround(article, 10, len(article)+5, "x"); got != "" {
			t.Errorf("contextAround with offsets past the text = %q, want empty", got)
		}
	})
}
