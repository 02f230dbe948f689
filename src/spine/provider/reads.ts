/**
 * Read a patient, an organisation, a practitioner and a location (foundations_use_case_read_*.md,
 * 1.2.9): the resource by its logical id, 200 with its ETag, 404 NO_RECORD_FOUND for an id the
 * practice does not hold, and PATIENT_NOT_FOUND for a PDS-sensitive patient ("SHALL return a
 * PATIENT_NOT_FOUND error where a request for a PDS sensitive flagged patient is received").
 * A consumer that reads the Location or Practitioner of a slot (the search page's display
 * requirements) reaches a practice that answers (review F20).
 */
import { Header, SpineError } from '../../gpconnect/constants';
import { gpcOutcome } from '../../gpconnect/outcomes';
import type { ProviderContext } from './context';
import { patientResource } from './foundations';
import { locationResource, organizationResource, practitionerResource, respond } from './slots';

type Json = Record<string, unknown>;

const READABLE = /^\/(Patient|Organization|Practitioner|Location)\/([A-Za-z0-9.-]{1,64})$/;

/** The read a GET path asks for, answered; undefined when the path is no read of these. */
export function readResource(ctx: ProviderContext, path: string): Response | undefined {
  const match = READABLE.exec(path);
  if (!match) return undefined;
  const [, type, id] = match as unknown as [string, string, string];
  if (type === 'Patient') {
    const patient = ctx.state.patientById(id);
    if (patient?.sensitive) return respond(gpcOutcome('not-found', SpineError.patientNotFound, 'Patient not found', `Patient/${id} is not available`), 404);
    return found(patient && patientResource(ctx, patient), type, id);
  }
  if (type === 'Organization') return found(id === ctx.state.organisationId ? organizationResource(ctx.state) : undefined, type, id);
  if (type === 'Practitioner') {
    const practitioner = ctx.state.practitioners().find((p) => p.id === id);
    return found(practitioner && practitionerResource(practitioner), type, id);
  }
  const location = ctx.state.locations().find((l) => l.id === id);
  return found(location && locationResource(ctx.state, location), type, id);
}

function found(resource: Json | undefined, type: string, id: string): Response {
  if (!resource) return respond(gpcOutcome('not-found', SpineError.noRecordFound, 'No record found', `no ${type} has the id ${JSON.stringify(id)}`), 404);
  const version = (resource.meta as Json | undefined)?.versionId;
  return respond(resource, 200, typeof version === 'string' ? { [Header.etag]: `W/"${version}"` } : {});
}
