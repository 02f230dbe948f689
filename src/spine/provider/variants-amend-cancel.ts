/**
 * Conformant variants of the reference provider for Amend and Cancel an appointment (issue 18):
 * choices the amend and cancel pages leave to a supplier, made the other way from the reference
 * provider's. Spread into PROVIDER_VARIANTS (variants.ts); proven by test/system/provider-variant-proof.test.ts.
 */
import { GpcAppointmentExtension, Header, Interaction } from '../../gpconnect/constants';
import { rewriteJson, type FaultInput, type Json } from './fault-kit';
import type { VariantDefinition } from './variants';

const isCancel = ({ request, url }: FaultInput) =>
  request.method === 'PUT' && /\/Appointment\/[^/]+$/.test(url.pathname) && request.headers.get(Header.sspInteractionId)?.trim() === Interaction.cancelAppointment;

/** Where the cancellation reason is cut: a provider field of this many characters. */
const STORED_REASON_LENGTH = 8;

export const AMEND_CANCEL_VARIANTS = {
  'truncates-cancellation-reason': {
    latitude: `stores (and answers) the cancellation reason cut to the ${STORED_REASON_LENGTH} characters its field holds`,
    source: 'appointments_use_case_cancel_an_appointment, note: "due to differences in the provider system the cancellation reason may be truncated when stored in the provider system due to character limits"',
    apply: async (input: FaultInput) =>
      isCancel(input) && input.response.status === 200 && input.response.headers.get(Header.contentType)
        ? rewriteJson(input.response, (b: Json) => ({
            ...b,
            extension: (b.extension ?? []).map((e: Json) => (e.url === GpcAppointmentExtension.cancellationReason ? { ...e, valueString: String(e.valueString).slice(0, STORED_REASON_LENGTH) } : e)),
          }))
        : input.response,
  },
  'concatenates-amended-text': {
    latitude: 'stores an amended description and comment in one field, the description, joined by " | ", and answers them so',
    source: 'appointments_use_case_amend_an_appointment "Provider handling of description and comment": "providers MAY concatenate `description` and `comment` (with suitable delimiters) in order to store in a single field"',
    reaches: ['amend-an-appointment'],
    choices: { concatenateAmendedText: true },
  },
  'cancel-keeps-slots': {
    latitude: "keeps a cancelled appointment's slots busy rather than offering them again",
    source: 'appointments_use_case_cancel_an_appointment: the Slot is updated "in line with any internal integrity constraints" of the provider system; no SHALL frees it',
    reaches: ['cancel-an-appointment'],
    choices: { keepSlotsOnCancel: true },
  },
} as const satisfies Record<string, VariantDefinition>;
