// Render once per change, serve to every viewer. A board (a team's scoreboard, a school's, the trust tree) is the same
// for everyone who sees it, so it is rendered at most once per change of the data and per day, and the same HTML goes to
// every page view and every wall display. Any successful write marks every board stale (one counter: simple, and a write
// costs one re-render per board actually being watched); displays get the new board over server-sent events shortly after.
import type { ServerResponse } from 'node:http';

/** A board's rendered pages: one, or one per team for a display that rotates through a school's teams. */
export type Pages = readonly string[];

export interface HubOptions {
  /** Renders a board by its key ("team:12", "rotation:3", "school:3", "trust", …). */
  render(key: string): Promise<Pages>;
  /** The trust's local date: a new day makes every board stale (statuses depend on the date). */
  today(): string;
  /** The app's clock (ms), for the time a board was last updated; Date.now unless given. */
  now?(): number;
  /** Connected displays, reported now and then so their "last seen" stays true. */
  seen(displayIds: readonly number[]): void;
  /** How long to gather writes before pushing (writes close together are sent once). */
  publishDelayMs?: number;
  heartbeatMs?: number;
}

/** A wall display's live connection: the board it shows and, when it rotates, where it is in the rotation. */
interface Viewer {
  displayId: number;
  key: string;
  res: ServerResponse;
  rotateMs: number;
  index: number;
  sent: string | null;
  timer: NodeJS.Timeout | null;
}

/** Bytes a slow display may leave unread before it is dropped (it reconnects and gets the current board). */
const MAX_BUFFERED = 4 * 1024 * 1024;

/** One SSE message whose data is `html` (each line of it a `data:` line); unnamed, so htmx swaps it in. */
export const sseMessage = (html: string) => `data: ${html.replace(/\r?\n/g, '\ndata: ')}\n\n`;
/** A named SSE event: htmx dispatches it as a DOM event instead of swapping. */
const sseEvent = (name: string) => `event: ${name}\ndata: ${name}\n\n`;

export class BoardHub {
  private version = 0;
  private day: string;
  private readonly cache = new Map<string, { version: number; pages: Promise<Pages>; messages: Map<string, string> }>();
  private readonly viewers = new Set<Viewer>();
  private publishTimer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  /** When the data last changed (ms): the display's "updated" time. */
  changedAt: number;

  constructor(private readonly options: HubOptions) {
    this.day = options.today();
    this.changedAt = this.now();
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 25_000);
    this.heartbeat.unref();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Something was written: every board is stale, and displays get the new boards once the writes settle. */
  changed(): void {
    this.version++;
    this.changedAt = this.now();
    this.publishTimer ??= setTimeout(() => {
      this.publishTimer = null;
      void this.publish();
    }, this.options.publishDelayMs ?? 40);
  }

  /** A board's pages, rendered at most once per change however many ask at the same moment. */
  pages(key: string): Promise<Pages> {
    return this.entry(key).pages;
  }

  /** Anything else worth rendering once per change (a display's whole first page, say), under its own key. */
  cached(key: string, render: () => Promise<Pages>): Promise<Pages> {
    return this.entry(key, render).pages;
  }

  private entry(key: string, render = () => this.options.render(key)) {
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) return hit;
    const pages = render();
    const entry = { version: this.version, pages, messages: new Map<string, string>() };
    this.cache.set(key, entry);
    // A failed render is not kept: the next viewer tries again.
    pages.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    });
    return entry;
  }

  /** The SSE message of a page, built once per page and shared by every display showing it. */
  private message(key: string, html: string): string {
    const messages = this.entry(key).messages;
    let message = messages.get(html);
    if (message === undefined) messages.set(html, (message = sseMessage(html)));
    return message;
  }

  /** Starts streaming a board to a display; returns the function that stops it (on disconnect). */
  async attach(displayId: number, key: string, res: ServerResponse, rotateSeconds: number): Promise<() => void> {
    const viewer: Viewer = { displayId, key, res, rotateMs: rotateSeconds * 1000, index: 0, sent: null, timer: null };
    this.viewers.add(viewer);
    // A first reconnect a second after a drop; htmx backs off from there.
    res.write('retry: 1000\n\n');
    await this.show(viewer);
    return () => this.detach(viewer);
  }

  private detach(viewer: Viewer): void {
    if (viewer.timer) clearTimeout(viewer.timer);
    this.viewers.delete(viewer);
  }

  /** Sends the viewer its current page if it differs from what it shows, and schedules its next page in a rotation. */
  private async show(viewer: Viewer): Promise<void> {
    if (!this.viewers.has(viewer)) return;
    let pages: Pages;
    try {
      pages = await this.pages(viewer.key);
    } catch {
      return; // the render failed and was logged by whoever awaited it first; the next change tries again
    }
    if (!this.viewers.has(viewer) || pages.length === 0) return;
    const html = pages[viewer.index % pages.length]!;
    if (html !== viewer.sent) {
      viewer.sent = html;
      this.write(viewer, this.message(viewer.key, html));
    }
    if (pages.length > 1 && viewer.timer === null) {
      viewer.timer = setTimeout(() => {
        viewer.timer = null;
        viewer.index = (viewer.index + 1) % pages.length;
        void this.show(viewer);
      }, viewer.rotateMs);
      viewer.timer.unref();
    }
  }

  private write(viewer: Viewer, chunk: string): void {
    if (viewer.res.destroyed) {
      this.detach(viewer);
      return;
    }
    if (viewer.res.writableLength > MAX_BUFFERED) {
      this.detach(viewer);
      viewer.res.destroy();
      return;
    }
    viewer.res.write(chunk);
  }

  /** Pushes fresh boards: each board is rendered once, then written to every display showing it. */
  async publish(): Promise<void> {
    const keys = new Set([...this.viewers].map((v) => v.key));
    await Promise.allSettled([...keys].map((k) => this.pages(k)));
    await Promise.all([...this.viewers].map((v) => this.show(v)));
  }

  /** A revoked display is told so (it goes back to its pairing screen) and its streams end. */
  revoke(displayId: number): void {
    for (const viewer of [...this.viewers]) {
      if (viewer.displayId !== displayId) continue;
      this.write(viewer, sseEvent('revoked'));
      this.detach(viewer);
      viewer.res.end();
    }
  }

  /** Keeps idle connections open through proxies, notes who is connected, and turns the day over. */
  private beat(): void {
    const today = this.options.today();
    if (today !== this.day) {
      this.day = today;
      this.changed();
    }
    for (const viewer of [...this.viewers]) this.write(viewer, ': ping\n\n');
    if (this.viewers.size) this.options.seen([...new Set([...this.viewers].map((v) => v.displayId))]);
  }

  /** Ends every stream (the server is stopping; displays reconnect to the next one by themselves). */
  close(): void {
    clearInterval(this.heartbeat);
    if (this.publishTimer) clearTimeout(this.publishTimer);
    for (const viewer of [...this.viewers]) {
      this.detach(viewer);
      viewer.res.end();
    }
  }
}
