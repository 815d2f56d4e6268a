// Reads the verdicts a page shows (src/domain/status.ts: the one rule), so tests assert the words a reader sees.

const decode = (text: string) =>
  text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const VERDICT =
  /<p class="banner__verdict"><span aria-hidden="true">[▲▼○] <\/span>([^<]+)<\/p><p class="banner__why">([^<]*)<\/p>|<summary><span aria-hidden="true">[▲▼○] <\/span>([^<]+)<span class="verdict__ask"> — why\?<\/span><\/summary><p class="verdict__why">([^<]*)<\/p>/g;

/** Every verdict on a page, banners and the ones that open to their why, as "Winning: why", in page order. */
export function verdictsIn(html: string): string[] {
  return [...html.matchAll(VERDICT)].map((m) => `${m[1] ?? m[3]}: ${decode(m[2] ?? m[4] ?? '')}`);
}
