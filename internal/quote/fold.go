package quote

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s and strips its diacritics, so that "Zelenskyy",
// "zelenskyy" and "Zelénskyy" compare equal. Every index and every query
// goes through it.
func Fold(s string) string {
	if isASCII(s) {
		// No diacritics to strip: skip the Unicode transform, whose chain
		// allocates buffers on every call and dominates write costs.
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.ToLower(folded)
}

// Words splits s into folded words: letters and digits, with inner
// apostrophes and hyphens dropped ("Russia's" → "russias", "co-operate" →
// "cooperate") so that spelling variants meet.
func Words(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range Fold(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '-' || r == '‐':
			// joined: keeps "russia's" one word
		default:
			flush()
		}
	}
	flush()
	return words
}

// Slug turns a name into the id form used in keys and URLs:
// "John Kerry" → "john-kerry".
func Slug(s string) string { return strings.Join(Words(s), "-") }

// SpeakerID identifies a speaker across articles. People and organisations
// are identified by their name; anonymous sources by what describes them,
// so that "a senior US official" and "the US official" group together.
func SpeakerID(s Speaker) string {
	switch s.Kind {
	case Anonymous:
		core := s.Role
		if s.Affiliation != "" {
			core = s.Affiliation + " " + core
		}
		if core == "" {
			core = s.Name
		}
		// "U.S." and "US" describe the same sources.
		return "anon-" + Slug(strings.ReplaceAll(core, ".", ""))
	case Unknown:
		return "unknown"
	}
	if s.Kind == Person {
		if slug := strings.Join(personNameWords(s.Name), "-"); slug != "" {
			return slug
		}
	}
	if slug := Slug(s.Name); slug != "" {
		return slug
	}
	return "unknown"
}

// SourceID is the id an anonymous source is served under: its facet (the
// SpeakerID its description gives, "anon-us-official") and the article it
// speaks in, since "a U.S. official" in two articles are two people. The
// store keeps the facet, so a search by it finds every such source.
func SourceID(facet, articleID string) string { return facet + "." + articleID }

// SplitSourceID splits an id SourceID made into its facet and article id.
func SplitSourceID(id string) (facet, articleID string, ok bool) {
	facet, articleID, ok = strings.Cut(id, ".")
	return facet, articleID, ok && strings.HasPrefix(facet, "anon-") && articleID != ""
}

// personNameWords are the words of a person's name that identify them:
// without middle initials or generational suffixes, so that "Paul D. Ryan"
// and "Paul Ryan", "Donald J. Trump" and "Donald Trump" are one speaker.
// A name of initials alone ("G.K.") keeps them.
func personNameWords(name string) []string {
	words := Words(strings.ReplaceAll(name, ".", ""))
	if len(words) < 2 {
		return words
	}
	kept := make([]string, 0, len(words))
	for i, w := range words {
		switch {
		case len([]rune(w)) == 1 && i > 0 && i < len(words)-1:
		case i > 0 && (w == "jr" || w == "sr" || w == "ii" || w == "iii"):
		default:
			kept = append(kept, w)
		}
	}
	return kept
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
