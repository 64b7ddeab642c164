import { useSignal } from '@backstage/plugin-signals-react';
import {
  MINTING_SIGNAL_CHANNEL,
  MintingSignal,
} from '@regional-minting/plugin-account-minting-common';
import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** A 4xx: asking again would get the same answer. */
function isRefusal(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status !== undefined && status >= 400 && status < 500;
}

export interface LiveValue<T> {
  value?: T;
  /** The last load's error; the value of an earlier load stays shown beside it. */
  error?: Error;
  /** True until the first load ends. */
  loading: boolean;
  /** Loads again now. */
  reload(): void;
}

/** Where a view keeps its last value while it is not shown, such as the estate across tab switches. */
export interface ValueCache<T> {
  get(): T | undefined;
  set(value: T): void;
}

/**
 * Loads a value, then loads it again every `intervalMs` while `live(value)` holds:
 * how the portal follows runs until they finish. Where the app has signals, a
 * signal of the backend that `reloadOn` picks loads it again at once too. A reload
 * keeps the shown value until the new one arrives, so that nothing flickers. With a
 * `cache`, a view shown again starts from the value it last had, and loads it again
 * behind it.
 */
export function useLiveValue<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: {
    intervalMs: number;
    live: (value: T) => boolean;
    reloadOn?: (signal: MintingSignal) => boolean;
    cache?: ValueCache<T>;
  },
): LiveValue<T> {
  const [state, setState] = useState<{ value?: T; error?: Error }>(() => {
    const cached = options.cache?.get();
    return cached === undefined ? {} : { value: cached };
  });
  const [loading, setLoading] = useState(state.value === undefined);
  const [generation, setGeneration] = useState(0);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const shownRef = useRef<{ value: T } | undefined>(
    state.value === undefined ? undefined : { value: state.value },
  );
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const loadNow = useCallback(load, deps);
  const loadedFor = useRef(loadNow);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const value = await loadNow();
        if (stopped) return;
        // The same answer again (an unchanged read, kept by the client) draws nothing again.
        setState(previous =>
          previous.value === value && !previous.error ? previous : { value },
        );
        shownRef.current = { value };
        optionsRef.current.cache?.set(value);
        if (optionsRef.current.live(value)) {
          timer = setTimeout(tick, optionsRef.current.intervalMs);
        }
      } catch (error) {
        if (stopped) return;
        setState(previous => ({ ...previous, error: error as Error }));
        const shown = shownRef.current;
        const followed =
          shown === undefined || optionsRef.current.live(shown.value);
        // A backend that did not answer is asked again while what it shows is followed;
        // a refusal (such as a run that does not exist) is not.
        if (followed && !isRefusal(error)) {
          timer = setTimeout(tick, optionsRef.current.intervalMs * 2);
        }
      } finally {
        if (!stopped) setLoading(false);
      }
    };
    tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [loadNow, generation]);

  useEffect(() => {
    if (loadedFor.current === loadNow) return;
    loadedFor.current = loadNow;
    // A new target starts over rather than showing the previous one's value.
    setState({});
    shownRef.current = undefined;
    setLoading(true);
  }, [loadNow]);

  const reload = useCallback(() => setGeneration(g => g + 1), []);

  const { lastSignal } = useSignal<MintingSignal>(MINTING_SIGNAL_CHANNEL);
  useEffect(() => {
    if (lastSignal && optionsRef.current.reloadOn?.(lastSignal)) reload();
  }, [lastSignal, reload]);

  return { ...state, loading, reload };
}
