import { gatherGuildStatus, issueConnectLink } from '@kickcord/connections';
import { recordAudit } from '@kickcord/db';
import { overviewPage } from '../dashboardPages.ts';
import type { GuildPage } from '../guildPageKit.ts';

/** The guild's overview: Kick connection, subscriptions, replies, problems, and a reconnect link. */
export const overviewGuildPage: GuildPage = {
  key: 'overview',
  label: 'Overview',
  path: '',
  register(kit) {
    const { prisma, cipher, config } = kit.ctx;
    kit.router.get('/:guildId', kit.forGuild({}, async (req, res, access, v) => {
      const status = await gatherGuildStatus(prisma, access.guild.id);
      kit.send(res, overviewPage({ viewer: v, guild: kit.nav(access, 'overview'), status }));
    }));

    kit.router.post('/:guildId/reconnect', kit.forGuild({}, async (req, res, access, v) => {
      const { url } = await issueConnectLink(prisma, cipher, { guildId: access.guild.id, discordUserId: req.session.user!.id, publicUrl: config.publicUrl, now: new Date() });
      await recordAudit(prisma, { guildId: access.guild.id, actorId: req.session.user!.id, actorName: req.session.user!.username, source: 'dashboard', action: 'kick.connect_link', detail: {} });
      const status = await gatherGuildStatus(prisma, access.guild.id);
      kit.send(res, overviewPage({ viewer: v, guild: kit.nav(access, 'overview'), status, reconnectUrl: url }));
    }));
  },
};
