package extract

import (
	"strings"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// The ranker's features come in groups, each a family of indicator
// features with one member per value: "sentences/pronoun/1" fires for a
// candidate last named one sentence before a quote attributed to a pronoun.
// A feature's id is its group's offset plus its value, so that scoring
// never looks a name up.
type featureGroup struct {
	name   string
	values []string
}

// mentionType is how the quote's own attribution refers to its speaker.
type mentionType uint8

const (
	mentionName mentionType = iota
	mentionPronoun
	mentionDescription
	mentionAnonymous
	mentionOrganization
	mentionNone
)

var mentionTypes = []string{"name", "pronoun", "description", "anonymous", "organization", "none"}

// cascadeRules are the rules of the first-rule-that-fires attribution, in
// the order their features are numbered.
var cascadeRules = []string{ruleSaidAfter, ruleVerbSpeaker, ruleAccordingTo, ruleDash, ruleSpeakerBefore,
	ruleReported, ruleRunsOn, ruleFollows, rulePrevSentence, ruleNamedBefore, ruleColonSubject, ruleNone}

// Distance buckets.
var (
	sentenceBuckets  = []string{"0", "1", "2", "3", "4-6", "7-12", "13+", "after"}
	paragraphBuckets = []string{"0", "1", "2+"}
	rankBuckets      = []string{"1st", "2nd", "3rd", "4th+"}
	reportBuckets    = []string{"same-sentence", "previous-sentence", "earlier"}
	countBuckets     = []string{"0", "1", "2+"}
	salienceBuckets  = []string{"1", "2", "3-4", "5-8", "9+"}
	genderAgreement  = []string{"he/agree", "he/disagree", "he/unknown", "she/agree", "she/disagree", "she/unknown"}
	pronounKinds     = []string{"he-she/person", "he-she/organization", "it/person", "it/organization",
		"they/person", "they/organization", "first-person/person", "first-person/organization", "other/person", "other/organization"}
	ruleOnlyShapes = []string{"one-word", "one-word-first-name", "several-words"}
	kinds          = []string{"person", "organization"}
	single         = []string{"yes"}
)

// Feature groups, in the order of featureGroups.
const (
	gRuleChoice = iota
	gRuleChoiceRule
	gRuleOnly
	gRuleOnlyShape
	gNone
	gSentences
	gParagraphs
	gRecency
	gPrevQuote
	gTurn
	gLastReport
	gSpoke
	gGender
	gPronounKind
	gKind
	gSalience
	gLede
	gSubject
	gOneWord
	gDescribes
	gQuotedBefore
	gMentionedInQuote
	gRuleMention
	gRuleExplicit
	gOverruled
	gLatestSubject
	gRefRole
	groupCount
)

// featureGroups names every group; its index is the group's constant.
var featureGroups = [groupCount]featureGroup{
	gRuleChoice:       {"rule-choice", mentionTypes},
	gRuleChoiceRule:   {"rule-choice-by-rule", cascadeRules},
	gRuleOnly:         {"rule-only", mentionTypes},
	gRuleOnlyShape:    {"rule-only-shape", ruleOnlyShapes},
	gNone:             {"nobody", mentionTypes},
	gSentences:        {"sentences", crossed(mentionTypes, sentenceBuckets)},
	gParagraphs:       {"paragraphs", crossed(mentionTypes, paragraphBuckets)},
	gRecency:          {"recency", crossed(mentionTypes, rankBuckets)},
	gPrevQuote:        {"previous-quote", mentionTypes},
	gTurn:             {"turn", mentionTypes},
	gLastReport:       {"last-report", crossed(mentionTypes, reportBuckets)},
	gSpoke:            {"spoke-before", mentionTypes},
	gGender:           {"gender", genderAgreement},
	gPronounKind:      {"pronoun-kind", pronounKinds},
	gKind:             {"kind", crossed(mentionTypes, kinds)},
	gSalience:         {"salience", salienceBuckets},
	gLede:             {"in-lede", single},
	gSubject:          {"subject", mentionTypes},
	gOneWord:          {"one-word-name", kinds},
	gDescribes:        {"describes", mentionTypes},
	gQuotedBefore:     {"quoted-before", crossed(mentionTypes, countBuckets)},
	gMentionedInQuote: {"named-in-quote", mentionTypes},
	gRuleMention:      {"rule-mention-sentences", crossed(mentionTypes, sentenceBuckets)},
	gRuleExplicit:     {"rule-name-in-mention", crossed(mentionTypes, []string{"written", "resolved"})},
	gOverruled:        {"other-than-written-rule", crossed(mentionTypes, []string{"same-sentence", "earlier"})},
	gLatestSubject:    {"latest-subject", mentionTypes},
	gRefRole:          {"latest-reference-role", crossed(mentionTypes, []string{"possessive", "after-preposition"})},
}

// featureOffsets[g] is the id of group g's first feature; the last entry
// is the number of features.
var featureOffsets = func() [groupCount + 1]int {
	var off [groupCount + 1]int
	for g, fg := range featureGroups {
		off[g+1] = off[g] + len(fg.values)
	}
	return off
}()

func crossed(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+"/"+y)
		}
	}
	return out
}

// feature is an id: an index into a model's weights.
type feature uint16

func featureOf(group, value int) feature { return feature(featureOffsets[group] + value) }

// FeatureNames lists every feature's name, indexed by id.
func FeatureNames() []string {
	names := make([]string, 0, featureOffsets[groupCount])
	for _, fg := range featureGroups {
		for _, v := range fg.values {
			names = append(names, fg.name+"/"+v)
		}
	}
	return names
}

func bucketSentences(n int32) int {
	switch {
	case n <= 3:
		return int(n)
	case n <= 6:
		return 4
	case n <= 12:
		return 5
	}
	return 6
}

func bucketSalience(n int) int {
	switch {
	case n <= 2:
		return n - 1
	case n <= 4:
		return 2
	case n <= 8:
		return 3
	}
	return 4
}

func bucketCount(n int) int { return min(n, 2) }

// mentionTypeOf classifies the cascade's attribution.
func (d *doc) mentionTypeOf(a attribution) mentionType {
	switch {
	case !a.found() || a.rule == ruleNone:
		return mentionNone
	case a.speaker.Kind == quote.Anonymous:
		return mentionAnonymous
	case a.mentionTo-a.mentionFrom == 1 && d.class(a.mentionFrom)&pronoun != 0:
		return mentionPronoun
	case a.speaker.Kind == quote.Organization:
		return mentionOrganization
	case a.mentionTo > a.mentionFrom && (d.class(a.mentionFrom)&determiner != 0 || !d.capitalized(a.mentionFrom)):
		return mentionDescription
	case a.speaker.Name == "":
		return mentionDescription
	}
	return mentionName
}

// pronounGender is the gender a pronoun mention asks for, and the row of
// the pronoun-kind features it falls in.
func pronounGender(word string) (gender, int) {
	if g := wordGender(word); g != unknownGender {
		return g, 0
	}
	switch strings.ToLower(word) {
	case "it", "its":
		return unknownGender, 1
	case "they", "them", "their":
		return unknownGender, 2
	case "i", "we", "me", "us":
		return unknownGender, 3
	}
	return unknownGender, 4
}
