package bolt

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// Index tags: the first byte of an index or postings key says which field
// of a quote the value comes from.
const (
	tagSpeaker byte = 's'
	tagTopic   byte = 't'
	tagWord    byte = 'w'
	tagKind    byte = 'k'
)

// dateLen is the width of an encoded date in index keys.
const dateLen = 12

// indexPrefix is the key prefix shared by every index entry of one value.
// The value is length-prefixed so that no value's prefix is another's.
func indexPrefix(tag byte, value string) []byte {
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(value)+dateLen+32)
	b = append(b, tag)
	b = binary.AppendUvarint(b, uint64(len(value)))
	return append(b, value...)
}

// appendDate encodes t so that byte order is time order, for any year.
func appendDate(b []byte, t time.Time) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(t.Unix())^(1<<63))
	return binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
}

// position is where a quote sits in every index: its date, then its id.
func position(q quote.Quote) []byte {
	return append(appendDate(make([]byte, 0, dateLen+len(q.ID)), q.Date), q.ID...)
}

// posting is one index entry of a quote, without its position.
type posting struct {
	tag   byte
	value string
}

// postingsOf lists the index entries of q, each once; stopwords have none
// (store.IsStopword).
func postingsOf(q quote.Quote) []posting {
	ps := []posting{{tagSpeaker, q.Speaker.ID}}
	if q.Speaker.Kind != "" {
		ps = append(ps, posting{tagKind, string(q.Speaker.Kind)})
	}
	for _, t := range q.Topics {
		if t := quote.Fold(t); t != "" {
			ps = append(ps, posting{tagTopic, t})
		}
	}
	for _, w := range quote.Words(q.Text) {
		if !store.IsStopword(w) {
			ps = append(ps, posting{tagWord, w})
		}
	}
	slices.SortFunc(ps, func(a, b posting) int {
		if a.tag != b.tag {
			return int(a.tag) - int(b.tag)
		}
		return bytes.Compare([]byte(a.value), []byte(b.value))
	})
	return slices.Compact(ps)
}

// rankKey orders speakers (by id) and topics (folded) most quoted first,
// then by id.
func rankKey(id string, count int) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(id)), math.MaxUint64-uint64(count))
	return append(b, id...)
}

// wordKey indexes one word of a speaker's name or of a topic under the
// speaker's id or the folded topic. Words hold only letters and digits, so
// the 0x00 separator cannot occur inside one.
func wordKey(word, id string) []byte {
	b := make([]byte, 0, len(word)+1+len(id))
	b = append(b, word...)
	b = append(b, 0)
	return append(b, id...)
}

// prefixEnd returns the first key after every key starting with prefix, or
// nil when there is none.
func prefixEnd(prefix []byte) []byte {
	end := slices.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// seekBefore moves c to the last key strictly before bound, or to the last
// key of the bucket when bound is nil.
func seekBefore(c *bbolt.Cursor, bound []byte) []byte {
	if bound == nil {
		k, _ := c.Last()
		return k
	}
	if k, _ := c.Seek(bound); k == nil {
		k, _ = c.Last()
		return k
	}
	k, _ := c.Prev()
	return k
}

func putUint64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func getUint64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// pairKey names one conflict by its two quote ids, sorted. The first id is
// length-prefixed so that no pair's key is a prefix of another's.
func pairKey(a, b string) []byte {
	if b < a {
		a, b = b, a
	}
	return append(quoteConflictPrefix(a), b...)
}

// quoteConflictPrefix is the prefix of every quote_conflicts key of one
// quote: a prefix seek lists the conflicts it is part of.
func quoteConflictPrefix(id string) []byte {
	b := make([]byte, 0, binary.MaxVarintLen64+2*len(id))
	b = binary.AppendUvarint(b, uint64(len(id)))
	return append(b, id...)
}

// splitPair is the inverse of pairKey.
func splitPair(key []byte) (a, b string, ok bool) {
	n, size := binary.Uvarint(key)
	if size <= 0 || uint64(len(key)-size) < n {
		return "", "", false
	}
	rest := key[size:]
	return string(rest[:n]), string(rest[n:]), true
}

// conflictDateKey orders conflicts by when they were detected, then by
// their pair, so iterating backwards lists the newest first.
func conflictDateKey(detected time.Time, pair []byte) []byte {
	return append(appendDate(make([]byte, 0, dateLen+len(pair)), detected), pair...)
}
