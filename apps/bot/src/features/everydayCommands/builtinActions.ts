/**
 * The built-in chat commands' guild action (`/commands builtin enable|disable|rename` and the dashboard's Chat extras
 * page): turns a built-in on or off and changes the name it answers to, with `/commands builtin`'s own texts.
 */
import type { AuditDetailValue } from '@kickcord/db';
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { guildSettings } from '../../guildSettings.ts';
import { checkedBuiltin, listBuiltins, renameBuiltin, setBuiltinEnabled } from './builtinSettings.ts';

/** What `builtins.update` says when a built-in is switched on or off (the name it answers to in bold). */
export function builtinStateText(prefix: string, name: string, enabled: boolean): string {
  return enabled ? `**${prefix}${name}** is on.` : `**${prefix}${name}** is off: kickcord no longer answers it in Kick chat.`;
}

/**
 * One built-in: `enabled` turns it on or off, `name` renames it (its default name puts it back); either may be left
 * out. A refused name changes nothing. Audited when its name or state changed.
 */
export const updateBuiltin = defineGuildAction({
  name: 'builtins.update',
  input: z.object({
    command: z.string({ error: 'Say which built-in chat command.' }).max(40, 'That is not a built-in chat command.'),
    enabled: z.boolean().optional(),
    name: z.string().max(64, 'Command names are at most 32 characters.').optional(),
  }),
  async run(ctx, call, input) {
    const builtin = checkedBuiltin(input.command);
    const { commandPrefix: prefix } = await guildSettings(ctx.prisma, call.guildId);
    const before = (await listBuiltins(ctx, call.guildId)).find((b) => b.builtin === builtin);
    let after = before;
    if (input.name !== undefined) after = await renameBuiltin(ctx, call.guildId, builtin, input.name);
    if (input.enabled !== undefined && (input.name === undefined || after?.enabled !== input.enabled)) after = await setBuiltinEnabled(ctx, call.guildId, builtin, input.enabled);
    if (!before || !after) throw new Error(`built-in ${builtin} missing from the resolved list`);
    const detail: Record<string, AuditDetailValue> = { builtin };
    if (before.name !== after.name) detail.name = { from: before.name, to: after.name };
    if (before.enabled !== after.enabled) detail.enabled = { from: before.enabled, to: after.enabled };
    if (Object.keys(detail).length > 1) await auditAction(ctx, call, 'builtins.update', detail);
    const renamed = after.name === builtin ? `**${prefix}${builtin}** answers to its own name again.` : `The built-in ${prefix}${builtin} now answers to **${prefix}${after.name}** (and no longer to ${prefix}${builtin}).`;
    // The slash command's enable/disable (and a form whose name stayed the same) answer with the state only.
    if (input.name === undefined || (input.enabled !== undefined && before.name === after.name)) return { message: builtinStateText(prefix, after.name, after.enabled) };
    if (input.enabled !== undefined) return { message: `${renamed} ${after.enabled ? 'It is on.' : 'It is off: kickcord does not answer it in Kick chat.'}` };
    return { message: `${renamed}${after.enabled ? '' : ' It is off — turn it on with /commands builtin enable.'}` };
  },
});
