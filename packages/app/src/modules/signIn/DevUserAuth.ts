import type {
  BackstageIdentityApi,
  BackstageIdentityResponse,
  DiscoveryApi,
  ProfileInfo,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/frontend-plugin-api';
import { SessionState } from '@backstage/frontend-plugin-api';

type Session = { profile: ProfileInfo; identity: BackstageIdentityResponse };
type SessionStateObservable = ReturnType<SessionApi['sessionState$']>;

// Fetch a new token this long before the current one expires.
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Signs in as one configured user of the backend's devUsers provider (development only):
 * GET /api/auth/devUsers/refresh?user=<ref> answers with a Backstage token for that catalog user.
 * Nothing is asked of the user, as with the guest, so a remembered sign-in needs no click.
 */
export class DevUserAuth
  implements ProfileInfoApi, BackstageIdentityApi, SessionApi
{
  private session?: { value: Session; refreshAt: number };
  private pending?: Promise<Session>;
  private readonly listeners = new Set<(state: SessionState) => void>();

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      userEntityRef: string;
    },
  ) {}

  async getBackstageIdentity(options?: {
    optional?: boolean;
  }): Promise<BackstageIdentityResponse | undefined> {
    try {
      return (await this.getSession()).identity;
    } catch (error) {
      // optional: a check whether one is signed in, where "no" is the answer to a failure
      if (options?.optional) {
        return undefined;
      }
      throw error;
    }
  }

  async getProfile(): Promise<ProfileInfo | undefined> {
    return (await this.getSession()).profile;
  }

  async signIn(): Promise<void> {
    await this.getSession();
  }

  async signOut(): Promise<void> {
    this.session = undefined;
    this.pending = undefined;
    this.notify(SessionState.SignedOut);
  }

  sessionState$(): SessionStateObservable {
    const listeners = this.listeners;
    const current = () =>
      this.session ? SessionState.SignedIn : SessionState.SignedOut;
    const observable: SessionStateObservable = {
      [Symbol.observable]: () => observable,
      subscribe(
        next?:
          | { next?: (state: SessionState) => void }
          | ((state: SessionState) => void),
      ) {
        const listener = (state: SessionState) =>
          typeof next === 'function' ? next(state) : next?.next?.(state);
        listeners.add(listener);
        listener(current());
        const subscription = {
          closed: false,
          unsubscribe() {
            listeners.delete(listener);
            subscription.closed = true;
          },
        };
        return subscription;
      },
    } as SessionStateObservable;
    return observable;
  }

  private async getSession(): Promise<Session> {
    if (this.session && Date.now() < this.session.refreshAt) {
      return this.session.value;
    }
    if (!this.pending) {
      this.pending = this.fetchSession().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async fetchSession(): Promise<Session> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('auth');
    const user = encodeURIComponent(this.options.userEntityRef);
    const response = await fetch(`${baseUrl}/devUsers/refresh?user=${user}`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
      credentials: 'include',
    });
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      throw new Error(
        `Could not sign in as ${this.options.userEntityRef}: ${
          body?.error?.message ?? `${response.status} ${response.statusText}`
        }`,
      );
    }
    const { profile, backstageIdentity } = await response.json();
    const value: Session = {
      profile: profile ?? {},
      identity: backstageIdentity,
    };
    const wasSignedIn = Boolean(this.session);
    this.session = {
      value,
      refreshAt: tokenExpiry(backstageIdentity.token) - EXPIRY_MARGIN_MS,
    };
    if (!wasSignedIn) {
      this.notify(SessionState.SignedIn);
    }
    return value;
  }

  private notify(state: SessionState) {
    this.listeners.forEach(listener => listener(state));
  }
}

// The token's exp claim in milliseconds; a short life when it has none.
function tokenExpiry(token: string): number {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const { exp } = JSON.parse(window.atob(payload));
    if (typeof exp === 'number') {
      return exp * 1000;
    }
  } catch {
    // fall through to the default below
  }
  return Date.now() + 5 * 60_000;
}
