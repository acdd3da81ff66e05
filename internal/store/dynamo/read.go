package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// Reads of one article (Article, ArticleQuotes, Quote) are strongly
// consistent, so they see an upload as soon as PutArticle returns; the
// searches (Quotes, Speakers) are eventually consistent at half the price.

// Article reads the article item, then its text parts of the current
// generation.
func (d *DB) Article(ctx context.Context, id string) (quote.Article, error) {
	u := &usage{}
	defer d.finish(ctx, "Article", u, "article_id", id)
	a, _, err := d.readArticle(ctx, u, id, true, false)
	return a, err
}

// ArticleQuotes reads the article item, then the quote list of its current
// generation, whose sort keys keep the quotes in article order.
func (d *DB) ArticleQuotes(ctx context.Context, articleID string) ([]quote.Quote, error) {
	u := &usage{}
	defer d.finish(ctx, "ArticleQuotes", u, "article_id", articleID)
	_, quotes, err := d.readArticle(ctx, u, articleID, false, true)
	return quotes, err
}

// ArticleWithQuotes reads the article item, then the text (when asked)
// and the quotes of the generation it names: one upload's, whatever
// switches happen meanwhile (see readArticle).
func (d *DB) ArticleWithQuotes(ctx context.Context, id string, withText bool) (quote.Article, []quote.Quote, error) {
	u := &usage{}
	defer d.finish(ctx, "ArticleWithQuotes", u, "article_id", id, "with_text", withText)
	return d.readArticle(ctx, u, id, withText, true)
}

// snapshotAttempts bounds how often readArticle starts again when the
// generation it read was replaced under it.
const snapshotAttempts = 3

// readArticle reads the article item, then, of the generation it names,
// the text parts and the quotes as asked. A generation's items never
// change once written, so they and the item naming it are one upload's;
// but a switch may retire the generation between the reads, which shows
// as parts missing: the read then starts again from the new article item.
func (d *DB) readArticle(ctx context.Context, u *usage, id string, withText, withQuotes bool) (quote.Article, []quote.Quote, error) {
	var err error
	for range snapshotAttempts {
		var meta articleItem
		if meta, err = d.currentArticle(ctx, u, id); err != nil {
			return quote.Article{}, nil, err
		}
		a, quotes := meta.Article, []quote.Quote{}
		var complete bool
		if withText {
			if a.Text, complete, err = d.readText(ctx, u, meta); err != nil || !complete {
				continue
			}
		}
		if withQuotes {
			if quotes, complete, err = d.readQuotes(ctx, u, meta); err != nil || !complete {
				continue
			}
		}
		return a, quotes, nil
	}
	if err == nil {
		err = fmt.Errorf("article %s was replaced %d times while being read", id, snapshotAttempts)
	}
	return quote.Article{}, nil, fmt.Errorf("dynamo: read article %s: %w", id, err)
}

// readText joins the text parts of meta's generation, reporting false
// when some are gone (the generation was retired).
func (d *DB) readText(ctx context.Context, u *usage, meta articleItem) (string, bool, error) {
	if meta.TextParts == 0 {
		return "", true, nil
	}
	items, err := d.queryAll(ctx, u, expression.Key(attrPK).Equal(expression.Value(meta.PK)).
		And(expression.Key(attrSK).BeginsWith(bodyPrefix(meta.Generation))), true)
	if err != nil {
		return "", false, fmt.Errorf("read text: %w", err)
	}
	if len(items) != meta.TextParts {
		return "", false, nil
	}
	var text strings.Builder
	for _, item := range items {
		var body bodyItem
		if err := unmarshalItem(item, &body); err != nil {
			return "", false, fmt.Errorf("decode text: %w", err)
		}
		text.WriteString(body.Text)
	}
	return text.String(), true, nil
}

