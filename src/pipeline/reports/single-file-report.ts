/**
 * The Allure report as one file to hand over, written from the generated report folder (so Allure
 * runs once per run, not twice) and compressed: Allure 2.46.1's own `--single-file` inlines every
 * file as base64 (88 MB for the main job); this one inlines them as one gzip stream, base64 once.
 *
 * The page is the folder's index.html with its scripts held back (their type changed so the browser
 * does not run them) until a small loader has unpacked the data with the browser's
 * DecompressionStream('gzip'): it then fills `window.reportData` (name → base64, what Allure's page
 * reads in single-file mode: the `d(name, base64)` calls of tpl/index.html.ftl), sets
 * `window.reportDataReady`, runs the held scripts in their order, the report's code among them, and
 * tells that code the document is ready (it starts on DOMContentLoaded, long past by then).
 */
import { gzipSync } from 'node:zlib';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const HELD = 'application/x-gpc-held';
const DATA_ID = 'gpc-report-data';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ico': 'image/x-icon', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff': 'font/woff', '.woff2': 'font/woff2' };

const isLocal = (url: string): boolean => !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url);

function dataUrl(reportDir: string, relative: string): string {
  const type = TYPES[path.extname(relative).toLowerCase()] ?? 'application/octet-stream';
  return `data:${type};base64,${readFileSync(path.join(reportDir, relative)).toString('base64')}`;
}

/** Every file under dir, as POSIX paths relative to it, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(dir, relative) : entry.isFile() ? [relative] : [];
    })
    .sort();
}

/**
 * The files in an order that puts like beside like: gzip finds repeats only within its last 32 KB,
 * and in name order (Allure names test cases and attachments by random ids) the exchanges of one
 * interaction, or the test cases of one feature, lie megabytes apart. By folder and type, then test
 * cases by their full name and every other file by how it begins (an exchange text past its `#`
 * lines: its request line): the main job's report packs into 37 % fewer bytes. The order is only
 * the stream's; the listing names each file.
 */
export function inPackingOrder<T extends { name: string; bytes: Buffer }>(files: T[]): T[] {
  const keyed = files.map((file) => ({ file, key: `${path.posix.dirname(file.name)}\u0000${path.posix.extname(file.name)}\u0000${likeness(file)}\u0000${file.name}` }));
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((k) => k.file);
}

function likeness(file: { name: string; bytes: Buffer }): string {
  if (file.name.startsWith('data/test-cases/')) return /"fullName":"((?:[^"\\]|\\.)*)"/.exec(file.bytes.toString('utf8', 0, 4096))?.[1] ?? '';
  let start = 0;
  while (start < file.bytes.length && (file.bytes[start] === 0x23 || file.bytes[start] === 0x0a)) {
    const end = file.bytes.indexOf(0x0a, start);
    if (end < 0) return '';
    start = end + 1;
  }
  return file.bytes.toString('latin1', start, start + 256);
}

/** Unpacks the data, fills window.reportData, then runs the held scripts in order (the page's own, then the report's code). */
const LOADER = `(function () {
  function base64(bytes) {
    var text = '';
    for (var i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }
  async function open() {
    var packed = atob(document.getElementById('${DATA_ID}').textContent.trim());
    var gzip = new Uint8Array(packed.length);
    for (var i = 0; i < packed.length; i++) gzip[i] = packed.charCodeAt(i);
    var bytes = new Uint8Array(await new Response(new Blob([gzip]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    var newline = bytes.indexOf(10);
    var files = {};
    var offset = newline + 1;
    JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline))).forEach(function (entry) {
      files[entry[0]] = bytes.subarray(offset, offset + entry[1]);
      offset += entry[1];
    });
    var held = Array.prototype.slice.call(document.querySelectorAll('script[type="${HELD}"]'));
    var code = {};
    held.forEach(function (script) { if (script.dataset.src) code[script.dataset.src] = true; });
    window.reportData = {};
    Object.keys(files).forEach(function (name) { if (!code[name]) window.reportData[name] = base64(files[name]); });
    window.reportDataReady = true;
    held.forEach(function (script) {
      var run = document.createElement('script');
      run.textContent = script.dataset.src ? new TextDecoder().decode(files[script.dataset.src]) : script.textContent;
      script.parentNode.replaceChild(run, script);
    });
    // The report's code starts on DOMContentLoaded, which passed while the data was unpacked.
    if (document.readyState !== 'loading') document.dispatchEvent(new Event('DOMContentLoaded'));
  }
  open().catch(function (error) {
    document.getElementById('content').textContent = 'This report could not be opened (' + ((error && error.message) || error) + '): it needs a browser that has DecompressionStream (Chrome or Edge 80, Firefox 113, Safari 16.4 or later).';
  });
})();`;

/**
 * Write the report in reportDir (a generated Allure report folder) as the one self-contained
 * file `file`, which opens from disk. Its size in bytes.
 */
export function writeSingleFileReport(reportDir: string, file: string): number {
  const index = path.join(reportDir, 'index.html');
  let html = readFileSync(index, 'utf8');
  const inlined = new Set<string>(['index.html']);
  const scripts = new Set<string>();

  html = html.replace(/<link\b([^>]*)\bhref="([^"]+)"([^>]*)>/gi, (tag, before: string, href: string, after: string) => {
    if (!isLocal(href)) return tag;
    if (/rel="stylesheet"/i.test(tag)) {
      const css = readFileSync(path.join(reportDir, href), 'utf8');
      if (!/<\/style/i.test(css)) {
        inlined.add(href);
        return `<style>${css}</style>`;
      }
    }
    inlined.add(href);
    return `<link${before}href="${dataUrl(reportDir, href)}"${after}>`;
  });
  html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (tag, attributes: string, body: string) => {
    const src = attributes.match(/\ssrc="([^"]+)"/i)?.[1];
    if (src && !isLocal(src)) return tag;
    if (src) {
      scripts.add(src);
      return `<script type="${HELD}" data-src="${src}"></script>`;
    }
    // Scripts the page loads by URL later (Allure's plugin loader): inlined as data: URLs.
    const loaded = body.replace(/var pluginScripts = \[([\s\S]*?)\];/, (list) =>
      list.replace(/"([^"]+)"/g, (quoted, url: string) => {
        if (!isLocal(url)) return quoted;
        inlined.add(url);
        return `"${dataUrl(reportDir, url)}"`;
      }),
    );
    return `<script type="${HELD}">${loaded}</script>`;
  });

  const packed = filesUnder(reportDir).filter((name) => !inlined.has(name));
  for (const src of scripts) if (!packed.includes(src)) throw new Error(`single-file report: ${index} loads ${src}, which is not in ${reportDir}`);
  const files = inPackingOrder(packed.map((name) => ({ name, bytes: readFileSync(path.join(reportDir, name)) })));
  const listing = Buffer.from(`${JSON.stringify(files.map((f) => [f.name, f.bytes.length]))}\n`);
  const data = gzipSync(Buffer.concat([listing, ...files.map((f) => f.bytes)]), { level: 9, memLevel: 9 });
  const end = html.toLowerCase().lastIndexOf('</body>');
  if (end < 0) throw new Error(`single-file report: ${index} has no </body>`);
  html = `${html.slice(0, end)}<script id="${DATA_ID}" type="application/gzip">${data.toString('base64')}</script>\n<script>${LOADER}</script>\n${html.slice(end)}`;

  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, html);
  return Buffer.byteLength(html);
}
