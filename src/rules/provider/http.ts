/**
 * The judges of what a provider does at the HTTP level, whatever the interaction: the content
 * coding it answers gzip with, the error it gives a request no route serves (Http.feature), and
 * what a booking answers under a Prefer header. Each returns its findings, one sentence each.
 */
import { exactOnly, type Finding } from '../rule';
import { seen, spineCodeOf, type ProviderAnswer } from './answer';
import type { Refusal } from './refusals';

/**
 * Asked with Accept-Encoding: gzip, the answer is gzip-encoded ("clients/servers SHALL support GZIP
 * compression. Compression is requested by setting the Accept-Encoding header to gzip",
 * development_general_api_guidance; PTEST FHIR.feature "the response should be gzip encoded"), and
 * its body decodes (the harness's client decodes it before any other judge reads it).
 */
export function gzipEncoded(answer: ProviderAnswer): string[] {
  const coding = answer.response.headers['content-encoding'];
  if (answer.response.decodingProblem) return [`${answer.asked}: ${answer.response.decodingProblem}`];
  const codings = (coding ?? '').split(',').map((c) => c.trim().toLowerCase());
  return codings.includes('gzip') || codings.includes('x-gzip') ? [] : [`${answer.asked} with Accept-Encoding: gzip answered ${coding === undefined ? 'without Content-Encoding' : `with Content-Encoding: ${coding}`}, not gzip-encoded`];
}

/**
 * A request no route serves is answered with an error (4xx or 5xx) whose body is an
 * OperationOutcome (PTEST Http.feature: "the response status code should indicate failure", "the
 * response should be a OperationOutcome resource"). The status and Spine code are one of those the
 * error page gives for it (400 BAD_REQUEST for an invalid verb or an interaction ID that does not
 * match the request, 501 NOT_IMPLEMENTED for what the server does not implement); another is about
 * the exact code only (`exactOnly`), which the official tests do not check.
 */
export function httpError(answer: ProviderAnswer, allowed: Refusal[]): Finding[] {
  const { status } = answer.response;
  if (status < 400) return [{ text: `${answer.asked} answered ${seen(answer)}; expected an error (4xx or 5xx) with an OperationOutcome` }];
  if (answer.body?.resourceType !== 'OperationOutcome') {
    return [{ text: `${answer.asked} answered ${status} with ${answer.body?.resourceType ?? `a body that is not JSON (Content-Type "${answer.response.headers['content-type'] ?? ''}")`}, not an OperationOutcome` }];
  }
  const code = spineCodeOf(answer);
  if (allowed.some((r) => r.status === status && code !== undefined && r.codes.includes(code))) return [];
  const expected = allowed.map((r) => `${r.status} ${r.codes.join(' or ')}`).join('; or ');
  return [exactOnly(`${answer.asked} answered ${status} with ${code ?? 'no Spine code'}; the error page gives ${expected}`)];
}

/** Prefer: return=minimal is honoured: the answer has no body ("Servers SHOULD honour a return=minimal … preference"; PTEST "the response body should be empty"). */
export function emptyBody(answer: ProviderAnswer): string[] {
  const body = answer.response.body;
  return body.trim() === '' ? [] : [`${answer.asked} with Prefer: return=minimal answered with a body (${Buffer.byteLength(body)} bytes, ${answer.body?.resourceType ?? 'not JSON'})`];
}

/**
 * A 201 names the new appointment in its Location header, [base]/Appointment/[id]/_history/[vid],
 * whether or not the answer has a body to compare the id with (return=minimal).
 */
export function locationOfNewAppointment(answer: ProviderAnswer): string[] {
  const location = answer.response.headers['location'];
  if (!location) return [`${answer.asked} answered ${answer.response.status} without a Location header`];
  return /\/Appointment\/[A-Za-z0-9.-]{1,64}\/_history\/[^/]+$/.test(location) ? [] : [`the Location header ${location} does not name the new appointment as [base]/Appointment/[id]/_history/[vid]`];
}
