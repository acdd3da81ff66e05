package bolt

import (
	"errors"
	"fmt"
	"sync"

	bbolt "go.etcd.io/bbolt"
)

// groupCommit runs concurrent writes in shared transactions, as bbolt's
// DB.Batch does, but without a timer: a write that finds no commit
// running commits at once, alone; writes that arrive while a commit runs
// queue, and the first of them commits the whole queue in one transaction
// (one fsync) when that commit is done. So a lone upload never waits for
// company, and under load every transaction takes everyone who was
// waiting for the last one. bbolt's Batch starts a batch a fixed delay
// after its first write whether or not the writer is free, which under
// load split the uploads waiting for a commit into several (840 uploads
// from 4 uploaders made 550 commits).
//
// A function may run more than once (with the others of its group, then
// alone when it failed), so it must depend only on the transaction and
// its own arguments, as for DB.Batch.
type groupCommit struct {
	mu sync.Mutex
	// busy is set while a leader commits; waiting are the calls that
	// arrived since it took its group.
	busy    bool
	waiting []*groupCall
}

type groupCall struct {
	fn func(*bbolt.Tx) error
	// result gets errLead when the call is to commit the queue, then its
	// outcome (errSolo when it must run alone).
	result chan error
}

var (
	errLead = errors.New("bolt: lead the next group commit")
	errSolo = errors.New("bolt: failed in a group; run alone")
)

// update runs fn in a read-write transaction shared with the writes
// waiting beside it, and returns once that transaction is committed.
func (g *groupCommit) update(db *bbolt.DB, fn func(*bbolt.Tx) error) error {
	c := &groupCall{fn: fn, result: make(chan error, 1)}
	g.mu.Lock()
	g.waiting = append(g.waiting, c)
	if g.busy {
		g.mu.Unlock()
		if err := <-c.result; err != errLead {
			return g.outcome(db, c, err)
		}
		g.mu.Lock()
	}
	g.busy = true
	group := g.waiting
	g.waiting = nil
	g.mu.Unlock()

	commitGroup(db, group)

	g.mu.Lock()
	if len(g.waiting) > 0 {
		// The first to arrive commits the others and itself.
		g.waiting[0].result <- errLead
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	return g.outcome(db, c, <-c.result)
}

// outcome is a call's result, running it alone when its group could not
// take it.
func (g *groupCommit) outcome(db *bbolt.DB, c *groupCall, err error) error {
	if err == errSolo {
		return db.Update(func(tx *bbolt.Tx) error { return safely(c.fn, tx) })
	}
	return err
}

// commitGroup runs the calls in one transaction and tells each its
// outcome. A call that fails is taken out and told to run alone, and the
// transaction is done again without it, so that one bad write does not
// fail the others.
func commitGroup(db *bbolt.DB, calls []*groupCall) {
	for len(calls) > 0 {
		failed := -1
		err := db.Update(func(tx *bbolt.Tx) error {
			for i, c := range calls {
				if err := safely(c.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed >= 0 {
			calls[failed].result <- errSolo
			calls = append(calls[:failed:failed], calls[failed+1:]...)
			continue
		}
		for _, c := range calls {
			c.result <- err
		}
		return
	}
}

// safely calls fn, turning a panic into an error, so that one write's
// bug does not leave the others of its group waiting forever.
func safely(fn func(*bbolt.Tx) error, tx *bbolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("bolt: write panicked: %v", p)
		}
	}()
	return fn(tx)
}
