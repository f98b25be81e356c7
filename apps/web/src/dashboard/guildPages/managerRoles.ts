import { recordAudit } from '@kickcord/db';
import { managerRolesPage } from '../dashboardPages.ts';
import type { GuildPage } from '../guildPageKit.ts';

/** Most manager roles one guild may pick. */
export const MAX_MANAGER_ROLES = 25;

/** Manager roles: which roles may use the dashboard (only members with Manage Server open this page). */
export const managerRolesGuildPage: GuildPage = {
  key: 'roles',
  label: 'Manager roles',
  path: 'roles',
  manageServerOnly: true,
  register(kit) {
    const { prisma } = kit.ctx;
    const pickableRoles = async (guildId: string) => (await kit.roles(guildId)).filter((r) => !r.managed);

    kit.router.get('/:guildId/roles', kit.forGuild({ manageServer: true }, async (req, res, access, v) => {
      const [roles, picked] = await Promise.all([pickableRoles(access.guild.id), prisma.dashboardManagerRole.findMany({ where: { guildId: access.guild.id } })]);
      const chosen = new Set(picked.map((p) => p.roleId));
      kit.send(res, managerRolesPage({ viewer: v, guild: kit.nav(access, 'roles'), roles: roles.map((r) => ({ id: r.id, name: r.name, checked: chosen.has(r.id) })), saved: req.query.saved === '1' }));
    }));

    kit.router.post('/:guildId/roles', kit.forGuild({ manageServer: true }, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const raw = (req.body as Record<string, unknown>).roles;
      const asked = [...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String))];
      const roles = await pickableRoles(guildId);
      const known = new Set(roles.map((r) => r.id));
      const unknown = asked.filter((id) => !known.has(id));
      const current = (await prisma.dashboardManagerRole.findMany({ where: { guildId } })).map((r) => r.roleId);
      const page = (error: string) =>
        kit.send(res, managerRolesPage({ viewer: v, guild: kit.nav(access, 'roles'), roles: roles.map((r) => ({ id: r.id, name: r.name, checked: current.includes(r.id) })), error }), 400);
      if (unknown.length) return void page(`Nothing was changed: ${unknown.length === 1 ? 'one role is' : `${unknown.length} roles are`} not a role of ${access.guild.name} that can be picked (@everyone and roles managed by an integration cannot).`);
      if (asked.length > MAX_MANAGER_ROLES) return void page(`Nothing was changed: pick at most ${MAX_MANAGER_ROLES} roles.`);
      const added = asked.filter((id) => !current.includes(id));
      const removed = current.filter((id) => !asked.includes(id));
      if (added.length || removed.length) {
        await prisma.$transaction([
          prisma.dashboardManagerRole.deleteMany({ where: { guildId, roleId: { in: removed } } }),
          prisma.dashboardManagerRole.createMany({ data: added.map((roleId) => ({ guildId, roleId, addedBy: req.session.user!.id })), skipDuplicates: true }),
        ]);
        const name = (id: string) => roles.find((r) => r.id === id)?.name ?? id;
        await recordAudit(prisma, {
          guildId,
          actorId: req.session.user!.id,
          actorName: req.session.user!.username,
          source: 'dashboard',
          action: 'dashboard.manager_roles',
          detail: { added: added.map(name), removed: removed.map(name) },
        });
      }
      res.set('cache-control', 'no-store').redirect(303, `/dashboard/${guildId}/roles?saved=1`);
    }));
  },
};