// readQuotes reads the quote list of meta's generation, reporting false
// when some are gone (the generation was retired).
func (d *DB) readQuotes(ctx context.Context, u *usage, meta articleItem) ([]quote.Quote, bool, error) {
	quotes := make([]quote.Quote, 0, meta.QuoteItems)
	if meta.QuoteItems == 0 {
		return quotes, true, nil
	}
	items, err := d.queryAll(ctx, u, expression.Key(attrPK).Equal(expression.Value(meta.PK)).
		And(expression.Key(attrSK).BeginsWith(quoteItemPrefix(meta.Generation))), true)
	if err != nil {
		return nil, false, fmt.Errorf("read quotes: %w", err)
	}
	if len(items) != meta.QuoteItems {
		return nil, false, nil
	}
	for _, item := range items {
		var p postingItem
		if err := unmarshalItem(item, &p); err != nil {
			return nil, false, fmt.Errorf("decode quote %s: %w", keyString(item, attrSK), err)
		}
		quotes = append(quotes, p.Quote)
	}
	return quotes, true, nil
}

// Quote reads the id lookup postings of every generation that holds the
// id, then the article items they name, and returns the posting of a
// current generation.
func (d *DB) Quote(ctx context.Context, id string) (quote.Quote, error) {
	u := &usage{}
	defer d.finish(ctx, "Quote", u, "quote_id", id)
	items, err := d.queryAll(ctx, u, expression.Key(attrPK).Equal(expression.Value(quoteIDPK(id))), true)
	if err != nil {
		return quote.Quote{}, fmt.Errorf("dynamo: look up quote %s: %w", id, err)
	}
	postings, err := decodePostings(items)
	if err != nil {
		return quote.Quote{}, fmt.Errorf("dynamo: look up quote %s: %w", id, err)
	}
	gens, err := d.generations(ctx, u, postings, nil, true)
	if err != nil {
		return quote.Quote{}, fmt.Errorf("dynamo: look up quote %s: %w", id, err)
	}
	for _, p := range postings {
		if gens[p.ArticleID] == p.Generation {
			return p.Quote, nil
		}
	}
	return quote.Quote{}, quote.Errorf(quote.ENotFound, "quote %s not found", id)
}

// currentArticle returns the article item of id unless it is missing or a
// tombstone.
func (d *DB) currentArticle(ctx context.Context, u *usage, id string) (articleItem, error) {
	item, err := d.getItem(ctx, u, articlePK(id), metaSK, true)
	if err != nil {
		return articleItem{}, fmt.Errorf("dynamo: get article %s: %w", id, err)
	}
	var meta articleItem
	if item != nil {
		if err := unmarshalItem(item, &meta); err != nil {
			return articleItem{}, fmt.Errorf("dynamo: decode article %s: %w", id, err)
		}
	}
	if item == nil || meta.Status == statusDeleted {
		return articleItem{}, quote.Errorf(quote.ENotFound, "article %s not found", id)
	}
	return meta, nil
}

func decodePostings(items []map[string]types.AttributeValue) ([]postingItem, error) {
	postings := make([]postingItem, len(items))
	for i, item := range items {
		if err := unmarshalItem(item, &postings[i]); err != nil {
			return nil, fmt.Errorf("decode posting %s %s: %w", keyString(item, attrPK), keyString(item, attrSK), err)
		}
	}
	return postings, nil
}

// generations returns the current generation of each article the postings
// belong to, reading the article items not already in known; a missing or
// deleted article has generation "". known is filled in and returned.
func (d *DB) generations(ctx context.Context, u *usage, postings []postingItem, known map[string]string, consistent bool) (map[string]string, error) {
	ids := make([]string, len(postings))
	for i, p := range postings {
		ids[i] = p.ArticleID
	}
	return d.articleGenerations(ctx, u, ids, known, consistent)
}

// articleGenerations returns the current generation of each article in
// ids, reading in one BatchGetItem (per 100) the article items not already
// in known; a missing or deleted article has generation "". known is
// filled in and returned.
func (d *DB) articleGenerations(ctx context.Context, u *usage, ids []string, known map[string]string, consistent bool) (map[string]string, error) {
	if known == nil {
		known = map[string]string{}
	}
	var keys []map[string]types.AttributeValue
	for _, id := range ids {
		if _, ok := known[id]; !ok {
			known[id] = ""
			keys = append(keys, itemKey(articlePK(id), metaSK))
		}
	}
	if len(keys) == 0 {
		return known, nil
	}
	items, err := d.batchGet(ctx, u, keys, consistent)
	if err != nil {
		return nil, fmt.Errorf("read article generations: %w", err)
	}
	for _, item := range items {
		var meta articleItem
		if err := unmarshalItem(item, &meta); err != nil {
			return nil, fmt.Errorf("decode article %s: %w", keyString(item, attrPK), err)
		}
		if meta.Status != statusDeleted {
			known[meta.Article.ID] = meta.Generation
		}
	}
	return known, nil
}

