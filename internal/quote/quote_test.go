package quote

import (
	"fmt"
	"slices"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"John Kerry", "john kerry"},
		{"Zelénskyy", "zelenskyy"},
		{"ÉCOLE Straße", "ecole straße"},
		{"São Paulo", "sao paulo"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"We’re going to press, upon the Russians!", []string{"were", "going", "to", "press", "upon", "the", "russians"}},
		{"Russia's co-operation in the ’90s", []string{"russias", "cooperation", "in", "the", "90s"}},
		{"  ", nil},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSpeakerID(t *testing.T) {
	tests := []struct {
		s    Speaker
		want string
	}{
		{Speaker{Name: "John Kerry", Kind: Person}, "john-kerry"},
		{Speaker{Name: "Volodymyr Zelénskyy", Kind: Person}, "volodymyr-zelenskyy"},
		{Speaker{Name: "Paul D. Ryan", Kind: Person}, "paul-ryan"},
		{Speaker{Name: "Donald J. Trump Jr.", Kind: Person}, "donald-trump"},
		{Speaker{Name: "G.K. Butterfield", Kind: Person}, "gk-butterfield"},
		{Speaker{Name: "J. Edgar Hoover", Kind: Person}, "j-edgar-hoover"},
		{Speaker{Name: "Russia’s foreign ministry", Kind: Organization}, "russias-foreign-ministry"},
		{Speaker{Name: "a senior US official", Kind: Anonymous, Affiliation: "US", Role: "official"}, "anon-us-official"},
		{Speaker{Name: "the US official", Kind: Anonymous, Affiliation: "US", Role: "official"}, "anon-us-official"},
		{Speaker{Name: "a U.S. official", Kind: Anonymous, Affiliation: "U.S.", Role: "official"}, "anon-us-official"},
		{Speaker{Name: "a source", Kind: Anonymous}, "anon-a-source"},
		{Speaker{Kind: Unknown}, "unknown"},
		{Speaker{Name: "!!", Kind: Person}, "unknown"},
	}
	for _, tt := range tests {
		if got := SpeakerID(tt.s); got != tt.want {
			t.Errorf("SpeakerID(%+v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"0055AED6DCD90281E5", "0055AED6DCD90281E6", -1},
		{"FF", "00FF", 0},
		{"FE", "00FF", -1},
		{"100", "FF", 1},
		{"", "00", 0},
		{"", "01", -1},
		{"abc", "ABC", 0},
		{"0055AED6DCD90281E5.1", "0055AED6DCD90281E5", 1},
		{"55AED6DCD90281E5.2", "0055AED6DCD90281E5.10", -1},
		{"0055AED6DCD90281E5.9", "0055AED6DCD90281E6", -1},
		{"0.1", "01", -1},
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNextRevision(t *testing.T) {
	for v, want := range map[string]string{"0055AED6DCD90281E5": "0055AED6DCD90281E5.1", "0055AED6DCD90281E5.1": "0055AED6DCD90281E5.2", "": "0.1"} {
		got := NextRevision(v)
		if got != want || CompareVersions(got, v) <= 0 {
			t.Errorf("NextRevision(%q) = %q, want %q, newer than it", v, got, want)
		}
	}
}

func TestQuoteIDIsStableAndDistinct(t *testing.T) {
	a := ArticleID("seeds/a.txt")
	if a != ArticleID("seeds/a.txt") || a == ArticleID("seeds/b.txt") {
		t.Fatalf("ArticleID is not a stable function of the key")
	}
	first, second := QuoteID(a, "We will win", 0), QuoteID(a, "We will win", 1)
	if first == second || first != QuoteID(a, "We will win", 0) {
		t.Errorf("QuoteID occurrences: %q and %q", first, second)
	}
	// The 11th occurrence once shared the first's id (occurrence%10).
	seen := map[string]int{}
	for n := range 1000 {
		id := QuoteID(a, "We will win", n)
		if earlier, ok := seen[id]; ok {
			t.Fatalf("occurrences %d and %d share id %s", earlier, n, id)
		}
		seen[id] = n
	}
	// Ids bookmarked before occurrences were unbounded stay as they were.
	for n, want := range map[int]string{0: "415ebf9c03fc02c0-8d460d371b", 7: "415ebf9c03fc02c0-c1173f04ba"} {
		if got := QuoteID(a, "We will win", n); got != want {
			t.Errorf("QuoteID(occurrence %d) = %s, want %s as before", n, got, want)
		}
	}
}

func TestErrorCodes(t *testing.T) {
	err := Errorf(ENotFound, "article %s not found", "x")
	wrapped := fmtWrap(err)
	if ErrorCode(wrapped) != ENotFound || ErrorMessage(wrapped) != "article x not found" {
		t.Errorf("wrapped: code %q message %q", ErrorCode(wrapped), ErrorMessage(wrapped))
	}
	plain := fmtWrap(errString("disk on fire"))
	if ErrorCode(plain) != EInternal || ErrorMessage(plain) != "internal error" {
		t.Errorf("plain error: code %q message %q, want internal with a generic message", ErrorCode(plain), ErrorMessage(plain))
	}
	if ErrorCode(nil) != "" {
		t.Errorf("ErrorCode(nil) = %q", ErrorCode(nil))
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func fmtWrap(err error) error { return fmt.Errorf("layer: %w", err) }
