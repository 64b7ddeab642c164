import { ReactNode } from 'react';
import { ago, fullTime } from './time';

/** How long ago something happened, with the full time on hover; `not yet` before it did. */
export function When(props: { iso?: string; suffix?: ReactNode }) {
  if (!props.iso) return <>not yet</>;
  return (
    <span title={fullTime(props.iso)}>
      {ago(props.iso)}
      {props.suffix}
    </span>
  );
}
