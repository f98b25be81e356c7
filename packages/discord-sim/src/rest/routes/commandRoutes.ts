import { validateCommands } from '../../commandValidation.ts';
import { snowflake } from '../../snowflake.ts';
import type { RegisteredCommand } from '../../types.ts';
import type { RestDeps } from '../RestDeps.ts';
import { err, invalidForm, isReply, MISSING_ACCESS, ok, type Reply, type Route } from '../reply.ts';

/** Global and guild application commands: bulk overwrite, create, list, get, delete. */
export function commandRoutes({ state }: RestDeps): Route[] {
  const { applicationId } = state.identity;
  const commandsFor = (guildId: string | undefined): RegisteredCommand[] | Reply => {
    if (guildId === undefined) return state.globalCommands;
    const g = state.guilds.get(guildId);
    if (!g || g.removed) return MISSING_ACCESS();
    let list = state.guildCommands.get(guildId);
    if (!list) state.guildCommands.set(guildId, (list = []));
    return list;
  };
  const toCommand = (raw: Record<string, unknown>, guildId: string | undefined, existing: RegisteredCommand | undefined): RegisteredCommand => ({
    type: 1,
    description: '',
    default_member_permissions: null,
    dm_permission: true,
    nsfw: false,
    integration_types: [0],
    contexts: null,
    ...raw,
    id: existing?.id ?? snowflake(),
    application_id: applicationId,
    ...(guildId ? { guild_id: guildId } : {}),
    version: snowflake(),
    name: String(raw.name),
  }) as RegisteredCommand;
  const appCheck = (app: string | undefined): Reply | null => (app === applicationId ? null : MISSING_ACCESS());

  return [
    ['PUT', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/, (m, ctx) => {
      const bad = appCheck(m[1]);
      if (bad) return bad;
      const list = commandsFor(m[2]);
      if (isReply(list)) return list;
      const body = ctx.json as unknown;
      const errors = validateCommands(body);
      if (errors.length) return invalidForm(errors);
      const next = (body as Record<string, unknown>[]).map((raw) => toCommand(raw, m[2], list.find((c) => c.name === raw.name && c.type === ((raw.type as number | undefined) ?? 1))));
      list.splice(0, list.length, ...next);
      return ok(next);
    }, true],
    ['POST', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/, (m, ctx) => {
      const bad = appCheck(m[1]);
      if (bad) return bad;
      const list = commandsFor(m[2]);
      if (isReply(list)) return list;
      const errors = validateCommands([ctx.json]);
      if (errors.length) return invalidForm(errors.map((e) => ({ ...e, path: e.path.slice(1) })));
      const type = (ctx.json.type as number | undefined) ?? 1;
      const i = list.findIndex((c) => c.name === ctx.json.name && c.type === type);
      const cmd = toCommand(ctx.json, m[2], list[i]);
      if (i >= 0) list[i] = cmd;
      else list.push(cmd);
      return ok(cmd, i >= 0 ? 200 : 201);
    }, true],
    ['GET', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/, (m) => {
      const bad = appCheck(m[1]);
      if (bad) return bad;
      const list = commandsFor(m[2]);
      return isReply(list) ? list : ok(list);
    }, true],
    ['GET', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands\/(\d+)$/, (m) => {
      const list = appCheck(m[1]) ?? commandsFor(m[2]);
      if (isReply(list)) return list;
      const cmd = list.find((c) => c.id === m[3]);
      return cmd ? ok(cmd) : err(404, 10063, 'Unknown application command');
    }, true],
    ['DELETE', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands\/(\d+)$/, (m) => {
      const list = appCheck(m[1]) ?? commandsFor(m[2]);
      if (isReply(list)) return list;
      const i = list.findIndex((c) => c.id === m[3]);
      if (i < 0) return err(404, 10063, 'Unknown application command');
      list.splice(i, 1);
      return { status: 204 };
    }, true],
  ];
}
