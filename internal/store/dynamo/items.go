package dynamo

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Attribute names of the table's keys, as template.yaml defines them.
const (
	attrPK     = "PK"
	attrSK     = "SK"
	attrGSI1PK = "GSI1PK"
	attrGSI1SK = "GSI1SK"
	indexGSI1  = "GSI1"
)

// Fixed sort keys and partitions.
const (
	metaSK         = "META"
	summarySK      = "SUMMARY"
	speakerRankPK  = "SPEAKERS"
	topicRankPK    = "TOPICS"
	conflictListPK = "CONFLICTS"
	statusDeleted  = "deleted"
	versionWidth   = 64
	maxIndexValue  = 512     // bytes; longer speaker ids, topics and words are not indexed
	maxBodyPart    = 300_000 // bytes of article text per item, under the 400 KB item limit
	maxRankedCount = 999_999_999_999
)

func articlePK(id string) string         { return "ART#" + id }
func bodyPrefix(gen string) string       { return "BODY#" + gen + "#" }
func bodySK(gen string, part int) string { return fmt.Sprintf("%s%04d", bodyPrefix(gen), part) }
func quoteItemPrefix(gen string) string  { return "Q#" + gen + "#" }
func quoteItemSK(gen string, index int) string {
	return fmt.Sprintf("%s%06d", quoteItemPrefix(gen), index)
}
func quoteIDPK(id string) string          { return "QUOTE#" + id }
func speakerPostingPK(id string) string   { return "SPK#" + id }
func topicPK(folded string) string        { return "TOPIC#" + folded }
func wordPK(word string) string           { return "WORD#" + word }
func kindPK(k quote.SpeakerKind) string   { return "KIND#" + string(k) }
func speakerPK(id string) string          { return "SPEAKER#" + id }
func topicSummaryPK(folded string) string { return "TOPICSUM#" + folded }
func conflictPK(quoteID string) string    { return "QCONF#" + quoteID }

// speakerWordPK spreads the name words over one partition per first
// letter, so a prefix search reads one partition with begins_with.
func speakerWordPK(word string) string {
	r, _ := utf8.DecodeRuneInString(word)
	return "SPKWORD#" + string(r)
}

func speakerWordSK(word, speakerID string) string { return word + "#" + speakerID }

// topicWordPK spreads the words of topics as speakerWordPK does those of
// speaker names.
func topicWordPK(word string) string {
	r, _ := utf8.DecodeRuneInString(word)
	return "TOPICWORD#" + string(r)
}

func topicWordSK(word, folded string) string { return word + "#" + folded }

// dateKey is a quote date in a fixed-width form whose string order is its
// time order, so posting sort keys sort newest last and a date range is a
// BETWEEN on the sort key.
func dateKey(t time.Time) string { return t.UTC().Format(dateKeyLayout) }

const dateKeyLayout = "2006-01-02T15:04:05.000000000Z"

// dateKeyEnd sorts after every posting key of t's instant: posting keys
// continue with '#', and '$' is the next byte.
func dateKeyEnd(t time.Time) string { return dateKey(t) + "$" }

func postingSK(q quote.Quote, gen string) string {
	return dateKey(q.Date) + "#" + q.ID + "#" + gen
}

// sortableVersion pads an S3 sequencer to a fixed width with leading
// zeros, upper-cased, so that DynamoDB's string comparison orders versions
// as quote.CompareVersions does.
//
// A revision (".N", see quote.NextRevision) follows, zero-padded to nine
// digits: a version with one sorts after the same sequencer without, and
// before any greater sequencer.
func sortableVersion(v string) (string, error) {
	seq, rev, hasRev := strings.Cut(v, ".")
	if len(seq) > versionWidth {
		return "", quote.Errorf(quote.EInvalid, "version %q is longer than %d characters", v, versionWidth)
	}
	sortable := strings.Repeat("0", versionWidth-len(seq)) + strings.ToUpper(seq)
	if !hasRev {
		return sortable, nil
	}
	n, err := strconv.ParseUint(rev, 10, 32)
	if err != nil {
		return "", quote.Errorf(quote.EInvalid, "version %q has a revision that is not a number", v)
	}
	return sortable + fmt.Sprintf(".%09d", n), nil
}

// rank orders a GSI1 list of speakers or topics most quoted first, then
// by id, when read in ascending order.
func rank(count int, id string) string {
	return fmt.Sprintf("%012d#%s", maxRankedCount-min(count, maxRankedCount), id)
}

// newGeneration names one upload's set of items: readers only trust
// postings carrying the generation the article item points at.
func newGeneration() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// articleItem is the version pointer: the one item whose conditional write
// makes an upload or a deletion visible.
type articleItem struct {
	PK         string `json:"PK"`
	SK         string `json:"SK"`
	Status     string `json:"status"`
	Version    string `json:"version"`
	Generation string `json:"gen"`
	TextParts  int    `json:"textParts"`
	// QuoteItems is how many quotes the generation stored, whatever the
	// article's QuoteCount says, so that a reader can tell a complete list.
	QuoteItems int `json:"quoteItems"`
	// Article is the article without its text, which lives in body items
	// so that the generation checks readers make stay cheap.
	Article quote.Article `json:"article"`
}

type bodyItem struct {
	PK   string `json:"PK"`
	SK   string `json:"SK"`
	Text string `json:"text"`
}

// postingItem is a quote under one of its keys: the article's quote list,
// the id lookup, or a speaker, topic, word or kind index. Each carries the
// whole quote so that a page needs no second read.
type postingItem struct {
	PK         string      `json:"PK"`
	SK         string      `json:"SK"`
	ArticleID  string      `json:"aid"`
	Generation string      `json:"gen"`
	Quote      quote.Quote `json:"quote"`
}

