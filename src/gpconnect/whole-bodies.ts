/**
 * The bytes of an answer Spine in a box wrote whole (a FHIR resource made into text), kept beside
 * its Response. The answer still carries them as a stream, as any Response does, for the faults
 * that stream, stall or cut an answer short; but where the bytes are known, the journal and the
 * socket server take them as they are instead of teeing and piping the stream (two streams, a
 * clone and a pipe for every answer: a provider run takes ~5 % less CPU). Only a Response made here,
 * from bytes it was given, is known: any other is read as a stream, as before.
 */
const wholeBodies = new WeakMap<Response, Uint8Array>();

/** A Response of these whole bytes (text is UTF-8), known as such. */
export function wholeResponse(body: string | Uint8Array | null, init: ResponseInit): Response {
  if (body === null) return new Response(null, init);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const response = new Response(bytes as Uint8Array<ArrayBuffer>, init);
  wholeBodies.set(response, bytes);
  return response;
}

/** A Response with the same body as `from` and other headers or status: known when `from` was. */
export function sameBody(from: Response, init: ResponseInit): Response {
  const bytes = wholeBodies.get(from);
  if (bytes && !from.bodyUsed) return wholeResponse(bytes, init);
  return new Response(from.body, init);
}

/** The whole bytes of an answer made by wholeResponse, unless its stream has been read since. */
export function wholeBodyOf(response: Response): Uint8Array | undefined {
  return response.bodyUsed ? undefined : wholeBodies.get(response);
}

/** An answer's body as text, as Response.text() reads it (UTF-8, a leading BOM dropped): its whole bytes where known, else a clone's stream. */
export async function textOf(response: Response): Promise<string> {
  const whole = wholeBodyOf(response);
  if (!whole) return response.clone().text();
  const text = Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** An answer's body as JSON (throws when it is not): as textOf reads it. */
export async function jsonOf(response: Response): Promise<unknown> {
  return JSON.parse(await textOf(response));
}
