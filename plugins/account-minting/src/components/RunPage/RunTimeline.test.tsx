import { renderInTestApp } from '@backstage/frontend-test-utils';
import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunTimeline } from './RunTimeline';
import { T0, at, testRun } from '../../__testUtils__/testRuns';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

function barOf(stepTitle: string): HTMLElement {
  return within(
    screen.getByRole('button', { name: new RegExp(`^${stepTitle},`) }),
  ).getByTestId('timeline-bar');
}

describe('RunTimeline', () => {
  it('shows each step after the steps it depends on', () => {
    renderInTestApp(
      <RunTimeline run={testRun()} now={T0 + 100_000} onSelect={jest.fn()} />,
    );

    const chart = screen.getByRole('figure', { name: 'Run timeline' });
    const rows = within(chart).getAllByRole('button');
    expect(rows.map(row => row.getAttribute('aria-label'))).toEqual([
      'Mint the region OU, succeeded, 10.0s',
      'Mint account rc, succeeded, 40.0s',
      'Bootstrap rc, running, 50.0s',
      'Mint account dev, succeeded, 20.0s',
      'Bootstrap dev, pending',
    ]);
  });

  it('places each bar on the run’s time axis, so that parallel steps overlap', () => {
    renderInTestApp(
      <RunTimeline run={testRun()} now={T0 + 100_000} onSelect={jest.fn()} />,
    );

    expect(barOf('Mint the region OU')).toHaveStyle({
      left: '0%',
      width: '10%',
    });
    // Both accounts were minted at once, from 10 s on.
    expect(barOf('Mint account rc')).toHaveStyle({ left: '10%', width: '40%' });
    expect(barOf('Mint account dev')).toHaveStyle({
      left: '10%',
      width: '20%',
    });
    // Still running: it extends to now, the end of the axis.
    expect(barOf('Bootstrap rc')).toHaveStyle({ left: '50%', width: '50%' });
    // Not started: a placeholder from where its dependency ended.
    expect(barOf('Bootstrap dev')).toHaveStyle({ left: '30%', width: '70%' });
  });

  it('ends the axis when a finished run ended, and gives instant steps a width', () => {
    const run = testRun({ status: 'succeeded', finishedAt: at(200) });
    run.steps[1] = {
      ...run.steps[1],
      status: 'succeeded',
      finishedAt: at(50),
    };
    renderInTestApp(
      <RunTimeline run={run} now={T0 + 999_000} onSelect={jest.fn()} />,
    );

    expect(barOf('Mint account rc')).toHaveStyle({ left: '5%', width: '20%' });
    expect(barOf('Bootstrap rc')).toHaveStyle({ left: '25%', width: '0.5%' });
    expect(screen.getByText('1m 00s')).toBeInTheDocument();
  });

  it('draws each attempt of a retried step apart, not one bar over the time between', () => {
    const run = testRun({ status: 'succeeded', finishedAt: at(100) });
    run.steps[1] = {
      ...run.steps[1],
      status: 'succeeded',
      attempts: 1,
      startedAt: at(50),
      finishedAt: at(100),
      // Failed at 60 s; the run was retried at 80 s.
      attemptSpans: [
        { startedAt: at(50), finishedAt: at(60) },
        { startedAt: at(80), finishedAt: at(100) },
      ],
    };
    renderInTestApp(
      <RunTimeline run={run} now={T0 + 999_000} onSelect={jest.fn()} />,
    );

    const row = screen.getByRole('button', { name: /^Bootstrap rc,/ });
    // The time the step ran, not the 50 s from its first start to its end.
    expect(row).toHaveAttribute(
      'aria-label',
      'Bootstrap rc, succeeded, 30.0s, 2 attempts',
    );
    const bars = within(row).getAllByTestId('timeline-bar');
    expect(bars).toHaveLength(2);
    expect(bars[0]).toHaveStyle({ left: '50%', width: '10%' });
    expect(bars[0]).toHaveAttribute(
      'title',
      'Bootstrap rc: attempt 1 of 2, 10.0s',
    );
    expect(bars[1]).toHaveStyle({ left: '80%', width: '20%' });
    expect(bars[1]).toHaveAttribute(
      'title',
      'Bootstrap rc: attempt 2 of 2, 20.0s',
    );
  });

  it('selects a step when its row is clicked', async () => {
    const user = userEvent.setup();
    const onSelect = jest.fn();
    renderInTestApp(
      <RunTimeline
        run={testRun()}
        now={T0 + 100_000}
        selectedStepId="step-ou"
        onSelect={onSelect}
      />,
    );

    expect(
      screen.getByRole('button', { name: /^Mint the region OU,/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    const rc = screen.getByRole('button', { name: /^Mint account rc,/ });
    expect(rc).toHaveAttribute('aria-pressed', 'false');

    await user.click(rc);
    expect(onSelect).toHaveBeenCalledWith('step-account:rc');
  });
});
