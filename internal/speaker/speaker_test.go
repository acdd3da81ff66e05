package speaker_test

import (
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/extract"
	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
)

// corpus ingests articles (key → text) into a fresh embedded store, in
// the order given, and returns a resolver over it.
func corpus(t *testing.T, articles ...[2]string) (*speaker.Resolver, *bolt.DB) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "quotes.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	p := ingest.NewPipeline(db, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	for _, a := range articles {
		if _, err := p.Ingest(t.Context(), a[0], "01", []byte(a[1]), time.Date(2016, 9, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatalf("ingest %s: %v", a[0], err)
		}
	}
	return speaker.New(db), db
}

var (
	barack   = [2]string{"barack.txt", "Speech\n\n“We will win,” President Barack Obama said.\n"}
	michelle = [2]string{"michelle.txt", "Gala\n\n“We go high,” said Michelle Obama, the first lady.\n"}
	bill     = [2]string{"bill.txt", "Deal\n\n“It was a good deal,” former President Bill Clinton said.\n"}
	hillary  = [2]string{"hillary.txt", "Deal\n\n“It is a bad deal,” Hillary Clinton said.\n"}
	nyt      = [2]string{"nyt.txt", "Race\n\n“The race is close,” The New York Times said in an editorial.\n"}
	lat      = [2]string{"lat.txt", "Race\n\n“The race is over,” the Los Angeles Times said in an editorial.\n"}
)

func TestCanonical(t *testing.T) {
	person := func(name, descriptor string) quote.Speaker {
		return quote.Speaker{Name: name, Kind: quote.Person, Mention: name, Descriptor: descriptor, ID: quote.Slug(name)}
	}
	org := func(name string) quote.Speaker {
		return quote.Speaker{Name: name, Kind: quote.Organization, Mention: "the " + name, ID: quote.Slug(name)}
	}
	tests := []struct {
		name     string
		known    [][2]string
		speaker  quote.Speaker
		wantName string
		wantID   string
	}{
		{"the one person of that surname", [][2]string{barack}, person("Obama", ""), "Barack Obama", "barack-obama"},
		{"nobody of that surname", [][2]string{barack}, person("Smith", ""), "Smith", "smith"},
		{"a gendered title picks him", [][2]string{barack, michelle}, person("Obama", "Mr."), "Barack Obama", "barack-obama"},
		{"a gendered title picks her", [][2]string{barack, michelle}, person("Obama", "Mrs."), "Michelle Obama", "michelle-obama"},
		{"a role seen beside one of them", [][2]string{barack, michelle}, person("Obama", "President"), "Barack Obama", "barack-obama"},
		{"the article's pronouns pick her", [][2]string{bill, hillary},
			quote.Speaker{Name: "Clinton", Kind: quote.Person, Mention: "Clinton", ID: "clinton", Gender: "female"}, "Hillary Clinton", "hillary-clinton"},
		{"no clue among two stays a surname", [][2]string{bill, hillary}, person("Clinton", ""), "Clinton", "clinton"},
		{"a role neither had stays a surname", [][2]string{bill, hillary}, person("Clinton", "Senator"), "Clinton", "clinton"},
		{"a full name is left as it is", [][2]string{barack}, person("Michelle Obama", ""), "Michelle Obama", "michelle-obama"},
		{"an organisation is not a person", [][2]string{barack}, quote.Speaker{Name: "Obama", Kind: quote.Organization}, "Obama", ""},
		{"the one organisation of that last word", [][2]string{barack, nyt}, org("Times"), "New York Times", "new-york-times"},
		{"two organisations of that last word", [][2]string{nyt, lat}, org("Times"), "Times", "times"},
		{"a common noun is no organisation's short name", [][2]string{nyt}, org("times"), "times", "times"},
	}
	// A store's speakers, and the same articles' held in memory, which
	// must name alike.
	canonical := map[string]func(t *testing.T, known [][2]string, quotes []quote.Quote) error{
		"store": func(t *testing.T, known [][2]string, quotes []quote.Quote) error {
			r, _ := corpus(t, known...)
			return r.Canonical(t.Context(), quotes)
		},
		"corpus": func(t *testing.T, known [][2]string, quotes []quote.Quote) error {
			var extracted []quote.Quote
			for _, a := range known {
				extracted = append(extracted, extract.Extract(a[1])...)
			}
			return speaker.Canonical(t.Context(), speaker.NewCorpus(extracted), quotes)
		},
	}
	for _, tt := range tests {
		for people, canonical := range canonical {
			t.Run(tt.name+"/"+people, func(t *testing.T) {
				quotes := []quote.Quote{{Speaker: tt.speaker}}
				if err := canonical(t, tt.known, quotes); err != nil {
					t.Fatalf("Canonical: %v", err)
				}
				got := quotes[0].Speaker
				if got.Name != tt.wantName || got.ID != tt.wantID {
					t.Errorf("speaker = %q (id %q), want %q (id %q)", got.Name, got.ID, tt.wantName, tt.wantID)
				}
				if got.Mention != tt.speaker.Mention {
					t.Errorf("mention = %q, want the article's own %q", got.Mention, tt.speaker.Mention)
				}
			})
		}
	}
}

