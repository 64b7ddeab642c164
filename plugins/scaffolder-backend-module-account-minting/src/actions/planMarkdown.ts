import type { PlanResponse } from '@regional-minting/plugin-account-minting-common';

/** A table cell's text: a pipe would end the cell and a line break the row. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

/**
 * The plan of a region as markdown, for a template's output: what it is, then a
 * table of its actions, one row each, in the order they would be done.
 */
export function planMarkdown(response: PlanResponse): string {
  const { plan } = response;
  const summary = `Plan of region **${cell(
    response.region,
  )}** in payer **${cell(plan.payer)}**: ${plan.changes} change${
    plan.changes === 1 ? '' : 's'
  }, nothing done.`;
  if (plan.actions.length === 0) {
    return `${summary}\n\nNothing to do: the region is as desired.`;
  }
  const rows = plan.actions.map(
    (action, index) =>
      `| ${index + 1} | ${cell(action.action)} | ${cell(
        action.target,
      )} | ${cell(action.reason)} |`,
  );
  return [
    summary,
    '',
    '| # | Action | Target | Reason |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
