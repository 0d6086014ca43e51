import { timingSafeEqual } from 'node:crypto';

/**
 * Reports whether `presented` equals `expected`, taking the same time wherever they first differ
 * (spec/auth.md §3.2, §4.3: compare in constant time). Only the length of `expected`, which is
 * fixed by the algorithm, can leak.
 */
export function constantTimeEqual(expected: string, presented: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const presentedBytes = Buffer.from(presented, 'utf8');
  if (expectedBytes.length !== presentedBytes.length) {
    // Spend the same work as a same-length comparison before answering.
    timingSafeEqual(expectedBytes, expectedBytes);
    return false;
  }
  return timingSafeEqual(expectedBytes, presentedBytes);
}