// A quote stored before the full name was known meets that person's
// other quotes once it is: the answer does not depend on upload order.
func TestCanonicalIsOrderIndependent(t *testing.T) {
	mr := [2]string{"mr.txt", "Speech\n\n“Our progress is on the ballot,” Mr. Obama said.\n"}
	for _, order := range [][][2]string{{mr, barack}, {barack, mr}} {
		r, db := corpus(t, order...)
		quotes, err := db.ArticleQuotes(t.Context(), quote.ArticleID("mr.txt"))
		if err != nil || len(quotes) != 1 {
			t.Fatalf("ArticleQuotes = %d quotes, %v; want 1", len(quotes), err)
		}
		if err := r.Canonical(t.Context(), quotes); err != nil {
			t.Fatalf("Canonical: %v", err)
		}
		if got := quotes[0].Speaker.ID; got != "barack-obama" {
			t.Errorf("uploaded %s then %s: speaker id %q, want barack-obama", order[0][0], order[1][0], got)
		}
	}
}

func TestLookup(t *testing.T) {
	r, _ := corpus(t, barack, michelle, bill, hillary,
		[2]string{"ryan.txt", "House\n\n“We will pass it,” House Speaker Paul D. Ryan said.\n"})
	tests := []struct {
		value string
		kind  quote.SpeakerKind
		want  string
	}{
		{"barack-obama", "", "barack-obama"},       // an id
		{"Hillary Clinton", "", "hillary-clinton"}, // a name
		{"Paul D. Ryan", "", "paul-ryan"},          // the name as written: ids drop initials
		{"ryan", "", "paul-ryan"},                  // a word of the name
		{"pa ry", "", "paul-ryan"},                 // words that start the name's words
		{"bill", "", "bill-clinton"},               // one word
		{"michelle", quote.Organization, ""},       // not of the kind asked for
		{"Angela Merkel", "", ""},                  // nobody
	}
	for _, tt := range tests {
		got, err := r.Lookup(t.Context(), tt.value, tt.kind)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", tt.value, err)
		}
		if got != tt.want {
			t.Errorf("Lookup(%q, %q) = %q, want %q", tt.value, tt.kind, got, tt.want)
		}
	}
}

func TestSaidBy(t *testing.T) {
	kerry := quote.Speaker{Name: "John Kerry", Kind: quote.Person, ID: "john-kerry"}
	official := quote.Speaker{Name: "a senior US official", Kind: quote.Anonymous, ID: "anon-us-official"}
	tests := []struct {
		sp                 quote.Speaker
		claimed, claimedID string
		want               bool
	}{
		{kerry, "Kerry", "", true},                     // a word of the name
		{kerry, "john-kerry", "", true},                // the id
		{kerry, "Secretary Kerry", "john-kerry", true}, // the resolver's answer
		{kerry, "Secretary Kerry", "", false},          // a word not in the name, and no answer
		{kerry, "Merkel", "angela-merkel", false},      // someone else
		{official, "the US official", "", true},        // articles aside
		{official, "a French official", "", false},
	}
	for _, tt := range tests {
		if got := speaker.SaidBy(tt.sp, tt.claimed, tt.claimedID); got != tt.want {
			t.Errorf("SaidBy(%q, %q, %q) = %v, want %v", tt.sp.Name, tt.claimed, tt.claimedID, got, tt.want)
		}
	}
}

// A corpus lists the speakers a store would for a search: every word of
// the search starting a word of the name, most quoted first.
func TestCorpusSpeakers(t *testing.T) {
	var quotes []quote.Quote
	for _, a := range [][2]string{barack, michelle, bill, hillary, hillary} {
		quotes = append(quotes, extract.Extract(a[1])...)
	}
	c := speaker.NewCorpus(quotes)
	tests := []struct {
		prefix string
		limit  int
		want   []string
	}{
		{"clinton", 10, []string{"hillary-clinton", "bill-clinton"}},
		{"cl", 1, []string{"hillary-clinton"}},
		{"ob", 10, []string{"barack-obama", "michelle-obama"}},
		{"m ob", 10, []string{"michelle-obama"}},
		{"b", 10, []string{"barack-obama", "bill-clinton"}},
		{"kerry", 10, nil},
		{"", 2, []string{"hillary-clinton", "barack-obama"}},
		{"", -1, []string{"hillary-clinton", "barack-obama", "bill-clinton", "michelle-obama"}},
		{"clinton", 0, nil},
	}
	for _, tt := range tests {
		got, err := c.Speakers(t.Context(), tt.prefix, tt.limit)
		if err != nil {
			t.Fatalf("Speakers(%q): %v", tt.prefix, err)
		}
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, tt.want) {
			t.Errorf("Speakers(%q, %d) = %q, want %q", tt.prefix, tt.limit, ids, tt.want)
		}
	}
}
