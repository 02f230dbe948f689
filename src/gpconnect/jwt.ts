/**
 * Decoding of the GP Connect bearer token (gpconnect-spec.md §4): an unsecured JWT, header
 * {"alg":"none","typ":"JWT"}, base64url without padding, empty signature so the token ends in ".".
 * We decode by hand rather than with a JWT library because the conformance checks are about the
 * exact encoding (padding, alphabet, trailing dot) that libraries normalise away.
 */
export interface DecodedJwt {
  raw: string;
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  signature: string;
  /** Why the token is not well-formed, in words; empty when it is. */
  problems: string[];
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  const result: DecodedJwt = { raw: token, signature: parts[2] ?? '', problems: [] };
  if (parts.length !== 3) {
    result.problems.push(`a JWT has 3 dot-separated parts, this one has ${parts.length}`);
    return result;
  }
  result.header = decodePart(parts[0], 'header', result.problems);
  result.payload = decodePart(parts[1], 'payload', result.problems);
  return result;
}

function decodePart(part: string, name: string, problems: string[]): Record<string, unknown> | undefined {
  if (part.length === 0) {
    problems.push(`the ${name} is empty`);
    return undefined;
  }
  if (!BASE64URL.test(part)) {
    problems.push(`the ${name} is not base64url without padding (it contains ${JSON.stringify(part.replace(/[A-Za-z0-9_-]/g, '')[0])})`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    problems.push(`the ${name} is not JSON`);
    return undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    problems.push(`the ${name} is not a JSON object`);
    return undefined;
  }
  return json as Record<string, unknown>;
}

export function encodeUnsecuredJwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'none', typ: 'JWT' }): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');
  return `${enc(header)}.${enc(payload)}.`;
}
