import { useLayoutEffect, useState } from 'react';

/**
 * The laid-out height of an element, followed as it changes (the window grows or
 * shrinks): attach the returned ref to the element. Zero until it has been measured.
 */
export function useElementHeight(): [
  (element: HTMLElement | null) => void,
  number,
] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    if (!element) return undefined;
    // Measured at once, so that the first paint has the right size.
    setHeight(element.getBoundingClientRect().height);
    const observer = new ResizeObserver(entries =>
      setHeight(entries[entries.length - 1].contentRect.height),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, height];
}
