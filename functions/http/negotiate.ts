/**
 * Proactive content negotiation on the Accept header (RFC 9110 §12.5.1) between the media types a
 * route can answer with. Each offered type gets the quality of the most specific range that
 * matches it (`type/subtype` over `type/*` over `*\/*`; a range's parameters other than `q` are
 * ignored); the offer with the highest quality wins and ties go to the first offer, so the route's
 * default comes first. No Accept header, or one nothing offered matches, also gives the default:
 * RFC 9110 lets a server disregard Accept rather than answer 406, and an API client that sends an
 * unusual Accept is better served by the JSON it can read than by an error.
 */

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

/** RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ). */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseRange(part: string): MediaRange | undefined {
  const [range = '', ...params] = part.split(';').map((p) => p.trim());
  const [type = '', subtype = '', extra] = range.toLowerCase().split('/');
  if (extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  if (type === '*' && subtype !== '*') return undefined;
  let q = 1;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=').map((s) => s.trim());
    if (name.toLowerCase() !== 'q') continue;
    // A malformed weight makes the range unusable rather than silently weighting it 1.
    if (!QVALUE.test(value)) return undefined;
    q = Number(value);
  }
  return { type, subtype, q };
}

export function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .flatMap((part) => parseRange(part) ?? []);
}

/** How specific a range is for `type/subtype`: 3 exact, 2 `type/*`, 1 `*\/*`, 0 no match. */
function specificity(range: MediaRange, type: string, subtype: string): number {
  if (range.type === type && range.subtype === subtype) return 3;
  if (range.type === type && range.subtype === '*') return 2;
  if (range.type === '*' && range.subtype === '*') return 1;
  return 0;
}

/** The quality the client gives `mediaType`: that of its most specific matching range, 0 when none. */
export function qualityOf(ranges: readonly MediaRange[], mediaType: string): number {
  const [type = '', subtype = ''] = mediaType.toLowerCase().split('/');
  let best = 0;
  let quality = 0;
  for (const range of ranges) {
    const s = specificity(range, type, subtype);
    // Equally specific ranges (a repeated type): the higher weight counts.
    if (s > best || (s === best && s > 0 && range.q > quality)) {
      best = s;
      quality = range.q;
    }
  }
  return quality;
}

/**
 * The offer to answer with: the one the client weights highest, the first offer on a tie, and the
 * first offer when there is no Accept header or nothing offered is acceptable.
 */
export function negotiate<const T extends string>(
  accept: string | undefined,
  offers: readonly [T, ...T[]],
): T {
  const [first] = offers;
  if (accept === undefined || accept.trim() === '') return first;
  const ranges = parseAccept(accept);
  let chosen = first;
  let best = 0;
  for (const offer of offers) {
    const q = qualityOf(ranges, offer);
    if (q > best) {
      best = q;
      chosen = offer;
    }
  }
  return chosen;
}
