/**
 * The consumer judges: one pure function per CONS-* requirement of requirements/catalogue.yaml,
 * reading only the JudgeContext (what was asked, what the consumer said, what it sent). Each
 * returns the problems found, one sentence each, starting with the requirement id.
 */
import type { Judge } from './judge-context';
import * as discovery from './judges-discovery';
import * as ssp from './judges-ssp';
import * as jwt from './judges-jwt';
import * as booking from './judges-booking';
import * as paths from './judges-paths';

export const CONSUMER_JUDGES: Record<string, Judge> = {
  'CONS-PDS-TRACE': discovery.pdsTrace,
  'CONS-PDS-STOP': discovery.pdsStop,
  'CONS-SDS-ENDPOINT': discovery.sdsEndpoint,
  'CONS-SDS-DEVICE': discovery.sdsDevice,
  'CONS-SDS-PER-PATIENT': discovery.sdsPerPatient,
  'CONS-SDS-NO-ENDPOINT': discovery.sdsNoEndpoint,
  'CONS-VIA-SSP': discovery.viaSsp,
  'CONS-SERVICE-ROOT': ssp.serviceRoot,
  'CONS-SSP-TO': ssp.sspTo,
  'CONS-SSP-FROM': ssp.sspFrom,
  'CONS-TRACE-ID': ssp.traceId,
  'CONS-INTERACTION-ID': ssp.interactionId,
  'CONS-CONTENT-TYPE': ssp.contentType,
  'CONS-QUERY-ENCODED': ssp.queryEncoded,
  'CONS-JWT-UNSECURED': jwt.jwtUnsecured,
  'CONS-JWT-EXPIRY': jwt.jwtExpiry,
  'CONS-JWT-IAT': jwt.jwtIat,
  'CONS-JWT-AUD': jwt.jwtAud,
  'CONS-JWT-REASON': jwt.jwtReason,
  'CONS-JWT-SCOPE': jwt.jwtScope,
  'CONS-JWT-ISS': jwt.jwtIss,
  'CONS-JWT-DEVICE': jwt.jwtDevice,
  'CONS-JWT-ORGANIZATION': jwt.jwtOrganization,
  'CONS-JWT-PRACTITIONER': jwt.jwtPractitioner,
  'CONS-JWT-SUB': jwt.jwtSub,
  'CONS-SLOT-QUERY': booking.slotQuery,
  'CONS-SLOT-WINDOW': booking.slotWindow,
  'CONS-SLOTS-NEXT-WINDOW': booking.slotsNextWindow,
  'CONS-FIND-PATIENT': booking.findPatient,
  'CONS-REGISTER': booking.register,
  'CONS-BOOK-PATIENT': booking.bookPatient,
  'CONS-BOOK-PARTICIPANTS': booking.bookParticipants,
  'CONS-BOOK-ORGANISATION': booking.bookOrganisation,
  'CONS-BOOK-DESCRIPTION': booking.bookDescription,
  'CONS-BOOK-SLOT-TIMES': booking.bookSlotTimes,
  'CONS-BOOK-CONFLICT': paths.bookConflict,
  'CONS-OUTCOME-SHOWN': paths.outcomeShown,
  'CONS-SSP-REFUSAL': paths.sspRefusal,
  'CONS-PROVIDER-ERROR': paths.providerError,
  'CONS-SESSION-CACHE': discovery.sessionCache,
};

/** The judges that need an alternative path to have happened: on a plain booking they report that it never arose. */
export const ALTERNATIVE_PATH_JUDGES: readonly string[] = [
  'CONS-PDS-STOP',
  'CONS-SDS-NO-ENDPOINT',
  'CONS-SLOTS-NEXT-WINDOW',
  'CONS-REGISTER',
  'CONS-BOOK-CONFLICT',
  'CONS-SSP-REFUSAL',
  'CONS-PROVIDER-ERROR',
];