// plan is how one query is answered: the index partition it reads and the
// test every posting read from it must pass.
type plan struct {
	pk      string
	matches func(quote.Quote) bool
	// filtered is whether the test can reject postings of the partition,
	// beyond those of replaced generations.
	filtered bool
}

// planQuery reads the most selective index the query names — speaker,
// then topic, then its longest word that is not a stopword, then kind —
// and checks every
// criterion against the quote each posting carries.
func planQuery(q store.Query) (plan, error) {
	speaker := quote.Fold(q.SpeakerID)
	topic := quote.Fold(q.Topic)
	if q.Kind != "" && !q.Kind.Valid() {
		return plan{}, quote.Errorf(quote.EInvalid, "unknown speaker kind %q", q.Kind)
	}
	// Stopwords have no postings (store.IsStopword): the matcher checks
	// them in the text of the quotes the other criteria find.
	indexed, checked := q.SearchWords()
	wordCount := len(indexed) + len(checked)
	var p plan
	criteria := 0
	switch {
	case speaker != "":
		p.pk = speakerPostingPK(speaker)
	case topic != "":
		p.pk = topicPK(topic)
	case len(indexed) > 0:
		longest := slices.MaxFunc(indexed, func(a, b string) int { return len(a) - len(b) })
		p.pk = wordPK(longest)
	case q.Kind != "":
		p.pk = kindPK(q.Kind)
	case len(checked) > 0:
		return plan{}, store.StopwordsAlone(checked)
	default:
		return plan{}, quote.Errorf(quote.EInvalid, "a query needs a speaker, a topic, words or a kind")
	}
	for _, set := range []bool{speaker != "", topic != "", wordCount > 0, q.Kind != ""} {
		if set {
			criteria++
		}
	}
	p.filtered = criteria > 1 || wordCount > 1
	p.matches = q.Matcher()
	return p, nil
}

// Quotes reads the planned index partition newest first, keeps the
// postings of current generations that match every criterion, and loops
// until the page is full, plus one posting to know whether another page
// follows, or the partition is exhausted.
func (d *DB) Quotes(ctx context.Context, q store.Query) (store.Page, error) {
	u := &usage{}
	defer d.finish(ctx, "Quotes", u, "speaker_id", q.SpeakerID, "topic", q.Topic, "kind", q.Kind)
	hits, next, err := d.search(ctx, u, q)
	if err != nil {
		return store.Page{}, err
	}
	page := store.Page{NextCursor: next}
	for _, item := range hits {
		var p postingItem
		if err := unmarshalItem(item, &p); err != nil {
			return store.Page{}, fmt.Errorf("dynamo: decode posting %s %s: %w", keyString(item, attrPK), keyString(item, attrSK), err)
		}
		page.Quotes = append(page.Quotes, p.Quote)
	}
	return page, nil
}

// postingHead is what a search reads of each posting before it keeps it:
// the generation, and the fields store.Query.Matcher checks.
type postingHead struct {
	ArticleID  string `json:"aid"`
	Generation string `json:"gen"`
	Quote      struct {
		Text    string `json:"text"`
		Speaker struct {
			ID   string            `json:"id"`
			Kind quote.SpeakerKind `json:"kind"`
		} `json:"speaker"`
		Topics []string `json:"topics"`
	} `json:"quote"`
}

// matchable is the part of a quote the matcher reads.
func (h postingHead) matchable() quote.Quote {
	return quote.Quote{
		Text:    h.Quote.Text,
		Speaker: quote.Speaker{ID: h.Quote.Speaker.ID, Kind: h.Quote.Speaker.Kind},
		Topics:  h.Quote.Topics,
	}
}

