// The partner look-up: a person's current state, found by the keyed hash of their ID document.
import { shanghaiDay, type Day } from '@bamin/common';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { visibleNucleicAcidTests } from '../domain/nucleicAcid';
import { ApiError } from '../errors';
import type { Actor } from './codeService';
import { writeAudit } from './auditService';
import { findPersonByIdentity, type Identity } from './peopleService';
import { currentStatus } from './statusService';

export async function lookupPerson(deps: Pick<Deps, 'db' | 'clock' | 'pii'>, id: Pick<Identity, 'idType' | 'country'> & { number: string }, actor: Actor) {
  const person = await findPersonByIdentity(deps, { idType: id.idType, idNumber: id.number, country: id.country });
  await writeAudit(deps, {
    actorKind: actor.kind,
    actorId: actor.id,
    action: 'person.lookup',
    subjectKind: 'person',
    subjectId: person?.id ?? null,
    outcome: person ? 'ok' : 'not_found',
    requestId: actor.requestId,
    detail: { idType: id.idType },
  });
  if (!person) throw new ApiError('PERSON_NOT_FOUND');
  const personId = Number(person.id);
  const status = await currentStatus(deps, personId);
  return {
    colour: status.colour,
    reasons: status.reasons,
    greenFrom: status.greenFrom,
    codeNumber: person.codeNumber ?? null,
    nucleicAcidTests: await recentNucleicAcidTests(deps, personId),
  };
}

/** A person's nucleic-acid tests shown today (A7: days S … S+6), newest first, as the API gives them. */
export async function recentNucleicAcidTests(deps: Pick<Deps, 'db' | 'clock'>, personId: number) {
  const tests = (await deps.db.models.NucleicAcidTest.findAll({
    where: { personId },
    attributes: ['sampledAt', 'result', 'institution'],
    raw: true,
  })) as unknown as { sampledAt: unknown; result: 'negative' | 'positive'; institution: string }[];
  return nucleicAcidTestViews(tests, shanghaiDay(deps.clock.now()));
}

/** Stored test rows (any dialect's time format) → the tests shown today, as the API gives them. */
export function nucleicAcidTestViews(tests: { sampledAt: unknown; result: 'negative' | 'positive'; institution: string }[], today: Day) {
  return visibleNucleicAcidTests(
    tests.map((t) => ({ ...t, sampledAt: toDate(t.sampledAt) })),
    today,
  ).map((t) => ({ sampledAt: t.sampledAt.toISOString(), result: t.result, institution: t.institution }));
}
