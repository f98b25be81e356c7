import { gatherGuildStatus, issueConnectLink } from '@kickcord/connections';
import { recordAudit } from '@kickcord/db';
import type { GuildActionResult } from '@kickcord/queue';
import type { Request, Response } from 'express';
import type { GuildAccess } from '../access.ts';
import { overviewPage, type OverviewForms, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/**
 * The guild's overview: Kick connection (with Disconnect), the connected and watched channels with their
 * subscriptions (Unwatch, and a form to watch another channel), replies, problems, and a reconnect link. Watch,
 * unwatch and disconnect go to the bot's `kick.*` actions, the code `/kick watch|unwatch|disconnect` runs.
 */
export const overviewGuildPage: GuildPage = {
  key: 'overview',
  label: 'Overview',
  path: '',
  register(kit) {
    const { prisma, cipher, config } = kit.ctx;

    const render = async (res: Response, access: GuildAccess, v: Viewer, extra: { reconnectUrl?: string; forms?: Omit<OverviewForms, 'newRequestId'> }, status = 200) => {
      const guildStatus = await gatherGuildStatus(prisma, access.guild.id);
      kit.send(res, overviewPage({ viewer: v, guild: kit.nav(access, 'overview'), status: guildStatus, ...(extra.reconnectUrl ? { reconnectUrl: extra.reconnectUrl } : {}), forms: { newRequestId: kit.newRequestId, ...extra.forms } }), status);
    };

    kit.router.get('/:guildId', kit.forGuild({}, async (req, res, access, v) => {
      const flash = await kit.takeFlash(req);
      await render(res, access, v, { forms: { notice: flash ? { ok: flash.ok, text: discordText(flash.text) } : null } });
    }));

    kit.router.post('/:guildId/reconnect', kit.forGuild({}, async (req, res, access, v) => {
      const { url } = await issueConnectLink(prisma, cipher, { guildId: access.guild.id, discordUserId: req.session.user!.id, publicUrl: config.publicUrl, now: new Date() });
      await recordAudit(prisma, { guildId: access.guild.id, actorId: req.session.user!.id, actorName: req.session.user!.username, source: 'dashboard', action: 'kick.connect_link', detail: {} });
      await render(res, access, v, { reconnectUrl: url });
    }));

    /** After a change: the bot's answer as a notice on the next page (303), or its refusal on this one (400). */
    const answer = async (req: Request, res: Response, access: GuildAccess, v: Viewer, result: GuildActionResult, anchor: string, refused?: Omit<OverviewForms, 'newRequestId'>) => {
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${access.guild.id}#${anchor}`);
      }
      await render(res, access, v, { forms: refused ?? { notice: { ok: false, text: discordText(result.error) } } }, 400);
    };

    kit.router.post('/:guildId/kick/watch', kit.forGuild({}, async (req, res, access, v) => {
      const slug = formField(req.body, 'slug');
      const result = await kit.runAction(req, access, 'kick.watch', { slug });
      await answer(req, res, access, v, result, 'channels', result.ok ? undefined : { watch: { slug, error: discordText(result.error) } });
    }));

    kit.router.post('/:guildId/kick/unwatch', kit.forGuild({}, async (req, res, access, v) => {
      const result = await kit.runAction(req, access, 'kick.unwatch', { slug: formField(req.body, 'slug') });
      await answer(req, res, access, v, result, 'channels');
    }));

    kit.router.post('/:guildId/kick/disconnect', kit.forGuild({}, async (req, res, access, v) => {
      const result = await kit.runAction(req, access, 'kick.disconnect', {});
      await answer(req, res, access, v, result, 'conn');
    }));
  },
};
