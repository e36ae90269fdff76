package memstore

import (
	"sync"
	"sync/atomic"
	"time"
)

// sweepBatch bounds how many expired records one lock hold removes, so a sweep
// after a mass expiry never stalls the requests of a shard for long.
const sweepBatch = 1024

// A sweeper is the goroutine that removes expired records. It holds the shards,
// never the Store, so that an unreachable Store can be collected (see New).
type sweeper struct {
	once sync.Once
	quit chan struct{}
	done chan struct{}
}

func startSweeper(shards []shard, interval time.Duration, swept *atomic.Uint64) *sweeper {
	sw := &sweeper{quit: make(chan struct{}), done: make(chan struct{})}
	go sw.run(shards, interval, swept)
	return sw
}

func (sw *sweeper) run(shards []shard, interval time.Duration, swept *atomic.Uint64) {
	defer close(sw.done)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-sw.quit:
			return
		case <-tick.C:
			swept.Add(uint64(sweep(shards, sw.quit)))
		}
	}
}

// stop ends the goroutine and waits for it; it may be called more than once.
func (sw *sweeper) stop() {
	sw.once.Do(func() { close(sw.quit) })
	<-sw.done
}

// sweep removes every record expired by now from each shard, taking them from
// the top of the shard's expiry heap, and returns how many it removed. It gives
// up early when quit is closed.
func sweep(shards []shard, quit <-chan struct{}) int {
	total := 0
	for i := range shards {
		sh := &shards[i]
		for {
			select {
			case <-quit:
				return total
			default:
			}
			now := time.Now()
			sh.mu.Lock()
			n := sh.removeExpired(now, sweepBatch)
			sh.mu.Unlock()
			total += n
			if n < sweepBatch {
				break
			}
		}
	}
	return total
}
