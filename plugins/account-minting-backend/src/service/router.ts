import express from 'express';
import Router from 'express-promise-router';
import { HealthResponse } from '@regional-minting/plugin-account-minting-common';

/** The plugin's REST API, mounted at /api/account-minting. */
export async function createRouter(options: {
  health: () => Promise<HealthResponse>;
}): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    const health = await options.health();
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });

  return router;
}
