import {
  CreateOrganizationalUnitCommand,
  CreateOrganizationalUnitCommandOutput,
} from '@aws-sdk/client-organizations';
import { childOus } from '../estate/observe';
import { readKeys } from './observer/OrganizationObserver';
import { OrganizationSession } from './OrganizationSession';

/**
 * Creates an OU, or finds it when another run made it first. The runs of one backend
 * that need it at once share one creation, and find it in the shared copy afterwards.
 */
export async function ensureOu(
  session: OrganizationSession,
  parentId: string,
  name: string,
): Promise<string> {
  const { observer } = session;
  if (!observer) return createOrFind(session, parentId, name);
  const known = observer.copy
    .peek<{ Id?: string; Name?: string }[]>(
      readKeys.ous(parentId),
      session.readsSince,
    )
    ?.find(ou => ou.Name === name)?.Id;
  return (
    known ??
    observer.copy.read(
      readKeys.createOu(parentId, name),
      () => createOrFind(session, parentId, name),
      { since: session.readsSince },
    )
  );
}

async function createOrFind(
  session: OrganizationSession,
  parentId: string,
  name: string,
): Promise<string> {
  try {
    const created = await session.send<CreateOrganizationalUnitCommandOutput>(
      new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }),
    );
    return created.OrganizationalUnit!.Id!;
  } catch (error) {
    if ((error as Error).name !== 'DuplicateOrganizationalUnitException')
      throw error;
    const existing = (await childOus(session, parentId)).find(
      ou => ou.Name === name,
    );
    if (!existing?.Id) throw error;
    return existing.Id;
  }
}
