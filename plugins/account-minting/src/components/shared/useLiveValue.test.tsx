import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { JsonObject } from '@backstage/types';
import { act, configure, screen } from '@testing-library/react';
import { useLiveValue } from './useLiveValue';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

function Counter(props: { load: () => Promise<number> }) {
  const { value } = useLiveValue(props.load, [props.load], {
    intervalMs: 3_600_000,
    live: () => false,
    reloadOn: signal => signal.type === 'run' && signal.runId === 'run-1',
  });
  return <p>loaded {value ?? 'nothing'}</p>;
}

function Failing(props: {
  kind: 'refused' | 'down';
  attempts: Record<'refused' | 'down', number>;
}) {
  const { error } = useLiveValue(
    async () => {
      props.attempts[props.kind]++;
      throw Object.assign(new Error(props.kind), {
        statusCode: props.kind === 'refused' ? 404 : 503,
      });
    },
    [props.kind],
    { intervalMs: 1000, live: () => true },
  );
  return <p>{error?.message ?? 'loading'}</p>;
}

describe('useLiveValue', () => {
  it("loads again at once when the backend signals a change it follows, and not for others'", async () => {
    let loads = 0;
    const load = async () => ++loads;
    const subscribers: ((message: JsonObject) => void)[] = [];
    const signals: SignalApi = {
      subscribe<T extends JsonObject>(
        channel: string,
        onMessage: (message: T) => void,
      ) {
        expect(channel).toBe('account-minting');
        subscribers.push(onMessage as (message: JsonObject) => void);
        return { unsubscribe: () => {} };
      },
    };
    renderInTestApp(<Counter load={load} />, {
      apis: [[signalApiRef, signals]],
    });
    expect(await screen.findByText('loaded 1')).toBeInTheDocument();

    act(() =>
      subscribers.forEach(s =>
        s({ type: 'run', runId: 'run-2', status: 'succeeded', region: 'r' }),
      ),
    );
    act(() =>
      subscribers.forEach(s =>
        s({ type: 'run', runId: 'run-1', status: 'succeeded', region: 'r' }),
      ),
    );
    expect(await screen.findByText('loaded 2')).toBeInTheDocument();
    expect(loads).toBe(2);
  });

  it('asks a backend that did not answer again, and not one that refused', async () => {
    jest.useFakeTimers();
    try {
      const attempts = { refused: 0, down: 0 };
      renderInTestApp(
        <>
          <Failing kind="refused" attempts={attempts} />
          <Failing kind="down" attempts={attempts} />
        </>,
      );
      await act(() => jest.advanceTimersByTimeAsync(10_000));
      expect(attempts.refused).toBe(1);
      expect(attempts.down).toBe(6);
    } finally {
      jest.useRealTimers();
    }
  });
});
