package extract

// The extractor's reach, in tokens, sentences and words: how far the
// attribution rules look for a speaker or a cue. They bound the work per
// quote and keep a rule from reaching into an unrelated clause; each was
// set by reading news text, and the eval in ../shared/eval keeps them
// honest.
const (
	// maxPhraseTokens bounds a speaker phrase read forward from a verb
	// ("said Elaine Kamarck, a veteran of the DNC").
	maxPhraseTokens = 12
	// maxSubjectTokens bounds a speaker phrase read back from a verb, and
	// a sentence subject read forward.
	maxSubjectTokens = 10
	// maxCueSearchTokens is how far after a quote a speech verb is sought.
	maxCueSearchTokens = 20
	// maxIntroTokens bounds the words between a speech verb and its
	// quote: a colon, "that", an adverb, "in a statement".
	maxIntroTokens = 9
	// nearCueTokens is how close a cue must be for a short quoted phrase
	// to count as speech rather than a title or a scare quote.
	nearCueTokens = 8
	// maxTitleWords: a title-case quote of at most this many words, with
	// no cue of its own, is a title ("The Art of the Deal").
	maxTitleWords = 6
	// maxSignatureTokens bounds a signature line under a quote ("— Hillary
	// Clinton, Secretary of State").
	maxSignatureTokens = 16
	// maxSentencesBack is how many sentences back a document or an
	// organisation is looked for ("the statement", "the ministry").
	maxSentencesBack = 3
	// maxDocumentSentencesBack is how many sentences back "the editorial"
	// looks for where the article named whose editorial it is.
	maxDocumentSentencesBack = 12
	// maxDocumentModifiers is how many words before a document noun may
	// name its owner ("the National Academies of Sciences report").
	maxDocumentModifiers = 6
	// maxIssuerGap is how many words "a report released … by" may hold
	// between the participle and "by" ("released in September by").
	maxIssuerGap = 4
	// maxClauseTokens bounds a relative clause between a subject and its
	// verb ("X, who lost her daughter in Aurora, Colorado, said").
	maxClauseTokens = 40
	// minHeadlineWords: a line of at least this many words, all
	// capitalised, is a headline.
	minHeadlineWords = 3
)
