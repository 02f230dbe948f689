import type { Directory } from '../../spine/directory/directory';
import { TopologyDraft } from '../../spine/directory/edits';
import { DirectoryError, directoryOf } from '../../spine/directory/load';
import type { SpineInABox } from '../../spine/spine';
import { lookUpProvider, type ProviderAddress } from '../provider/sds-client';
import { need } from '../scenario-state';

/**
 * One topology scenario: the default topology edited and loaded (or refused), the systems of a
 * topology under inspection, and what SDS answered about an organisation.
 */
export class TopologyScenario {
  private edited?: TopologyDraft;
  private result?: { directory?: Directory; error?: DirectoryError };
  private inspected?: string[];
  private sds?: { provider?: ProviderAddress; error?: Error };

  constructor(
    private readonly spine: SpineInABox,
    /** Directory rules left unchecked (the harness's own proof). */
    private readonly skippedRules: ReadonlySet<string>,
  ) {}

  startFromDefault(): void {
    this.edited = new TopologyDraft();
  }

  get draft(): TopologyDraft {
    return need(this.edited, 'topology draft');
  }

  /** Load the edited topology, keeping the refusal when the directory's rules refuse it. */
  load(): void {
    try {
      this.result = { directory: directoryOf(this.draft.toData(), 'edited default topology', { skipRules: this.skippedRules }) };
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      this.result = { error };
    }
  }

  get loaded(): { directory?: Directory; error?: DirectoryError } {
    return need(this.result, 'loaded topology');
  }

  /** The ASIDs of the topology a step looked at. */
  get systems(): string[] {
    return need(this.inspected, 'topology');
  }

  set systems(asids: string[]) {
    this.inspected = asids;
  }

  /** Worked example 2a–2d for an organisation, keeping SDS's refusal as the answer. */
  async askSds(ods: string): Promise<void> {
    try {
      this.sds = { provider: await lookUpProvider(this.spine.urls.sds, ods, { ca: this.spine.tls?.ca.certPem }) };
    } catch (error) {
      this.sds = { error: error as Error };
    }
  }

  get sdsAnswer(): { provider?: ProviderAddress; error?: Error } {
    return need(this.sds, 'SDS answer');
  }
}
