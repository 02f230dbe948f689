/**
 * A scenario's traffic as an SVG sequence diagram (image/svg+xml), set against the Spine worked
 * example: one lifeline per party, a request and a dashed response arrow per journalled exchange,
 * and a side panel of the worked-example steps seen and not seen. Pure: journal entries in, a
 * standalone SVG document out (no scripts, no external fonts or stylesheets).
 */
import { Header } from '../gpconnect/constants';
import { headerValue, type JournalEntry } from '../gpconnect/exchange';
import { stepCode, WORKED_EXAMPLE_STEPS, workedExampleStep } from '../gpconnect/worked-example';

export { workedExampleStep } from '../gpconnect/worked-example';

export interface SequenceDiagramOptions {
  title: string;
  /** The consumer's lifeline label; "Consumer" by default. */
  consumer?: string;
  /** At most this many exchanges are drawn (200 by default); the rest are counted. */
  maxExchanges?: number;
}

type Lane = 'consumer' | 'pds' | 'sds' | 'ssp' | 'provider';
const LANES: Lane[] = ['consumer', 'pds', 'sds', 'ssp', 'provider'];

interface Exchange {
  entry: JournalEntry;
  index: number;
  from: Lane;
  to: Lane;
  step?: string;
  direct: boolean;
}

export const DEFAULT_MAX_EXCHANGES = 200;
export const EMPTY_TRAFFIC_TEXT = 'No traffic reached Spine in this scenario';

const FONT = "DejaVu Sans Mono, Menlo, Consolas, 'Liberation Mono', monospace";
const CHAR_WIDTH = 6.7; // 11px monospace, a little generous so text never overruns
const GUTTER = 44;
const LANE_GAP = 190;
const LANE_BOX = 140;
const TOP = 100;
const ROW = 46;
const DIAGRAM_RIGHT = laneX('provider') + 170;
const PANEL_X = DIAGRAM_RIGHT + 16;
const PANEL_WIDTH = 290;
const WIDTH = PANEL_X + PANEL_WIDTH + 12;
const RED = '#c62828';
const INK = '#1f2933';
const GREY = '#8a949e';
const GREEN = '#2e7d32';

function laneX(lane: Lane): number {
  return GUTTER + 70 + LANES.indexOf(lane) * LANE_GAP;
}

export function sequenceDiagram(entries: JournalEntry[], options: SequenceDiagramOptions): string {
  const exchanges = toExchanges(entries);
  const cap = Math.max(0, options.maxExchanges ?? DEFAULT_MAX_EXCHANGES);
  const drawn = exchanges.slice(0, cap);
  const leftOut = exchanges.length - drawn.length;
  const rowsBottom = TOP + Math.max(1, drawn.length) * ROW + (leftOut > 0 ? 24 : 0);
  const panel = sidePanel(exchanges);
  const height = Math.max(rowsBottom + 24, panel.bottom + 16);
  const body = [
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(12, 28, options.title, { size: 15, weight: 'bold', max: charsFor(WIDTH - 24) }),
    lifelines(options.consumer ?? 'Consumer', height - 16),
    exchanges.length === 0 ? text(GUTTER, TOP + 20, EMPTY_TRAFFIC_TEXT, { size: 13, fill: GREY }) : drawn.map(exchangeRows).join('\n'),
    leftOut > 0 ? text(GUTTER, rowsBottom - 8, `${leftOut} more exchange${leftOut === 1 ? '' : 's'} not drawn (at most ${cap} are)`, { fill: RED }) : '',
    panel.svg,
  ];
  return svgDocument(WIDTH, height, options.title, body.filter(Boolean).join('\n'));
}

/** Arrival order; a provider hop never precedes the SSP request it forwards when both share a millisecond. */
function byArrival(a: JournalEntry, b: JournalEntry): number {
  const time = a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
  return time || Number(a.service === 'provider') - Number(b.service === 'provider') || a.seq - b.seq;
}

