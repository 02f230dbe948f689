/**
 * The reference consumer as the harness's `module` driver loads it (profiles/reference-consumer.yaml):
 * the same GPC_CONSUMER_* configuration its process form reads (profiles/reference-consumer-http.yaml
 * spells it out), filled from the coordinates the harness hands every consumer, and one
 * ReferenceConsumer per user session. Nothing here knows the harness beyond that contract.
 */
import { configFromEnv, type LoggedOnUser } from './config';
import { ReferenceConsumer } from './consumer';

/** What the harness asks for (its module-driver contract): book for this patient in this window, in this session, from this organisation. */
export interface BookingAsked {
  nhsNumber: string;
  start: string;
  end: string;
  session: string;
  organisation: string;
  /** The practice the user chose to book into, when not the registered one. */
  practice?: string;
  /** The user asking: the JWTs name them. */
  user?: LoggedOnUser;
}

/** What the harness asks for besides booking (its ActionRequest): cancel, amend or retrieve for this patient, in this session, from this organisation. */
export interface ActionAsked {
  action: 'cancel' | 'amend' | 'retrieve';
  nhsNumber: string;
  session: string;
  organisation: string;
  practice?: string;
  appointmentId?: string;
  description?: string;
  comment?: string;
  reason?: string;
  start?: string;
  end?: string;
  user?: LoggedOnUser;
}

/** The reference consumer's fixed settings: the organisation and user it books as. */
export const REFERENCE_CONSUMER_SETTINGS: Record<string, string> = {
  GPC_CONSUMER_ORG_NAME: 'Reference consumer organisation',
  GPC_CONSUMER_ORG_PHONE: '01632 960100',
  GPC_CONSUMER_ORG_TYPE: 'urgent-care',
  GPC_CONSUMER_PRACTITIONER_ID: 'reference-user-1',
  GPC_CONSUMER_SDS_USER_ID: '111222333444',
  GPC_CONSUMER_SDS_ROLE_PROFILE_ID: '444555666777',
  GPC_CONSUMER_PRACTITIONER_FAMILY: 'Ashby',
  GPC_CONSUMER_PRACTITIONER_GIVEN: 'Morgan',
  GPC_CONSUMER_PRACTITIONER_PREFIX: 'Dr',
  GPC_CONSUMER_ROLE_CODE: 'R0260',
  GPC_CONSUMER_TIMEOUT_MS: '5000',
};

/**
 * Called once per run with the harness's coordinates (its placeholders: pdsUrl, sdsUrl, sspUrl,
 * asid, ods, organisationsJson, faults, variants, …); returns the consumer the run drives.
 */
export function createDriver(coordinates: Record<string, string>): {
  book(request: BookingAsked): Promise<unknown>;
  cancel(request: ActionAsked): Promise<unknown>;
  amend(request: ActionAsked): Promise<unknown>;
  retrieve(request: ActionAsked): Promise<unknown>;
} {
  const config = configFromEnv({
    ...REFERENCE_CONSUMER_SETTINGS,
    GPC_CONSUMER_PDS_URL: coordinates.pdsUrl,
    GPC_CONSUMER_SDS_URL: coordinates.sdsUrl,
    GPC_CONSUMER_SSP_URL: coordinates.sspUrl,
    GPC_CONSUMER_ASID: coordinates.asid,
    GPC_CONSUMER_ODS: coordinates.ods,
    GPC_CONSUMER_ORGANISATIONS: coordinates.organisationsJson,
    GPC_CONSUMER_FAULTS: coordinates.faults ?? '',
    GPC_CONSUMER_VARIANTS: coordinates.variants ?? '',
  });
  const sessions = new Map<string, ReferenceConsumer>();
  const session = (id: string): ReferenceConsumer => {
    let consumer = sessions.get(id);
    if (!consumer) sessions.set(id, (consumer = new ReferenceConsumer(config)));
    return consumer;
  };
  const change = (r: ActionAsked) => ({ user: r.user, nhsNumber: r.nhsNumber, appointmentId: r.appointmentId ?? '', organisation: r.organisation, ...(r.practice ? { practice: r.practice } : {}), ...(r.reason ? { reason: r.reason } : {}), ...(r.description ? { description: r.description } : {}), ...(r.comment ? { comment: r.comment } : {}) });
  return {
    book(request: BookingAsked): Promise<unknown> {
      return session(request.session).bookAppointment({ user: request.user, nhsNumber: request.nhsNumber, window: { start: request.start, end: request.end }, organisation: request.organisation, ...(request.practice ? { practice: request.practice } : {}) });
    },
    cancel: (request) => session(request.session).cancelAppointment(change(request)),
    amend: (request) => session(request.session).amendAppointment(change(request)),
    retrieve: (request) =>
      session(request.session).retrieveAppointments({
        user: request.user,
        nhsNumber: request.nhsNumber,
        organisation: request.organisation,
        ...(request.start && request.end ? { window: { start: request.start, end: request.end } } : {}),
        ...(request.practice ? { practice: request.practice } : {}),
      }),
  };
}
