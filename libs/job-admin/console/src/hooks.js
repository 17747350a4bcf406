import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * Loads with `load()` now, again whenever `key` changes, and every `everyMs` while `auto` holds.
 * Answers the last result, the last error, and `reload`.
 */
export function useLoaded(load, key, { auto, everyMs = 5000 }) {
  const [state, setState] = useState({ value: undefined, error: undefined });
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    try {
      setState({ value: await latest.current(), error: undefined });
    } catch (error) {
      setState((before) => ({ value: before.value, error }));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [key, reload]);
  useEffect(() => {
    if (!auto) return undefined;
    const timer = setInterval(() => void reload(), everyMs);
    return () => clearInterval(timer);
  }, [auto, everyMs, reload]);
  return { ...state, reload };
}
