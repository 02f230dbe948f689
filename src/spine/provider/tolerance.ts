/**
 * The reference provider's interference mode for consumer robustness (review M15), off unless a
 * consumer scenario switches it on (src/actors/consumer/situations.ts `practiceAddsNoise`): every
 * JSON answer it gives carries what a later version of the spec, or another supplier, may lawfully
 * send and a consumer must cope with:
 *  - an extension the consumer cannot know, and an element it cannot know, on every resource
 *    (development_general_api_guidance.md "Consumers SHALL ignore unknown extensions and elements");
 *  - `Bundle.entry.fullUrl` on every entry, as `urn:uuid:` values that are no reference to anything
 *    (development_fhir_resource_guidance.md "Consumers MUST NOT use `Bundle.entry.fullUrl`");
 *  - an OperationOutcome entry (search.mode `outcome`) in every searchset, as FHIR STU3 search.html
 *    allows a server to add.
 * Gzip is not added here: the provider already answers gzip to a consumer asking for it
 * (http-behaviour.ts contentCoded, "clients/servers SHALL support GZIP compression").
 */
import { randomUUID } from 'node:crypto';
import { Header } from '../../gpconnect/constants';
import type { ProviderContext } from './context';
import { jsonOf, wholeResponse } from '../../gpconnect/whole-bodies';

/** The extension no consumer can know (its URL on a reserved `.invalid` host). */
export const UNKNOWN_EXTENSION_URL = 'https://gpc-conform.invalid/StructureDefinition/Extension-Harness-Unknown-1';
/** The element no consumer can know. */
export const UNKNOWN_ELEMENT = 'harnessUnknownElement';

type Json = Record<string, any>;

/** Is the interference mode on for this practice? */
export const addsNoise = (ctx: ProviderContext): boolean => (ctx.interference ?? []).some((i) => i.kind === 'noise');

function noisyResource(resource: Json): void {
  if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') return;
  resource.extension = [...(Array.isArray(resource.extension) ? resource.extension : []), { url: UNKNOWN_EXTENSION_URL, valueString: 'an extension this consumer does not know: ignore it' }];
  resource[UNKNOWN_ELEMENT] = { note: 'an element this consumer does not know: ignore it' };
  for (const contained of Array.isArray(resource.contained) ? resource.contained : []) noisyResource(contained);
}

/** The answer with the noise added: JSON bodies only, anything else as it was. */
export async function withNoise(ctx: ProviderContext, response: Response): Promise<Response> {
  if (!addsNoise(ctx) || !/json/i.test(response.headers.get(Header.contentType) ?? '')) return response;
  let body: Json;
  try {
    body = (await jsonOf(response)) as Json;
  } catch {
    return response;
  }
  if (body?.resourceType === 'Bundle') {
    const entries: Json[] = Array.isArray(body.entry) ? body.entry : [];
    for (const entry of entries) {
      entry.fullUrl = `urn:uuid:${randomUUID()}`;
      noisyResource(entry.resource);
    }
    if (body.type === 'searchset') {
      entries.push({
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'An outcome entry in a searchset (FHIR STU3 search.mode outcome): ignore it' }] },
        search: { mode: 'outcome' },
      });
    }
    body.entry = entries;
  }
  noisyResource(body);
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return wholeResponse(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
}
