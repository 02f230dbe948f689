import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Where any of `secrets` can be read in the files under `places` (gzip files opened, base64 forms
 * looked for too: the single-file Allure report embeds attachments as base64) and in `text`.
 * Each hit is "file: secret name (form)".
 */
export function findLeaks(places: string[], secrets: Record<string, string>, text = ''): string[] {
  const needles = Object.entries(secrets).flatMap(([name, value]) => formsOf(value).map((form) => ({ name: `${name} (${form.label})`, bytes: Buffer.from(form.text) })));
  const hits: string[] = [];
  const look = (where: string, content: Buffer) => {
    for (const n of needles) if (content.includes(n.bytes)) hits.push(`${where}: ${n.name}`);
  };
  look('console output', Buffer.from(text));
  for (const file of places.flatMap(filesUnder)) {
    let content = readFileSync(file);
    if (file.endsWith('.gz')) content = gunzipSync(content);
    look(file, content);
  }
  return hits;
}

/** The secret as written, and the middle of its base64 encoding at each of the three byte alignments. */
function formsOf(secret: string): Array<{ label: string; text: string }> {
  const forms = [{ label: 'as is', text: secret }];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(secret)]).toString('base64');
    forms.push({ label: `base64, shifted ${shift}`, text: encoded.slice(4, -4) });
  }
  return forms;
}

function filesUnder(place: string): string[] {
  if (!existsSync(place)) return [];
  if (!statSync(place).isDirectory()) return [place];
  return readdirSync(place, { withFileTypes: true }).flatMap((entry) => filesUnder(path.join(place, entry.name)));
}
