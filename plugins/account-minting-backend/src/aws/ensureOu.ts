import {
  CreateOrganizationalUnitCommand,
  CreateOrganizationalUnitCommandOutput,
} from '@aws-sdk/client-organizations';
import { childOus } from '../estate/observe';
import { OrganizationSession } from './OrganizationSession';

/** Creates an OU, or finds it when another run made it first. */
export async function ensureOu(
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
