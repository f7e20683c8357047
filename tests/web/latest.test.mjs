// web/src/latest.js without a browser: only the latest answer draws, and starting a request
// aborts the one still in flight. Usage: node tests/web/latest.test.mjs
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { latestOnly, wasAborted } from '../../web/src/latest.js';

// A fetch stand-in answering `value` after `ms`, rejecting as fetch does when its signal aborts.
function slowAnswer(value, ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(value), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('The operation was aborted.', 'AbortError'));
    });
  });
}

describe('latestOnly', () => {
  it('lets only the latest of overlapping requests draw, and aborts the older ones', async () => {
    const begin = latestOnly();
    const drawn = [];
    const aborted = [];
    const refresh = async (value, ms) => {
      const request = begin();
      try {
        const answer = await slowAnswer(value, ms, request.signal);
        if (!request.stale()) drawn.push(answer);
      } catch (e) {
        if (!wasAborted(e)) throw e;
        aborted.push(value);
      }
    };
    // The first answer would come last, the second first: neither may draw over the third.
    await Promise.all([refresh('2011', 60), refresh('2012', 5), refresh('2013', 20)]);
    assert.deepEqual(drawn, ['2013']);
    assert.deepEqual(aborted.sort(), ['2011', '2012']);
  });

  it('marks an answer stale when a newer request starts after it came', async () => {
    const begin = latestOnly();
    const first = begin();
    await slowAnswer('a', 1, first.signal);
    assert.equal(first.stale(), false);
    const second = begin();
    assert.equal(first.stale(), true, 'the work after the answer must not draw');
    assert.equal(first.signal.aborted, true);
    assert.equal(second.stale(), false);
    assert.equal(second.signal.aborted, false);
  });

  it('keeps separate helpers apart', () => {
    const panel = latestOnly();
    const colours = latestOnly();
    const p = panel();
    colours();
    assert.equal(p.stale(), false);
    assert.equal(p.signal.aborted, false);
  });

  it('tells an abort from a failure', () => {
    assert.equal(wasAborted(new DOMException('x', 'AbortError')), true);
    assert.equal(wasAborted(new Error('500 Internal Server Error')), false);
    assert.equal(wasAborted(undefined), false);
  });
});
