import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Where the build puts the page (`npm run build` bundles web/ops into dist/web/ops). */
const OPS_ASSETS = path.resolve(__dirname, '../../web/ops');

// The page loads only its own files and talks only to this origin: a browser enforces it.
const CSP = ["default-src 'self'", "img-src 'self' data:", "style-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"].join('; ');

/**
 * GET /ops (and /ops/…, so a reload on a section works) answers the page; /ops/assets/ its script
 * and stylesheet, named by content hash and cached for good.
 */
export function opsRouter(): Router {
  const router = Router();
  const index = path.join(OPS_ASSETS, 'index.html');
  router.use('/ops/assets', express.static(path.join(OPS_ASSETS, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  router.get('/ops{/*section}', (_req, res) => {
    if (!existsSync(index)) return void res.status(503).type('text').send('The ops page is not built: run npm run build');
    res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    res.sendFile(index);
  });
  return router;
}
