import { SessionState } from '@backstage/frontend-plugin-api';
import { DevUserAuth } from './DevUserAuth';

// A token whose payload is only what DevUserAuth reads: its expiry.
const tokenExpiringIn = (seconds: number) =>
  `header.${window
    .btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + seconds }))
    .replace(/=+$/, '')}.signature`;

const identity = {
  type: 'user',
  userEntityRef: 'user:default/approver',
  ownershipEntityRefs: [
    'user:default/approver',
    'group:default/platform-approvers',
  ],
};

const answer = (status: number, body: object) =>
  ({
    ok: status < 400,
    status,
    statusText: 'x',
    json: async () => body,
  } as Response);

describe('DevUserAuth', () => {
  const fetchMock = jest.fn<Promise<Response>, [string, RequestInit]>();
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
  };
  const auth = () =>
    new DevUserAuth({ discoveryApi, userEntityRef: 'user:default/approver' });

  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as unknown as typeof fetch;
  });

  it('signs in as its user through the devUsers provider, once per token', async () => {
    fetchMock.mockResolvedValue(
      answer(200, {
        profile: { displayName: 'Approver (dev)' },
        backstageIdentity: { token: tokenExpiringIn(3600), identity },
      }),
    );
    const api = auth();

    await expect(api.getBackstageIdentity()).resolves.toMatchObject({
      identity,
    });
    await expect(api.getProfile()).resolves.toEqual({
      displayName: 'Approver (dev)',
    });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe(
      'http://backend/api/auth/devUsers/refresh?user=user%3Adefault%2Fapprover',
    );
  });

  it('reports signing out, and signs in afresh after', async () => {
    fetchMock.mockResolvedValue(
      answer(200, {
        profile: {},
        backstageIdentity: { token: tokenExpiringIn(3600), identity },
      }),
    );
    const api = auth();
    const states: SessionState[] = [];
    api.sessionState$().subscribe(state => states.push(state));

    await api.signIn();
    await api.signOut();
    await api.getBackstageIdentity();

    expect(states).toEqual([
      SessionState.SignedOut,
      SessionState.SignedIn,
      SessionState.SignedOut,
      SessionState.SignedIn,
    ]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("names the backend's refusal, and answers an optional check with no one", async () => {
    fetchMock.mockResolvedValue(
      answer(403, { error: { message: "'approver' is not one of ..." } }),
    );
    const api = auth();

    await expect(api.getBackstageIdentity()).rejects.toThrow(
      "Could not sign in as user:default/approver: 'approver' is not one of ...",
    );
    await expect(
      api.getBackstageIdentity({ optional: true }),
    ).resolves.toBeUndefined();
  });
});
