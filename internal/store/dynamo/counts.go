package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// Bounds on the names a speaker record keeps, so that a speaker quoted for
// years under ever new descriptions stays far below the 400 KB item limit:
// past them, new names are no longer recorded.
const (
	maxRecordNames     = 200
	maxRecordNameBytes = 300
)

// count moves the speaker and topic counts from the quotes removed to the
// quotes added, and records what the added quotes say of their speakers.
func (d *DB) count(ctx context.Context, u *usage, added, removed []quote.Quote) {
	d.countSpeakers(ctx, u, added, removed)
	d.countTopics(ctx, u, added, removed)
}

// speakerChange is what one switch does to a speaker's record.
type speakerChange struct {
	delta int
	// speaker is the speaker of the first added quote; named is false when
	// the speaker only lost quotes.
	speaker quote.Speaker
	named   bool
	// aliases and roles are the names the added quotes give, in order;
	// aliasDelta and roleDelta how many quotes giving each were added
	// minus how many were removed.
	aliases, roles        []string
	aliasDelta, roleDelta map[string]int
}

// speakerNames returns the aliases and the role one quote gives its
// speaker, as the record keeps them.
func speakerNames(s quote.Speaker) (aliases, roles []string) {
	for _, a := range store.SpeakerAliases(s) {
		if len(a) <= maxRecordNameBytes {
			aliases = append(aliases, a)
		}
	}
	if r := strings.TrimSpace(s.Descriptor); r != "" && len(r) <= maxRecordNameBytes {
		roles = []string{r}
	}
	return aliases, roles
}

func (c *speakerChange) tally(q quote.Quote, by int) {
	if c.aliasDelta == nil {
		c.aliasDelta, c.roleDelta = map[string]int{}, map[string]int{}
	}
	c.delta += by
	aliases, roles := speakerNames(q.Speaker)
	for _, a := range aliases {
		c.aliasDelta[a] += by
		if by > 0 && !slices.Contains(c.aliases, a) {
			c.aliases = append(c.aliases, a)
		}
	}
	for _, r := range roles {
		c.roleDelta[r] += by
		if by > 0 && !slices.Contains(c.roles, r) {
			c.roles = append(c.roles, r)
		}
	}
}

func (c *speakerChange) add(q quote.Quote) {
	if !c.named {
		c.speaker, c.named = q.Speaker, true
	}
	c.tally(q, 1)
}

// countSpeakers applies to each speaker's record the quotes added and
// removed: the count, and its place in the most-quoted list (GSI1), and
// the count of each name, follow the difference.
func (d *DB) countSpeakers(ctx context.Context, u *usage, added, removed []quote.Quote) {
	changes := map[string]*speakerChange{}
	var order []string
	change := func(sid string) *speakerChange {
		c, ok := changes[sid]
		if !ok {
			c = &speakerChange{}
			changes[sid] = c
			order = append(order, sid)
		}
		return c
	}
	for _, q := range added {
		if indexable(q.Speaker.ID) {
			change(q.Speaker.ID).add(q)
		}
	}
	for _, q := range removed {
		if indexable(q.Speaker.ID) {
			change(q.Speaker.ID).tally(q, -1)
		}
	}
	inParallel(len(order), func(i int) {
		sid := order[i]
		c := changes[sid]
		if c.delta == 0 && !c.named && !changesNames(c) {
			return
		}
		if err := d.recordSpeaker(ctx, u, sid, c); err != nil {
			d.log.ErrorContext(ctx, "dynamo: record speaker", "speaker_id", sid, "delta", c.delta, "err", err)
		}
	})
}

func changesNames(c *speakerChange) bool {
	for _, deltas := range []map[string]int{c.aliasDelta, c.roleDelta} {
		for _, d := range deltas {
			if d != 0 {
				return true
			}
		}
	}
	return false
}

