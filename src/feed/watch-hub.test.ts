import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeRecord } from '../state/change-record.js';
import { WatchHub, type FeedSubscriber } from './watch-hub.js';

function record(revision: number): ChangeRecord {
  return { revision, at: '2026-01-01T00:00:00.000Z', accountId: '111122223333', region: 'global', change: { kind: 'HostRemoved', hostName: 'h' } };
}

/** A subscriber that records what it got and reports a fixed buffer size. */
function recordingSubscriber(buffered: number): FeedSubscriber & { got: number[]; ended: string[] } {
  const got: number[] = [];
  const ended: string[] = [];
  return { got, ended, deliver: (rs) => got.push(...rs.map((r) => r.revision)), bufferedBytes: () => buffered, end: (reason) => ended.push(reason) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('records reach subscribers only after the durability barrier resolves', async () => {
  let release = () => {};
  const barrier = new Promise<void>((resolve) => (release = resolve));
  const hub = new WatchHub({ revision: 0, durableBarrier: () => barrier, maxBufferedBytes: 100 });
  const subscriber = recordingSubscriber(0);
  hub.subscribe(subscriber);
  hub.publish([record(1), record(2)]);
  await tick();
  assert.deepEqual([subscriber.got, hub.deliveredRevision], [[], 0]);
  release();
  await tick();
  assert.deepEqual([subscriber.got, hub.deliveredRevision], [[1, 2], 2]);
});

test('a subscriber over its buffer bound is ended as a victim; the others keep receiving', async () => {
  const hub = new WatchHub({ revision: 0, durableBarrier: () => undefined, maxBufferedBytes: 100 });
  const slow = recordingSubscriber(101);
  const fast = recordingSubscriber(100);
  hub.subscribe(slow);
  hub.subscribe(fast);
  hub.publish([record(1)]);
  await tick();
  hub.publish([record(2)]);
  await tick();
  assert.deepEqual([slow.got, slow.ended, fast.got, fast.ended, hub.victims, hub.size], [[1], ['victim'], [1, 2], [], 1, 1]);
});

test('closeAll ends every stream as closing and forgets it', () => {
  const hub = new WatchHub({ revision: 5, durableBarrier: () => undefined, maxBufferedBytes: 100 });
  const a = recordingSubscriber(0);
  hub.subscribe(a);
  hub.closeAll();
  assert.deepEqual([a.ended, hub.size], [['closing'], 0]);
});
