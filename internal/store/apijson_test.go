package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

func TestStoredQuoteRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name        string
		speaker     quote.Speaker
		text        string
		presentable bool
	}{
		{"full name", quote.Speaker{ID: "john-kerry", Name: "John Kerry", Kind: quote.Person, Mention: "Kerry"}, "We are close", false},
		{"lone surname", quote.Speaker{ID: "kerry", Name: "Kerry", Kind: quote.Person}, "We are close", true},
		{"anonymous", quote.Speaker{ID: "anon-us-official", Name: "a US official", Kind: quote.Anonymous}, "No deal", true},
		{"organisation", quote.Speaker{ID: "nato", Name: "NATO", Kind: quote.Organization}, "No deal", false},
		// Text that spells a speaker key must not be taken for it.
		{"speaker key in the text", quote.Speaker{ID: "x-y", Name: "X Y", Kind: quote.Person}, `"speaker":{"id":"x-y"} <&>`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := quote.Quote{ID: "a-1", Article: quote.ArticleRef{ID: "a", Key: "k"}, Text: tt.text, Speaker: tt.speaker,
				Evidence: quote.Evidence{Rule: "r", Confidence: 0.5}}
			raw, err := EncodeStoredQuote(q)
			if err != nil {
				t.Fatal(err)
			}
			s, err := DecodeStoredQuote(raw)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(q)
			if !bytes.Equal(s.JSON, want) {
				t.Errorf("JSON %s, want %s", s.JSON, want)
			}
			if sum := sha256.Sum256(want); !bytes.Equal(s.Digest[:], sum[:DigestLen]) {
				t.Errorf("digest %x, want %x", s.Digest, sum[:DigestLen])
			}
			if s.Presentable != tt.presentable || s.Presentable && s.ArticleID != "a" {
				t.Errorf("presentable %v with article %q, want %v with a", s.Presentable, s.ArticleID, tt.presentable)
			}
			if sp, err := s.Speaker(); err != nil || sp != tt.speaker {
				t.Errorf("Speaker() = %+v, %v; want %+v", sp, err, tt.speaker)
			}
			other := quote.Speaker{ID: "john-kerry", Name: "John Kerry", Kind: quote.Person}
			patched, err := s.WithSpeaker(other)
			q.Speaker = other
			if want, _ := json.Marshal(q); err != nil || !bytes.Equal(patched, want) {
				t.Errorf("WithSpeaker = %s, %v; want %s", patched, err, want)
			}
		})
	}
}

func TestDecodeStoredQuoteRefusesMalformed(t *testing.T) {
	good, err := EncodeStoredQuote(quote.Quote{ID: "a-1", Article: quote.ArticleRef{ID: "a"}, Text: "x",
		Speaker: quote.Speaker{Name: "X Y", Kind: quote.Person}})
	if err != nil {
		t.Fatal(err)
	}
	for name, raw := range map[string][]byte{
		"empty":          nil,
		"other format":   append([]byte{9}, good[1:]...),
		"bad flag":       append([]byte{good[0], 7}, good[2:]...),
		"cut in header":  good[:2+DigestLen+1],
		"speaker beyond": append(append([]byte{}, good[:2+DigestLen]...), 0x7f, 0x7f, 0),
	} {
		if _, err := DecodeStoredQuote(raw); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}