// recordSpeaker applies one speaker's change in a few single-item writes,
// none a transaction: the count first, since counts are what readers rank
// by; then its rank, and the names, each of which moves the record forward
// whatever other writers do meanwhile.
func (d *DB) recordSpeaker(ctx context.Context, u *usage, sid string, c *speakerChange) error {
	key := itemKey(speakerPK(sid), summarySK)
	update := expression.Add(expression.Name("quoteCount"), expression.Value(c.delta)).
		Set(expression.Name("id"), expression.Value(sid)).
		// The maps exist before the names' counts are set inside them.
		Set(expression.Name("aliasCounts"), expression.IfNotExists(expression.Name("aliasCounts"), expression.Value(map[string]int{}))).
		Set(expression.Name("roleCounts"), expression.IfNotExists(expression.Name("roleCounts"), expression.Value(map[string]int{})))
	if c.named {
		update = update.Set(expression.Name("name"), expression.Value(c.speaker.Name)).
			Set(expression.Name("kind"), expression.Value(c.speaker.Kind))
	}
	// The record as it was tells which names are new; the count after the
	// ADD is the old one plus delta.
	previous, err := d.updateItem(ctx, u, key, update, nil, types.ReturnValueAllOld)
	if err != nil {
		return fmt.Errorf("count: %w", err)
	}
	var old speakerItem
	if err := unmarshalItem(previous, &old); err != nil {
		return fmt.Errorf("decode previous record: %w", err)
	}

	var errs []error
	if c.delta != 0 {
		if err := d.setRank(ctx, u, key, speakerRankPK, old.QuoteCount+c.delta, sid); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, d.countNames(ctx, u, key, old, c))
	return errors.Join(errs...)
}

// nameLists are the attributes that keep one kind of name of a speaker:
// the set, the order first seen, and the count of quotes giving each.
type nameLists struct{ set, order, counts string }

var (
	aliasLists = nameLists{"aliases", "aliasOrder", "aliasCounts"}
	roleLists  = nameLists{"roles", "roleOrder", "roleCounts"}
)

// countNames adds each name's delta to its count, adding the names not
// recorded yet to the set and the order list (ADD to a set is idempotent;
// two concurrent writers may both append one name to the list, and
// readers keep its first place), then removes from the set and the counts
// the names no quote gives any more — on condition that their count is
// still not above zero, since another writer may have counted them in.
// The order list keeps removed names: readers list only those in the set.
func (d *DB) countNames(ctx context.Context, u *usage, key map[string]types.AttributeValue, old speakerItem, c *speakerChange) error {
	var update expression.UpdateBuilder
	changed := false
	for _, names := range []struct {
		lists    nameLists
		delta    map[string]int
		added    []string
		recorded []string
	}{{aliasLists, c.aliasDelta, c.aliases, old.Aliases}, {roleLists, c.roleDelta, c.roles, old.Roles}} {
		var fresh []string
		for _, n := range unrecorded(names.added, names.recorded) {
			if names.delta[n] > 0 {
				fresh = append(fresh, n)
			}
		}
		for name, delta := range names.delta {
			// Only recorded names are counted: past the record's bound, new
			// names are neither listed nor counted.
			if delta == 0 || !slices.Contains(names.recorded, name) && !slices.Contains(fresh, name) {
				continue
			}
			path := expression.Name(names.lists.counts).AppendName(expression.NameNoDotSplit(name))
			update = update.Set(path, expression.Plus(expression.IfNotExists(path, expression.Value(0)), expression.Value(delta)))
			changed = true
		}
		if len(fresh) > 0 {
			update = update.Add(expression.Name(names.lists.set), expression.Value(&types.AttributeValueMemberSS{Value: fresh})).
				Set(expression.Name(names.lists.order), expression.ListAppend(
					expression.IfNotExists(expression.Name(names.lists.order), expression.Value([]string{})),
					expression.Value(fresh)))
		}
	}
	if !changed {
		return nil
	}
	updated, err := d.updateItem(ctx, u, key, update, nil, types.ReturnValueAllNew)
	if err != nil {
		return fmt.Errorf("count names: %w", err)
	}
	var now speakerItem
	if err := unmarshalItem(updated, &now); err != nil {
		return fmt.Errorf("decode counted names: %w", err)
	}
	var errs []error
	for _, kind := range []struct {
		lists  nameLists
		delta  map[string]int
		counts map[string]int
	}{{aliasLists, c.aliasDelta, now.AliasCounts}, {roleLists, c.roleDelta, now.RoleCounts}} {
		for name, delta := range kind.delta {
			if delta < 0 && kind.counts[name] <= 0 {
				errs = append(errs, d.dropName(ctx, u, key, kind.lists, name))
			}
		}
	}
	return errors.Join(errs...)
}

