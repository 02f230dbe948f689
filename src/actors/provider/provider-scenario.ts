import {
  bookAnAppointment,
  findAPatient,
  registerAPatient,
  readAnAppointment,
  searchForFreeSlots,
  withAddedQueryParameter,
  withRawQuery,
  type FreeSlotSearch,
  type GpcOperation,
  type SlotWindow,
} from '../../gpconnect/operations';
import { slotIdsOf, type ProviderAnswer } from '../../rules/provider';
import { need } from '../scenario-state';
import { firstFreeSlotBooking } from './booking';
import { foundIdOf, readOperation, type ReadableType } from './reads';
import type { DirectSpoil, ProviderUnderTest } from './provider-under-test';

type Json = Record<string, any>;

/**
 * One provider scenario (a feature tagged @provider): the provider under test, the answer the Then
 * steps judge, and what the scenario searched for, prepared and booked. An accessor whose step has
 * not run says that a Given step is missing.
 */
export class ProviderScenario {
  private latest?: ProviderAnswer;
  private nhsNumber?: string;
  private window?: SlotWindow;
  private slotSearch?: FreeSlotSearch;
  private offeredWithoutFilters?: string[];
  private prepared?: Json;
  private slotId?: string;
  private booked?: Json;
  private readTarget?: { type: ReadableType; id: string };
  private others?: Array<{ nhsNumber: string; answer: ProviderAnswer }>;

  constructor(readonly underTest: ProviderUnderTest) {}

  get profile() {
    return this.underTest.profile;
  }

  get answer(): ProviderAnswer {
    return need(this.latest, 'provider answer');
  }

  /** The NHS number last searched for or registered. */
  get searchedNhsNumber(): string {
    return need(this.nhsNumber, 'NHS number searched for or registered');
  }

  get slotWindow(): SlotWindow {
    return need(this.window, 'slot window');
  }

  /** The last Search for free slots, as typed (before any change a negative test made to it). */
  get lastSlotSearch(): FreeSlotSearch {
    return need(this.slotSearch, 'slot search');
  }

  get slotsOfferedWithoutFilters(): string[] {
    return need(this.offeredWithoutFilters, 'search without filters');
  }

  get booking(): Json {
    return need(this.prepared, 'booking');
  }

  get bookedSlotId(): string {
    return need(this.slotId, 'booked slot');
  }

  /** The Appointment the provider answered the booking with. */
  get bookedAppointment(): Json {
    return need(this.booked, 'booked appointment');
  }

  /** The resource last read, by type and logical id. */
  get lastRead(): { type: ReadableType; id: string } {
    return need(this.readTarget, 'resource read');
  }

  /** One interaction as a conformant consumer sends it; its answer is the one the Then steps judge. */
  async ask(operation: GpcOperation): Promise<ProviderAnswer> {
    this.latest = await this.underTest.ask(operation);
    return this.latest;
  }

  /** One interaction sent straight to the provider as the SSP forwards it, spoilt as given. */
  async askDirectly(operation: GpcOperation, spoil: DirectSpoil = {}): Promise<ProviderAnswer> {
    this.latest = await this.underTest.askDirectly(operation, spoil);
    return this.latest;
  }

  findPatient(nhsNumber: string): Promise<ProviderAnswer> {
    this.nhsNumber = nhsNumber;
    return this.ask(findAPatient(nhsNumber));
  }

  /** Find a patient for each NHS number in turn; every search and its answer. */
  async findEach(nhsNumbers: readonly string[]): Promise<Array<{ nhsNumber: string; answer: ProviderAnswer }>> {
    const searches: Array<{ nhsNumber: string; answer: ProviderAnswer }> = [];
    for (const nhsNumber of nhsNumbers) searches.push({ nhsNumber, answer: await this.ask(findAPatient(nhsNumber)) });
    return searches;
  }

  /** The searches for the profile's other patients (findEach). */
  get otherSearches(): Array<{ nhsNumber: string; answer: ProviderAnswer }> {
    return need(this.others, 'searches for the other patients');
  }

  set otherSearches(searches: Array<{ nhsNumber: string; answer: ProviderAnswer }>) {
    this.others = searches;
  }

  /**
   * Find a patient with its query replaced by the one a feature writes out (a malformed or wrong
   * search); `{registeredPatient}` in it stands for the profile's registered patient.
   */
  findPatientsWithQuery(rawQuery: string): Promise<ProviderAnswer> {
    const registered = this.profile.testData.registeredPatient;
    return this.ask(withRawQuery(findAPatient(registered), rawQuery.replaceAll('{registeredPatient}', registered)));
  }

  /** Find a patient by NHS number, with further query parameters after the identifier. */
  findPatientAlsoSending(nhsNumber: string, extra: ReadonlyArray<[string, string]>): Promise<ProviderAnswer> {
    this.nhsNumber = nhsNumber;
    return this.ask(extra.reduce((op, [name, value]) => withAddedQueryParameter(op, name, value), findAPatient(nhsNumber)));
  }

  /** Read the `type` the consumer found (Find a patient, a slot search's included resources: reads.ts). */
  async readFound(type: ReadableType): Promise<ProviderAnswer> {
    return this.read(type, await foundIdOf(this.underTest, type));
  }

  /** Read `type` by the logical id given. */
  read(type: ReadableType, id: string): Promise<ProviderAnswer> {
    this.readTarget = { type, id };
    return this.ask(readOperation(type, id));
  }

  register(nhsNumber: string, patient: Json): Promise<ProviderAnswer> {
    this.nhsNumber = nhsNumber;
    return this.ask(registerAPatient(patient));
  }

  /** Search for free slots as typed, or the variant of it a negative test made (`operation`). */
  searchSlots(search: FreeSlotSearch, operation = searchForFreeSlots(search)): Promise<ProviderAnswer> {
    this.window = search.window;
    this.slotSearch = search;
    return this.ask(operation);
  }

  /** Search for free slots again (after a booking), leaving the answer the Then steps judge as it was. */
  searchAgain(window: SlotWindow): Promise<ProviderAnswer> {
    return this.underTest.ask(searchForFreeSlots({ window }));
  }

  /** Find the patient last searched for or registered again, leaving the answer the Then steps judge as it was. */
  findAgain(): Promise<ProviderAnswer> {
    return this.underTest.ask(findAPatient(this.searchedNhsNumber));
  }

  /** Search for free slots without search filters, keeping the slots offered for comparison. */
  async searchWithoutFilters(window: SlotWindow): Promise<ProviderAnswer> {
    const answer = await this.searchSlots({ window });
    this.offeredWithoutFilters = slotIdsOf(answer.body);
    return answer;
  }

  /** A booking of the first free slot for the registered patient, prepared and not yet sent. */
  async prepareFirstFreeSlotBooking(): Promise<void> {
    const { booking, slotId } = await firstFreeSlotBooking(this.underTest);
    this.prepared = booking;
    this.slotId = slotId;
  }

  /** Book an appointment with the booking prepared, or with the one given, which becomes the booking. */
  sendBooking(booking = this.booking): Promise<ProviderAnswer> {
    this.prepared = booking;
    return this.ask(bookAnAppointment(booking));
  }

  /** Read an appointment the provider booked (its answer to the booking). */
  readAppointment(booked: Json): Promise<ProviderAnswer> {
    this.booked = booked;
    return this.ask(readAnAppointment(booked.id));
  }
}
