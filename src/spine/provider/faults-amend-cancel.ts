/**
 * Reference-provider faults for Amend an appointment and Cancel an appointment (issue 18): each a
 * realistic supplier mistake breaking one catalogue requirement; see faults.ts for how they are used
 * and test/system/fault-proof.test.ts for the proof.
 */
import { Header, Interaction, STALE_VERSION_CODE } from '../../gpconnect/constants';
import { gpcOutcome } from '../../gpconnect/outcomes';
import { diagnosticsOf, rewriteJson, type FaultDefinition, type FaultInput, type Json } from './fault-kit';
import { jsonOf, sameBody } from '../../gpconnect/whole-bodies';

/** PUT [base]/Appointment/{id}, as amend (update) or cancel by its Ssp-InteractionID. */
const isUpdateOf = (interaction: string) => ({ request, url }: FaultInput) =>
  request.method === 'PUT' && /\/Appointment\/[^/]+$/.test(url.pathname) && request.headers.get(Header.sspInteractionId)?.trim() === interaction;
const isAmend = isUpdateOf(Interaction.updateAppointment);
const isCancel = isUpdateOf(Interaction.cancelAppointment);
const isUpdate = (input: FaultInput) => isAmend(input) || isCancel(input);

/**
 * An update the conformant provider refused with `status` for the reason `why` names is answered 200
 * as if made: the Appointment sent, with the id of the URL and a version (nothing is stored).
 */
function updateAnyway(which: (input: FaultInput) => boolean, status: number, why: RegExp) {
  return async (input: FaultInput): Promise<Response> => {
    if (!which(input) || input.response.status !== status || !why.test(await diagnosticsOf(input.response))) return input.response;
    const sent = (await input.request.clone().json()) as Json;
    const id = decodeURIComponent(input.url.pathname.split('/').pop() ?? '');
    const headers = new Headers(input.response.headers);
    headers.delete('content-length');
    headers.set(Header.etag, 'W/"2"');
    return new Response(JSON.stringify({ ...sent, id, meta: { ...(sent.meta ?? {}), versionId: '2' } }), { status: 200, headers });
  };
}

/** Rewrite a successful update's Appointment. */
function rewriteUpdate(which: (input: FaultInput) => boolean, change: (body: Json, input: FaultInput) => Json | undefined) {
  return async (input: FaultInput): Promise<Response> => (which(input) && input.response.status === 200 && input.response.headers.get(Header.contentType) ? rewriteJson(input.response, (b) => change(b, input)) : input.response);
}

export const AMEND_CANCEL_FAULTS = {
  'amend-drops-comment': {
    breaks: 'PROV-AMEND',
    what: 'stores an amended comment but answers the amendment without it',
    apply: rewriteUpdate(isAmend, (b) => {
      if (b.comment === undefined) return undefined;
      delete b.comment;
      return b;
    }),
  },
  'update-keeps-version': {
    breaks: 'PROV-UPDATE-VERSIONID',
    what: 'answers an amendment or cancellation with the versionId (and ETag) the appointment had before it',
    apply: async (input: FaultInput) => {
      const changed = await rewriteUpdate(isUpdate, (b) => ({ ...b, meta: { ...b.meta, versionId: String(Number(b.meta?.versionId ?? 2) - 1) } }))(input);
      if (changed === input.response) return changed;
      const headers = new Headers(changed.headers);
      const version = ((await jsonOf(changed)) as Json).meta?.versionId;
      headers.set(Header.etag, `W/"${version}"`);
      return sameBody(changed, { status: changed.status, headers });
    },
  },
  'amends-any-field': {
    breaks: 'PROV-AMEND-FIELDS',
    what: 'makes an amendment that changes more than description and comment (priority, status, start, participants, a cancellation reason, even a Bundle)',
    apply: updateAnyway(isAmend, 422, /an amendment may change only|may not be changed by an amendment|must not carry the cancellation reason|must be an Appointment resource/),
  },
  'amends-cancelled': {
    breaks: 'PROV-AMEND-CANCELLED',
    what: 'amends an appointment that has been cancelled',
    apply: updateAnyway(isAmend, 422, /has been cancelled/),
  },
  'updates-unknown-id': {
    breaks: 'PROV-UPDATE-NOT-FOUND',
    what: 'answers an amendment or cancellation of an appointment id it does not have 200, as if it had made it',
    apply: updateAnyway(isUpdate, 404, /no appointment has the id/),
  },
  'cancel-answers-booked': {
    breaks: 'PROV-CANCEL',
    what: 'cancels the appointment but answers it with status booked',
    apply: rewriteUpdate(isCancel, (b) => ({ ...b, status: 'booked' })),
  },
  'cancels-with-changes': {
    breaks: 'PROV-CANCEL-CHANGES',
    what: 'makes a cancellation that also changes the comment, description, participants, type or booking organisation',
    apply: updateAnyway(isCancel, 422, /a cancellation may change only/),
  },
  'cancels-without-reason': {
    breaks: 'PROV-CANCEL-REASON',
    what: 'makes a cancellation whose cancellation reason extension has no reason',
    apply: updateAnyway(isCancel, 422, /cancellation reason extension has no reason/),
  },
  'ignores-if-match': {
    breaks: 'PROV-IF-MATCH',
    what: 'makes an amendment or cancellation whatever version its If-Match names',
    apply: updateAnyway(isUpdate, 409, /does not name the current version/),
  },
  'requires-if-match': {
    breaks: 'PROV-IF-MATCH-OPTIONAL',
    what: 'refuses an amendment or cancellation sent without If-Match with 409',
    apply: async (input: FaultInput) => {
      if (!isUpdate(input) || input.request.headers.has(Header.ifMatch) || input.response.status !== 200) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      headers.delete(Header.etag);
      headers.set(Header.contentType, 'application/fhir+json; charset=utf-8');
      return new Response(JSON.stringify(gpcOutcome('conflict', STALE_VERSION_CODE, 'FHIR constraint violated', 'If-Match is required to update an Appointment')), { status: 409, headers });
    },
  },
  'update-minimal-always': {
    breaks: 'PROV-UPDATE-PREFER',
    what: 'answers an amendment or cancellation with Prefer: return=representation with no body',
    apply: async (input: FaultInput) => {
      if (!isUpdate(input) || input.response.status !== 200 || !/return\s*=\s*representation/i.test(input.request.headers.get(Header.prefer) ?? '')) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      headers.delete(Header.contentType);
      return new Response(null, { status: 200, headers });
    },
  },
} as const satisfies Record<string, FaultDefinition>;

