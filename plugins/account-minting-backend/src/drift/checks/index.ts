import { checkBootstrap } from './bootstrapCheck';
import { checkMint } from './mintCheck';
import { checkProvision } from './provisionCheck';
import { CheckHandler } from './types';

export { checkSteps } from './types';
export type { CheckContext, CheckHandler, CheckedPipeline } from './types';

/** The handler of each drift check's steps, by step kind. */
export const checkHandlers: Record<string, CheckHandler> = {
  'check-mint': checkMint,
  'check-bootstrap': checkBootstrap,
  'check-provision': checkProvision,
};