// speakerItem is a speaker's summary and record. The names are string
// sets, which an ADD extends idempotently; the order lists beside them
// remember the order they were first seen in, which a set cannot.
type speakerItem struct {
	PK         string            `json:"PK"`
	SK         string            `json:"SK"`
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Kind       quote.SpeakerKind `json:"kind"`
	QuoteCount int               `json:"quoteCount"`
	Aliases    []string          `json:"aliases"`
	AliasOrder []string          `json:"aliasOrder"`
	Roles      []string          `json:"roles"`
	RoleOrder  []string          `json:"roleOrder"`
	// AliasCounts and RoleCounts are how many current quotes give each
	// name, so that a name goes with the last of them. First and last
	// seen are not kept: they are the ends of the speaker's postings.
	AliasCounts map[string]int `json:"aliasCounts"`
	RoleCounts  map[string]int `json:"roleCounts"`
}

// topicItem counts the quotes of one topic, named by its folded form.
type topicItem struct {
	PK         string `json:"PK"`
	SK         string `json:"SK"`
	Topic      string `json:"topic"`
	QuoteCount int    `json:"quoteCount"`
}

// topicWordItem finds a topic by one of its words.
type topicWordItem struct {
	PK     string `json:"PK"`
	SK     string `json:"SK"`
	Folded string `json:"folded"`
}

// conflictItem is one pair of conflicting quotes, stored under each of
// them. Its quotes are A and B, A's id sorting first; the item under A
// also carries the pair's place in the newest-first list (GSI1). Each
// side remembers the article and generation its quote belonged to, so
// readers can tell when either was replaced.
type conflictItem struct {
	PK         string    `json:"PK"`
	SK         string    `json:"SK"`
	GSI1PK     string    `json:"GSI1PK,omitempty"`
	GSI1SK     string    `json:"GSI1SK,omitempty"`
	QuoteA     string    `json:"a"`
	QuoteB     string    `json:"b"`
	ArticleA   string    `json:"aidA"`
	ArticleB   string    `json:"aidB"`
	GenA       string    `json:"genA"`
	GenB       string    `json:"genB"`
	Similarity float64   `json:"similarity"`
	Detected   time.Time `json:"detected"`
}

// conflictRank orders the GSI1 conflict list newest first when read in
// descending order.
func conflictRank(detected time.Time, a, b string) string {
	return dateKey(detected) + "#" + a + "#" + b
}

type speakerWordItem struct {
	PK        string `json:"PK"`
	SK        string `json:"SK"`
	SpeakerID string `json:"sid"`
}

// Items are encoded through the json tags so that the domain types, which
// carry only json tags, keep their field names in DynamoDB too.
func marshalItem(v any) (map[string]types.AttributeValue, error) {
	return attributevalue.MarshalMapWithOptions(v, func(o *attributevalue.EncoderOptions) {
		o.TagKey = "json"
		o.OmitEmptyTime = true
	})
}

func unmarshalItem(m map[string]types.AttributeValue, v any) error {
	return attributevalue.UnmarshalMapWithOptions(m, v, func(o *attributevalue.DecoderOptions) {
		o.TagKey = "json"
	})
}

func itemKey(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: pk},
		attrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

func keyString(m map[string]types.AttributeValue, attr string) string {
	if s, ok := m[attr].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// splitText cuts text into parts of at most maxBodyPart bytes, on rune
// boundaries.
func splitText(text string) []string {
	var parts []string
	for len(text) > maxBodyPart {
		cut := maxBodyPart
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
	if text != "" {
		parts = append(parts, text)
	}
	return parts
}

// withSpeakerID returns q with its speaker id derived when empty.
func withSpeakerID(q quote.Quote) quote.Quote {
	if q.Speaker.ID == "" {
		q.Speaker.ID = quote.SpeakerID(q.Speaker)
	}
	return q
}

// topicForms returns q's distinct topics, folded, and the form each was
// first written in.
func topicForms(q quote.Quote) (folded, display []string) {
	for _, t := range q.Topics {
		if f := quote.Fold(t); f != "" && !slices.Contains(folded, f) {
			folded = append(folded, f)
			display = append(display, t)
		}
	}
	return folded, display
}

func foldedTopics(q quote.Quote) []string {
	folded, _ := topicForms(q)
	return folded
}

func distinctWords(s string) []string {
	var words []string
	for _, w := range quote.Words(s) {
		if !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	return words
}

func indexable(v string) bool { return v != "" && len(v) <= maxIndexValue }

// postingPKs lists the index partitions q is posted under.
func postingPKs(q quote.Quote) []string {
	var pks []string
	// Queries fold the speaker id they ask for; ids that quote.SpeakerID
	// derives are folded already, ids a caller set may not be.
	if sid := quote.Fold(q.Speaker.ID); indexable(sid) {
		pks = append(pks, speakerPostingPK(sid))
	}
	for _, t := range foldedTopics(q) {
		if indexable(t) {
			pks = append(pks, topicPK(t))
		}
	}
	for _, w := range distinctWords(q.Text) {
		if indexable(w) {
			pks = append(pks, wordPK(w))
		}
	}
	if q.Speaker.Kind != "" {
		pks = append(pks, kindPK(q.Speaker.Kind))
	}
	return pks
}

// quoteKeys lists the keys of every item one quote of generation gen
// occupies besides its item in the article's quote list.
func quoteKeys(q quote.Quote, gen string) [][2]string {
	keys := [][2]string{{quoteIDPK(q.ID), gen}}
	sk := postingSK(q, gen)
	for _, pk := range postingPKs(q) {
		keys = append(keys, [2]string{pk, sk})
	}
	return keys
}