function toExchanges(entries: JournalEntry[]): Exchange[] {
  const sorted = [...entries].sort(byArrival);
  const firstSspTime = new Map<string, string>(); // Ssp-TraceID → when the SSP first saw it
  for (const e of sorted) {
    const trace = traceId(e);
    if (e.service === 'ssp' && trace !== undefined && !firstSspTime.has(trace)) firstSspTime.set(trace, e.time);
  }
  return sorted.map((entry, index) => {
    const step = workedExampleStep(entry);
    if (entry.service !== 'provider') return { entry, index, from: 'consumer', to: entry.service, step, direct: false };
    const trace = traceId(entry);
    const sspTime = trace === undefined ? undefined : firstSspTime.get(trace);
    const forwarded = sspTime !== undefined && sspTime <= entry.time;
    return { entry, index, from: forwarded ? 'ssp' : 'consumer', to: 'provider', step, direct: !forwarded };
  });
}

function traceId(entry: JournalEntry): string | undefined {
  return headerValue(entry.requestHeaders, Header.sspTraceId) || undefined;
}

function isError(status: number): boolean {
  return status >= 400;
}

function exchangeRows(x: Exchange, row: number): string {
  const y = TOP + row * ROW;
  const [fromX, toX] = [laneX(x.from), laneX(x.to)];
  const left = Math.min(fromX, toX) + 6;
  const max = charsFor(DIAGRAM_RIGHT - left);
  const { method, status } = x.entry;
  const path = x.entry.target.split('?')[0];
  const step = stepLabel(x);
  const error = isError(status);
  const colour = error ? RED : INK;
  const full = `${step ? `${step}  ` : ''}${method} ${path} → ${status}`;
  return [
    `<g class="exchange${error ? ' error' : ''}" data-from="${x.from}" data-to="${x.to}" data-status="${escapeXml(String(status))}">`,
    `<title>${escapeXml(`#${x.index + 1} ${x.entry.service.toUpperCase()} ${full}`)}</title>`,
    text(4, y + 4, `${x.index + 1}`, { fill: GREY, size: 10 }),
    text(left, y, requestLabel(step, method, path, max), { fill: INK }),
    arrow(fromX, toX, y + 6, INK, false),
    text(left, y + 22, `${status}${error ? ' error' : ''}`, { fill: colour, weight: error ? 'bold' : undefined }),
    arrow(toX, fromX, y + 28, colour, true),
    '</g>',
  ].join('\n');
}

/** A forwarded hop names only its step's code: the SSP request it forwards names it in full. */
function stepLabel(x: Exchange): string {
  if (x.direct) return `direct, not via SSP${x.step ? `: ${x.step}` : ''}`;
  if (x.from === 'ssp') return x.step ? `${stepCode(x.step)} forwarded` : 'forwarded';
  return x.step ?? '';
}

/** "step  METHOD path", the path cut in its middle (its tail names the resource) to fit `max` characters. */
function requestLabel(step: string, method: string, path: string, max: number): string {
  const head = `${step ? `${step}  ` : ''}${method} `;
  const room = max - codePoints(head).length;
  return room >= 12 ? head + cutMiddle(path, room) : cutEnd(head + path, max);
}

function arrow(x1: number, x2: number, y: number, colour: string, dashed: boolean): string {
  const dash = dashed ? ' stroke-dasharray="5 4"' : '';
  const marker = colour === RED ? 'sd-head-red' : 'sd-head';
  const end = x2 > x1 ? x2 - 2 : x2 + 2;
  return `<line x1="${x1}" y1="${y}" x2="${end}" y2="${y}" stroke="${colour}" stroke-width="1.4"${dash} marker-end="url(#${marker})"/>`;
}

function lifelines(consumer: string, bottom: number): string {
  const names: Record<Lane, string> = { consumer, pds: 'PDS', sds: 'SDS', ssp: 'SSP', provider: 'Provider' };
  return LANES.map((lane) => {
    const x = laneX(lane);
    return [
      `<line x1="${x}" y1="76" x2="${x}" y2="${bottom}" stroke="#c5cdd5" stroke-width="1" stroke-dasharray="2 3"/>`,
      `<rect x="${x - LANE_BOX / 2}" y="48" width="${LANE_BOX}" height="28" rx="4" fill="#e8eef4" stroke="#7b8794"/>`,
      text(x, 66, names[lane], { anchor: 'middle', weight: 'bold', max: charsFor(LANE_BOX - 8) }),
    ].join('\n');
  }).join('\n');
}

