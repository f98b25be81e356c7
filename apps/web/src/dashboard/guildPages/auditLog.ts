import { auditActors, listAudit } from '@kickcord/db';
import { auditPage } from '../dashboardPages.ts';
import type { GuildPage } from '../guildPageKit.ts';

/** Audit entries shown on one page. */
export const AUDIT_PAGE_SIZE = 100;

const SNOWFLAKE = /^\d{15,21}$/;

/** The audit log: who changed what and when, from Discord or the dashboard, filterable by person. */
export const auditGuildPage: GuildPage = {
  key: 'audit',
  label: 'Audit log',
  path: 'audit',
  register(kit) {
    const { prisma } = kit.ctx;
    kit.router.get('/:guildId/audit', kit.forGuild({}, async (req, res, access, v) => {
      const actor = typeof req.query.actor === 'string' ? req.query.actor : undefined;
      const actorId = actor && SNOWFLAKE.test(actor) ? actor : null;
      const [entries, actors] = await Promise.all([
        listAudit(prisma, access.guild.id, { limit: AUDIT_PAGE_SIZE, ...(actorId ? { actorId } : {}) }),
        auditActors(prisma, access.guild.id),
      ]);
      kit.send(res, auditPage({ viewer: v, guild: kit.nav(access, 'audit'), entries, actors, actorId }));
    }));
  },
};