// search is Quotes up to decoding: the items of the page's postings, and
// the next page's cursor. Only the heads of the postings examined are
// decoded.
func (d *DB) search(ctx context.Context, u *usage, q store.Query) ([]map[string]types.AttributeValue, string, error) {
	limit := q.Limit
	if limit == 0 {
		limit = store.DefaultLimit
	}
	if limit < 1 || limit > store.MaxLimit {
		return nil, "", quote.Errorf(quote.EInvalid, "limit must be between 1 and %d", store.MaxLimit)
	}
	var position []byte
	if q.Cursor != "" {
		var err error
		if position, err = d.cursors.Decode(q, q.Cursor); err != nil {
			return nil, "", err
		}
	}
	p, err := planQuery(q)
	if err != nil {
		return nil, "", err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.From.After(q.To) {
		return nil, "", nil
	}
	in, err := queryInput(p.pk, q)
	if err != nil {
		return nil, "", err
	}
	if position != nil {
		in.ExclusiveStartKey = itemKey(p.pk, string(position))
	}

	var hits []map[string]types.AttributeValue
	gens := map[string]string{}
	// resume is where the next page starts when this one stops at the
	// read budget before it is full.
	var resume string
	for examined := 0; len(hits) <= limit; {
		if examined >= d.maxExamined {
			resume = keyString(in.ExclusiveStartKey, attrSK)
			break
		}
		in.Limit = aws.Int32(int32(min(readAhead(limit+1-len(hits), p.filtered), d.maxExamined-examined)))
		out, err := d.queryPage(ctx, u, in)
		if err != nil {
			return nil, "", fmt.Errorf("dynamo: query %s: %w", p.pk, err)
		}
		examined += len(out.Items)
		heads := make([]postingHead, len(out.Items))
		aids := make([]string, len(out.Items))
		for i, item := range out.Items {
			if err := unmarshalItem(item, &heads[i]); err != nil {
				return nil, "", fmt.Errorf("dynamo: query %s: decode posting %s: %w", p.pk, keyString(item, attrSK), err)
			}
			aids[i] = heads[i].ArticleID
		}
		if gens, err = d.articleGenerations(ctx, u, aids, gens, false); err != nil {
			return nil, "", fmt.Errorf("dynamo: query %s: %w", p.pk, err)
		}
		for i, h := range heads {
			if gens[h.ArticleID] == h.Generation && p.matches(h.matchable()) {
				hits = append(hits, out.Items[i])
				if len(hits) > limit {
					break
				}
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}

	switch {
	case len(hits) > limit:
		// The position is the last returned posting, not where the read
		// stopped: the postings read past it are read again next page.
		return hits[:limit], d.cursors.Encode(q, []byte(keyString(hits[limit-1], attrSK))), nil
	case resume != "":
		// A rare combination of criteria over a large partition would
		// otherwise read all of it in one request: the page comes back
		// short, and the next one resumes after the last posting examined.
		return hits, d.cursors.Encode(q, []byte(resume)), nil
	}
	return hits, "", nil
}

// queryInput selects partition pk newest first, within the query's dates.
func queryInput(pk string, q store.Query) (dynamodb.QueryInput, error) {
	cond := expression.Key(attrPK).Equal(expression.Value(pk))
	switch {
	case !q.From.IsZero() && !q.To.IsZero():
		cond = cond.And(expression.Key(attrSK).Between(expression.Value(dateKey(q.From)), expression.Value(dateKeyEnd(q.To))))
	case !q.From.IsZero():
		cond = cond.And(expression.Key(attrSK).GreaterThanEqual(expression.Value(dateKey(q.From))))
	case !q.To.IsZero():
		cond = cond.And(expression.Key(attrSK).LessThanEqual(expression.Value(dateKeyEnd(q.To))))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(cond).Build()
	if err != nil {
		return dynamodb.QueryInput{}, fmt.Errorf("dynamo: build key condition for %s: %w", pk, err)
	}
	return dynamodb.QueryInput{
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ScanIndexForward:          aws.Bool(false),
	}, nil
}

// maxExamined bounds the postings one page of Quotes reads, and with it
// the capacity one request can consume: about 125 read units at 1 KB a
// posting.
const maxExamined = 1000

// readAhead is how many postings to read for want more results: exactly
// that many when only replaced generations can be dropped (rare and
// short-lived), more when other criteria filter the partition.
func readAhead(want int, filtered bool) int {
	if !filtered {
		return want
	}
	return max(4*want, 32)
}
