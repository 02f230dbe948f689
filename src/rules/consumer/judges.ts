/**
 * The consumer judges: one pure function per CONS-* requirement of requirements/catalogue.yaml,
 * reading only the JudgeContext (what was asked, what the consumer said, what it sent). Each
 * returns its findings, one sentence each naming the request (the RuleBook adds the requirement's
 * id and level), or that its situation was not reached because the consumer stopped earlier.
 */
import type { Judge, JudgeContext, Verdict } from './judge-context';
import * as discovery from './judges-discovery';
import * as ssp from './judges-ssp';
import * as jwt from './judges-jwt';
import * as booking from './judges-booking';
import * as paths from './judges-paths';
import * as fidelity from './judges-fidelity';
import { ACTION_JUDGES } from './judges-actions';

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
  'CONS-JWT-USER': jwt.jwtUser,
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
  'CONS-PDS-HEADERS': discovery.pdsHeaders,
  'CONS-SDS-APIKEY': discovery.sdsApiKey,
  'CONS-BOOK-VALID': booking.bookValid,
  'CONS-SLOT-BOUNDS': fidelity.slotBounds,
  'CONS-BOOK-ORG-TYPE': fidelity.bookOrganisationType,
  'CONS-PDS-SUPERSEDED': fidelity.pdsSuperseded,
  'CONS-TOLERANT': fidelity.tolerant,
  ...ACTION_JUDGES,
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
  'CONS-PDS-SUPERSEDED',
  'CONS-TOLERANT',
  // Cancel, amend and retrieve (issue 18): only where the harness asked for the action.
  ...Object.keys(ACTION_JUDGES),
];

/** The rules every booking goes through: where a consumer stops early, one of these is the rule it broke. */
export const MAIN_PATH_JUDGES: readonly string[] = Object.keys(CONSUMER_JUDGES).filter((id) => !ALTERNATIVE_PATH_JUDGES.includes(id));

/**
 * One rule, judged (item 7 of issue 15, one mistake, one failure): a rule whose situation never
 * arose because the consumer stopped earlier is not reached, naming why and the main-path rules
 * that fail on the same traffic (the rule actually broken). A stop that no refused exchange explains
 * and no broken rule accounts for (the consumer gave up and said so) is no excuse: the rule fails.
 */
export function judgeRule(requirement: string, ctx: JudgeContext): Verdict {
  const judge = CONSUMER_JUDGES[requirement];
  if (!judge) throw new Error(`no judge for ${requirement}: src/rules/consumer/judges.ts`);
  const verdict = judge(ctx);
  if (verdict.notReached === undefined) return verdict;
  const broken = MAIN_PATH_JUDGES.filter((other) => other !== requirement && CONSUMER_JUDGES[other]!(ctx).findings.length > 0);
  if (broken.length === 0 && verdict.stoppedBy !== 'refusal') return { findings: [verdict.notReached] };
  return { findings: [], notReached: broken.length > 0 ? `${verdict.notReached}; the rule broken there: ${broken.join(', ')}` : verdict.notReached };
}
