import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { PAGE_STYLE_CSP_SOURCE } from './pages/html.ts';
import { ADMIN_QUEUES_PATH as ADMIN_PREFIX } from './routes/adminRoutes.ts';

const common = {
  // An operator's other subdomains are not ours to pin to HTTPS.
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  referrerPolicy: { policy: 'no-referrer' as const },
  xFrameOptions: { action: 'deny' as const },
};

/**
 * The pages kickcord renders itself (connect result, leaderboard, errors) have no scripts, no images and
 * one inline style block, allowed by its hash; JSON answers get the same headers.
 */
const pageHeaders = helmet({
  ...common,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: [PAGE_STYLE_CSP_SOURCE],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
});

/**
 * Bull Board is a single-page app: its own scripts and styles from `static/`, inline style attributes
 * (loading screen, React), fonts from Google Fonts, API calls to itself, and a `<base href>`.
 */
const adminHeaders = helmet({
  ...common,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
      fontSrc: ["'self'", 'https://fonts.gstatic.com', 'data:'],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
});

/**
 * Security headers (helmet) for every Express answer — pages, JSON, 404s and errors; Bull Board under
 * `/admin/queues` gets a CSP it can work with. The webhook route is not served by Express and gets none.
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    const admin = path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
    (admin ? adminHeaders : pageHeaders)(req, res, next);
  };
}
