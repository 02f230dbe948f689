/**
 * Prose rules of Read an organisation, Read a location and Read a practitioner (GP Connect 1.2.9), which also
 * bind the Organization, Location and Practitioner of a Search for free slots response ("SHALL populate the
 * … resource according to population requirements for Read a …"). CareConnect-GPC-Organization-1,
 * -Location-1 and -Practitioner-1 express the rest (identifier slices, name 1.. or 1..1, bindings, max 0).
 */
import { GpcProfile } from '../../gpconnect/constants';
import type { Ctx, Json } from '../issues';
import { contactPoints, populated, report, requireProfile } from './citations';

/** Inside `contained` (the booking organisation of a Book an appointment request) no Read page applies. */
const isContained = (path: string) => /\.contained\[\d+\](\([A-Za-z]+\))?$/.test(path);

export function organization(ctx: Ctx, r: Json, path: string): void {
  if (!isContained(path)) requireProfile(ctx, r, path, GpcProfile.organization, 'organization-meta-profile');
  contactPoints(ctx, r, path);
}

export function location(ctx: Ctx, r: Json, path: string): void {
  requireProfile(ctx, r, path, GpcProfile.location, 'location-meta-profile');
  // CareConnect-GPC-Location-1 leaves name 0..1; the Read a location page requires it.
  if (!populated(r.name)) report(ctx, 'location-name', `${path}.name`, `${path}.name is absent`);
  contactPoints(ctx, r, path);
}

export function practitioner(ctx: Ctx, r: Json, path: string): void {
  requireProfile(ctx, r, path, GpcProfile.practitioner, 'practitioner-meta-profile');
  contactPoints(ctx, r, path);
}
