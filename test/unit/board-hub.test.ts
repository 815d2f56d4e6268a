// The board hub: a board is rendered once per change however many watch it, only what changed is sent, rotations move on,
// and a revoked display is told so and cut off.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoardHub, sseMessage } from '../../src/boards/hub.ts';

class FakeResponse {
  chunks: string[] = [];
  ended = false;
  destroyed = false;
  writableLength = 0;
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end(chunk?: string) {
    if (chunk) this.chunks.push(chunk);
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
  }
  get boards() {
    return this.chunks.filter((c) => c.startsWith('data: '));
  }
}
const asResponse = (r: FakeResponse) => r as unknown as ServerResponse;

let hub: BoardHub | null = null;
afterEach(() => {
  hub?.close();
  hub = null;
  vi.useRealTimers();
});

function makeHub(render: (key: string) => Promise<string[]>, day = () => '2026-11-24') {
  hub = new BoardHub({ render, today: day, seen: () => {}, publishDelayMs: 10, heartbeatMs: 60_000 });
  return hub;
}

describe('the board hub', () => {
  it('renders a board once per change for 500 viewers, and sends each only when it changed', async () => {
    let version = 1;
    const render = vi.fn(async (key: string) => [`<p>${key} v${version}</p>`]);
    const h = makeHub(render);
    const viewers = Array.from({ length: 500 }, () => new FakeResponse());
    await Promise.all(viewers.map((r, i) => h.attach(i, 'team:1', asResponse(r), 20)));
    expect(render).toHaveBeenCalledTimes(1);
    expect(viewers.every((r) => r.boards.length === 1 && r.boards[0] === sseMessage('<p>team:1 v1</p>'))).toBe(true);

    // A write that changes nothing on the board sends nothing.
    h.changed();
    await h.publish();
    expect(render).toHaveBeenCalledTimes(2);
    expect(viewers.every((r) => r.boards.length === 1)).toBe(true);

    version = 2;
    h.changed();
    await h.publish();
    expect(render).toHaveBeenCalledTimes(3);
    expect(viewers.every((r) => r.boards.at(-1) === sseMessage('<p>team:1 v2</p>'))).toBe(true);
  });

  it('writes close together are pushed once', async () => {
    vi.useFakeTimers();
    const render = vi.fn(async () => ['<p>x</p>']);
    const h = makeHub(render);
    await h.attach(1, 'team:1', asResponse(new FakeResponse()), 20);
    for (let i = 0; i < 10; i++) h.changed();
    await vi.advanceTimersByTimeAsync(50);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('a rotation shows each team in turn', async () => {
    vi.useFakeTimers();
    const h = makeHub(async () => ['<p>Year 5</p>', '<p>Year 6</p>']);
    const r = new FakeResponse();
    await h.attach(1, 'rotation:1', asResponse(r), 10);
    expect(r.boards).toEqual([sseMessage('<p>Year 5</p>')]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.boards.at(-1)).toBe(sseMessage('<p>Year 6</p>'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.boards.at(-1)).toBe(sseMessage('<p>Year 5</p>'));
  });

  it('a new day makes every board stale', async () => {
    vi.useFakeTimers();
    let today = '2026-11-24';
    const render = vi.fn(async () => [`<p>${today}</p>`]);
    hub = new BoardHub({ render, today: () => today, seen: () => {}, publishDelayMs: 10, heartbeatMs: 1000 });
    const r = new FakeResponse();
    await hub.attach(1, 'team:1', asResponse(r), 20);
    today = '2026-11-25';
    await vi.advanceTimersByTimeAsync(1100);
    expect(r.boards.at(-1)).toBe(sseMessage('<p>2026-11-25</p>'));
  });

  it('a revoked display is told so and its stream ends; other displays carry on', async () => {
    const h = makeHub(async () => ['<p>x</p>']);
    const revoked = new FakeResponse();
    const other = new FakeResponse();
    await h.attach(1, 'team:1', asResponse(revoked), 20);
    await h.attach(2, 'team:1', asResponse(other), 20);
    h.revoke(1);
    expect(revoked.chunks.at(-1)).toBe('event: revoked\ndata: revoked\n\n');
    expect(revoked.ended).toBe(true);
    expect(other.ended).toBe(false);
    expect(h.viewerCount).toBe(1);
  });

  it('a board of several lines is sent as one message of data lines', () => {
    expect(sseMessage('<p>a</p>\n<p>b</p>')).toBe('data: <p>a</p>\ndata: <p>b</p>\n\n');
  });

  it('a failed render is not kept: the next viewer tries again', async () => {
    let fail = true;
    const h = makeHub(async () => {
      if (fail) throw new Error('boom');
      return ['<p>ok</p>'];
    });
    await expect(h.pages('team:1')).rejects.toThrow('boom');
    fail = false;
    await new Promise((resolve) => setImmediate(resolve));
    expect(await h.pages('team:1')).toEqual(['<p>ok</p>']);
  });
});

describe('the time a board was last updated', () => {
  it('is read from the clock it is given (the app’s, pinned in tests), at start and at every change', () => {
    let clock = Date.UTC(2026, 10, 24, 10);
    hub = new BoardHub({ render: async () => [], today: () => '2026-11-24', now: () => clock, seen: () => {} });
    expect(hub.changedAt).toBe(Date.UTC(2026, 10, 24, 10));
    clock += 60_000;
    hub.changed();
    expect(hub.changedAt).toBe(Date.UTC(2026, 10, 24, 10, 1));
  });
});