/**
 * The worked-example steps, each marked seen (✓, with a count when repeated) or not seen (—).
 * Only what the consumer sent counts: a provider hop repeats its SSP request, and a direct call
 * to the provider is not the worked example's route.
 */
function sidePanel(exchanges: Exchange[]): { svg: string; bottom: number } {
  const seen = new Map<string, number>();
  for (const x of exchanges) if (x.step && x.entry.service !== 'provider') seen.set(x.step, (seen.get(x.step) ?? 0) + 1);
  const lines = WORKED_EXAMPLE_STEPS.map(({ code, title }, i) => {
    const count = seen.get(`${code} ${title}`) ?? 0;
    const y = 100 + i * 20;
    const mark = count > 0 ? '\u2713' : '\u2014';
    const times = count > 1 ? ` \u00d7${count}` : '';
    return `<g class="step ${count > 0 ? 'seen' : 'unseen'}" data-step="${code} ${title}">${text(PANEL_X + 12, y, `${mark} ${code} ${title}${times}`, { fill: count > 0 ? GREEN : GREY })}</g>`;
  });
  const legendY = 100 + WORKED_EXAMPLE_STEPS.length * 20 + 14;
  const bottom = legendY + 40;
  const svg = [
    `<rect x="${PANEL_X}" y="48" width="${PANEL_WIDTH}" height="${bottom - 48}" rx="4" fill="#f7f9fb" stroke="#c5cdd5"/>`,
    text(PANEL_X + 12, 70, 'Spine worked example', { weight: 'bold', size: 12 }),
    ...lines,
    text(PANEL_X + 12, legendY, 'solid: request; dashed: response', { fill: GREY, size: 10 }),
    text(PANEL_X + 12, legendY + 16, 'red: error status (400 or above)', { fill: RED, size: 10 }),
  ].join('\n');
  return { svg, bottom };
}

interface TextStyle {
  size?: number;
  fill?: string;
  weight?: 'bold';
  anchor?: 'middle';
  /** Cut to this many characters with an ellipsis. */
  max?: number;
}

function text(x: number, y: number, content: string, style: TextStyle = {}): string {
  const attrs = [
    `x="${x}"`,
    `y="${y}"`,
    `font-family="${FONT}"`,
    `font-size="${style.size ?? 11}"`,
    `fill="${style.fill ?? INK}"`,
    style.weight ? `font-weight="${style.weight}"` : '',
    style.anchor ? `text-anchor="${style.anchor}"` : '',
    // A white halo keeps text readable where it crosses a lifeline.
    'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"',
    'xml:space="preserve"',
  ];
  const shown = style.max === undefined ? content : cutEnd(content, style.max);
  return `<text ${attrs.filter(Boolean).join(' ')}>${escapeXml(shown)}</text>`;
}

function svgDocument(width: number, height: number, title: string, body: string): string {
  const head = (id: string, colour: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs>${head('sd-head', INK)}${head('sd-head-red', RED)}</defs>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

function charsFor(pixels: number): number {
  return Math.max(4, Math.floor(pixels / CHAR_WIDTH));
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

export function cutEnd(s: string, max: number): string {
  const chars = codePoints(s);
  return chars.length <= max ? s : chars.slice(0, Math.max(0, max - 1)).join('') + '\u2026';
}

export function cutMiddle(s: string, max: number): string {
  const chars = codePoints(s);
  if (chars.length <= max) return s;
  const tail = Math.floor((max - 1) / 2);
  return chars.slice(0, max - 1 - tail).join('') + '\u2026' + chars.slice(chars.length - tail).join('');
}

/** XML 1.0 allows only these characters; anything else taken from traffic becomes U+FFFD. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(s: string): string {
  return s
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