// dropName removes a name no quote gives any more, unless its count went
// back above zero meanwhile.
func (d *DB) dropName(ctx context.Context, u *usage, key map[string]types.AttributeValue, lists nameLists, name string) error {
	path := expression.Name(lists.counts).AppendName(expression.NameNoDotSplit(name))
	update := expression.Remove(path).
		Delete(expression.Name(lists.set), expression.Value(&types.AttributeValueMemberSS{Value: []string{name}}))
	cond := path.AttributeNotExists().Or(path.LessThanEqual(expression.Value(0)))
	_, err := d.updateItem(ctx, u, key, update, &cond, "")
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return nil
	}
	if err != nil {
		return fmt.Errorf("drop name %q: %w", name, err)
	}
	return nil
}

// unrecorded returns the names not in recorded, as many as the record
// still has room for.
func unrecorded(names, recorded []string) []string {
	var fresh []string
	for _, n := range names {
		if len(recorded)+len(fresh) < maxRecordNames && !slices.Contains(recorded, n) {
			fresh = append(fresh, n)
		}
	}
	return fresh
}

// countTopics applies to each topic's count the difference between the
// quotes added and removed, and keeps the topic's place in the
// most-quoted list (GSI1) in step with it.
func (d *DB) countTopics(ctx context.Context, u *usage, added, removed []quote.Quote) {
	delta := map[string]int{}
	display := map[string]string{}
	var order []string
	tally := func(q quote.Quote, by int) {
		folded, forms := topicForms(q)
		for i, t := range folded {
			if !indexable(t) {
				continue
			}
			if _, ok := delta[t]; !ok {
				order = append(order, t)
			}
			delta[t] += by
			if _, ok := display[t]; !ok && by > 0 {
				display[t] = forms[i]
			}
		}
	}
	for _, q := range added {
		tally(q, 1)
	}
	for _, q := range removed {
		tally(q, -1)
	}
	inParallel(len(order), func(i int) {
		t := order[i]
		if delta[t] == 0 {
			return
		}
		if err := d.countTopic(ctx, u, t, delta[t], display[t]); err != nil {
			d.log.ErrorContext(ctx, "dynamo: count topic quotes", "topic", t, "delta", delta[t], "err", err)
		}
	})
}

// countTopic adds delta to a topic's count, naming it as display when
// that is known, then ranks it by the new count.
func (d *DB) countTopic(ctx context.Context, u *usage, folded string, delta int, display string) error {
	key := itemKey(topicSummaryPK(folded), summarySK)
	update := expression.Add(expression.Name("quoteCount"), expression.Value(delta))
	if display != "" {
		update = update.Set(expression.Name("topic"), expression.Value(display))
	}
	updated, err := d.updateItem(ctx, u, key, update, nil, types.ReturnValueUpdatedNew)
	if err != nil {
		return fmt.Errorf("count: %w", err)
	}
	count, err := returnedCount(updated)
	if err != nil {
		return err
	}
	return d.setRank(ctx, u, key, topicRankPK, count, folded)
}

func returnedCount(attrs map[string]types.AttributeValue) (int, error) {
	countAttr, ok := attrs["quoteCount"].(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("update returned no quote count")
	}
	count, err := strconv.Atoi(countAttr.Value)
	if err != nil {
		return 0, fmt.Errorf("quote count %q: %w", countAttr.Value, err)
	}
	return count, nil
}

// setRank files the item at key in the GSI1 list rankPK by count, or takes
// it off the list at zero: things with no quotes are not listed. The rank
// is a string key, which an ADD cannot maintain, so it is set in a second
// write that only applies while the count is still the one it was
// computed from; a concurrent writer that changed the count sets its own.
func (d *DB) setRank(ctx context.Context, u *usage, key map[string]types.AttributeValue, rankPK string, count int, id string) error {
	var update expression.UpdateBuilder
	if count > 0 {
		update = expression.Set(expression.Name(attrGSI1PK), expression.Value(rankPK)).
			Set(expression.Name(attrGSI1SK), expression.Value(rank(count, id)))
	} else {
		update = expression.Remove(expression.Name(attrGSI1PK)).Remove(expression.Name(attrGSI1SK))
	}
	still := expression.Name("quoteCount").Equal(expression.Value(count))
	_, err := d.updateItem(ctx, u, key, update, &still, "")
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	return nil
}
