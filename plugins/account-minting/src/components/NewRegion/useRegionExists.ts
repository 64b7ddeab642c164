import { useApi } from '@backstage/frontend-plugin-api';
import { useEffect, useState } from 'react';
import { accountMintingApiRef } from '../../api';
import { isNotFound } from '../shared/errors';

/**
 * Whether the desired estate already has the region named `regionOu`: true or false
 * once the backend answered, undefined before (or when it could not tell).
 */
export function useRegionExists(regionOu: string | undefined) {
  const api = useApi(accountMintingApiRef);
  const [answer, setAnswer] = useState<{ name: string; exists: boolean }>();

  useEffect(() => {
    if (!regionOu) return undefined;
    let current = true;
    api.getRegion(regionOu).then(
      () => current && setAnswer({ name: regionOu, exists: true }),
      error => {
        // Any other failure leaves it unknown: the backend refuses a bad request anyway.
        if (current && isNotFound(error)) {
          setAnswer({ name: regionOu, exists: false });
        }
      },
    );
    return () => {
      current = false;
    };
  }, [api, regionOu]);

  // An answer about names typed before does not hold for the current one.
  return regionOu && answer?.name === regionOu ? answer.exists : undefined;
}
