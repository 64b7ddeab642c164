import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  isChangeResponse,
  MintingConfigView,
  PlanResponse,
  RegionRequest,
  RegionRequestError,
  validateRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { useMintingPaths } from '../shared/paths';
import {
  countField,
  ownerFits,
  ownerLengthError,
  regionFormErrors,
} from './regionFormErrors';
import { useRegionExists } from './useRegionExists';

/** The form's values as typed: counts stay text so that a half-typed number can be edited. */
export interface RegionFormValues {
  environment: string;
  region: string;
  owner: string;
  /** Per account role. */
  counts: Record<string, string>;
}

export type RegionFormField = 'environment' | 'region' | 'owner';

/** `kirk` from `user:default/kirk`. */
const userNameOf = (userEntityRef: string) =>
  userEntityRef.replace(/^.*[:/]/, '');

function initialValues(config: MintingConfigView): RegionFormValues {
  return {
    environment: '',
    region: '',
    owner: '',
    counts: Object.fromEntries(
      config.accountRoles.map(role => [role.name, String(role.count)]),
    ),
  };
}

/** The request the values stand for, as the backend receives it. */
function requestOf(
  values: RegionFormValues,
  config: MintingConfigView,
): RegionRequest {
  const environment = config.environments.find(
    e => e.name === values.environment,
  );
  return {
    environment: values.environment,
    region: values.region,
    owner: environment?.needsOwner ? values.owner.trim() : undefined,
    accountRoles: Object.fromEntries(
      Object.entries(values.counts).map(([role, text]) => [
        role,
        // Number('') is 0; an empty count must fail validation instead.
        text.trim() === '' ? NaN : Number(text),
      ]),
    ),
  };
}

/**
 * The state of the new-region form: its values, the shared validation of them, the
 * backend's verdict on them (field errors, a plan) and the actions that ask for it.
 */
export function useRegionForm(config: MintingConfigView) {
  const api = useApi(accountMintingApiRef);
  const identityApi = useApi(identityApiRef);
  const navigate = useNavigate();
  const paths = useMintingPaths();

  const [typed, setTyped] = useState(() => initialValues(config));
  const [userName, setUserName] = useState<string>();
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error>();
  const [plan, setPlan] = useState<PlanResponse>();
  const [busy, setBusy] = useState<'plan' | 'request'>();
  // Answers to requests for values since changed no longer apply.
  const generation = useRef(0);

  useEffect(() => {
    let current = true;
    identityApi
      .getBackstageIdentity()
      .then(identity => {
        if (current) setUserName(userNameOf(identity.userEntityRef));
      })
      .catch(() => {
        // Without an identity the owner is typed by hand.
      });
    return () => {
      current = false;
    };
  }, [identityApi]);

  const environment = config.environments.find(
    e => e.name === typed.environment,
  );
  // Until the user types an owner, the form offers theirs where it fits.
  const prefill = useMemo(
    () =>
      !touched.owner &&
      environment?.needsOwner &&
      userName &&
      ownerFits(userName, environment, config)
        ? userName
        : undefined,
    [touched.owner, environment, userName, config],
  );
  const values = useMemo(
    () => (prefill ? { ...typed, owner: prefill } : typed),
    [typed, prefill],
  );
  const request = useMemo(() => requestOf(values, config), [values, config]);
  const validation = useMemo(
    () => validateRegionRequest(request, config),
    [request, config],
  );
  const clientErrors = useMemo(
    () =>
      regionFormErrors(validation.ok ? {} : validation.errors, request, config),
    [validation, request, config],
  );
  const refusal = regionFormErrors(serverErrors, request, config);
  // A name too long is said as the owner is typed, not once the form is sent.
  const ownerLength = useMemo(
    () => ownerLengthError(request, config)?.message,
    [request, config],
  );
  const regionExists = useRegionExists(
    validation.ok ? validation.value.regionOu : undefined,
  );

  const errorOf = (field: string): string | undefined =>
    refusal.fields[field] ??
    (field === 'owner' ? ownerLength : undefined) ??
    (touched[field] || attempted ? clientErrors.fields[field] : undefined);

  /** Errors of no field on the form, such as a configured name pattern's. */
  const shown = attempted || Object.keys(touched).length > 0;
  const otherErrors = [...(shown ? clientErrors.other : []), ...refusal.other];

  const change = (field: string, next: RegionFormValues) => {
    generation.current++;
    setTyped(next);
    setTouched(t => ({ ...t, [field]: true }));
    setServerErrors({});
    setFailure(undefined);
    setPlan(undefined);
  };

  const setField = (field: RegionFormField, value: string) => {
    const next = { ...typed, [field]: value };
    if (field === 'environment') {
      const allowed =
        config.environments.find(e => e.name === value)?.regions ?? [];
      if (!allowed.includes(next.region)) next.region = '';
    }
    change(field, next);
  };

  const setCount = (role: string, value: string) =>
    change(countField(role), {
      ...typed,
      counts: { ...typed.counts, [role]: value },
    });

  /** Runs a backend call for the current values, if they are valid. */
  const ask = async (
    kind: 'plan' | 'request',
    call: () => Promise<void>,
  ): Promise<void> => {
    setAttempted(true);
    if (!validation.ok || busy) return;
    const asked = generation.current;
    setBusy(kind);
    setServerErrors({});
    setFailure(undefined);
    try {
      await call();
    } catch (error) {
      if (asked !== generation.current) return;
      if (
        error instanceof RegionRequestError &&
        Object.keys(error.fields).length > 0
      ) {
        setServerErrors(error.fields);
      } else {
        setFailure(error as Error);
      }
    } finally {
      setBusy(undefined);
    }
  };

  const previewPlan = () =>
    ask('plan', async () => {
      const asked = generation.current;
      const response = await api.planRegion(request);
      if (asked === generation.current) setPlan(response);
    });

  /** Requests the region; where its environment needs approval, with the reason, for approval. */
  const requestRegion = (reason?: string) =>
    // Requesting a region that exists would only start a run with nothing to do.
    regionExists
      ? Promise.resolve()
      : ask('request', async () => {
          const outcome = await api.requestRegion({ ...request, reason });
          navigate(
            isChangeResponse(outcome)
              ? paths.change(outcome.change.id)
              : paths.run(outcome.run.id),
          );
        });

  return {
    values,
    environment,
    validation,
    errorOf,
    otherErrors,
    regionExists,
    failure,
    plan,
    busy,
    setField,
    setCount,
    previewPlan,
    requestRegion,
  };
}
