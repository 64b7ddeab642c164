import { InputError } from '@backstage/errors';
import { Page } from '@regional-minting/plugin-account-minting-common';
import { Knex } from 'knex';
import { StepLogRow, toLogLine } from './rows';
import { StepLogLine } from './types';

/** Log lines a page holds when the caller does not say. */
export const DEFAULT_LOG_PAGE = 1000;
/** The most log lines a page holds. */
export const MAX_LOG_PAGE = 5000;

/** The log lines of steps, in the order written. */
export interface LogStore {
  appendLog(line: {
    runId: string;
    stepId: string;
    level: StepLogLine['level'];
    message: string;
  }): Promise<void>;
  /**
   * Log lines of a run in the order written, a page at a time: `limit` lines (at
   * most MAX_LOG_PAGE) after the line with id `afterId`. `nextCursor`, the last
   * line's id, is there when the page is full: more lines may follow it.
   */
  getLogs(
    runId: string,
    options?: { stepId?: string; afterId?: number; limit?: number },
  ): Promise<Page<StepLogLine & { id: number }>>;
}

/** The log store on the plugin's database. */
export class DatabaseLogStore implements LogStore {
  private readonly knex: Knex;
  private readonly now: () => Date;

  constructor(options: { knex: Knex; now?: () => Date }) {
    this.knex = options.knex;
    this.now = options.now ?? (() => new Date());
  }

  async appendLog(line: {
    runId: string;
    stepId: string;
    level: StepLogLine['level'];
    message: string;
  }): Promise<void> {
    await this.knex('step_logs').insert({
      run_id: line.runId,
      step_id: line.stepId,
      time: this.now(),
      level: line.level,
      message: line.message,
    });
  }

  async getLogs(
    runId: string,
    options: { stepId?: string; afterId?: number; limit?: number } = {},
  ): Promise<Page<StepLogLine & { id: number }>> {
    const limit = options.limit ?? DEFAULT_LOG_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_PAGE) {
      throw new InputError(
        `limit: must be a whole number from 1 to ${MAX_LOG_PAGE}`,
      );
    }
    const rows: StepLogRow[] = await this.knex('step_logs')
      .where('run_id', runId)
      .modify(query => {
        if (options.stepId !== undefined) {
          query.where('step_id', options.stepId);
        }
        if (options.afterId !== undefined) {
          query.where('id', '>', options.afterId);
        }
      })
      .orderBy('id')
      .limit(limit);
    const items = rows.map(toLogLine);
    const last = items.at(-1);
    return items.length === limit && last
      ? { items, nextCursor: String(last.id) }
      : { items };
  }
}
