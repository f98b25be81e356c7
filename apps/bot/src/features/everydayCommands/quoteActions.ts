/**
 * The quotes' guild actions (`/quotes remove|edit|settings` and the dashboard's Chat extras page): a quote is named
 * by its number (the slash command) or its id (the dashboard's forms), and must be a quote of the guild either way.
 */
import { USER_LEVELS, isUserLevel } from '@kickcord/core';
import type { Quote } from '@kickcord/db';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { forgetGuildSettings, guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { checkedQuoteText, formatQuote, quoteByNumber } from './quotes.ts';

/** Which quote a change is about: `id` (the dashboard) or `number` (the slash command). */
const quoteTarget = {
  id: z.uuid({ error: 'That is not a quote id.' }).optional(),
  number: z.number({ error: 'A quote number is a whole number from 1.' }).int('A quote number is a whole number from 1.').min(1, 'A quote number is a whole number from 1.').optional(),
};

/** The guild's quote named by `target`, or the refusal a person reads. */
async function findQuote(ctx: Pick<BotContext, 'prisma'>, call: GuildActionCall, target: { id?: string | undefined; number?: number | undefined }): Promise<Quote> {
  if (target.id !== undefined) {
    const found = await ctx.prisma.quote.findFirst({ where: { id: target.id, guildId: call.guildId } });
    if (!found) throw new UserFacingError('That quote is not in this server any more — it may have just been removed. Reload the page.');
    return found;
  }
  if (target.number === undefined) throw new UserFacingError('Say which quote: its number.');
  const found = await quoteByNumber(ctx, call.guildId, target.number);
  if (!found) throw new UserFacingError(`There is no quote #${target.number}.`);
  return found;
}

/** `/quotes edit`: new words for a quote (audited when they differ). */
export const editQuoteAction = defineGuildAction({
  name: 'quotes.edit',
  input: z.object({ ...quoteTarget, text: z.string({ error: 'Write the words of the quote.' }).max(10_000, 'The quote is far too long.') }),
  async run(ctx, call, input) {
    const quote = await findQuote(ctx, call, input);
    const text = checkedQuoteText(input.text);
    if (text === quote.text) return { message: `Quote ${formatQuote(quote)}`.slice(0, 2000) };
    const { count } = await ctx.prisma.quote.updateMany({ where: { id: quote.id, guildId: call.guildId }, data: { text } });
    if (count === 0) throw new UserFacingError(`There is no quote #${quote.number}.`);
    await auditAction(ctx, call, 'quotes.edit', { number: quote.number, text: { from: quote.text, to: text } });
    return { message: `Quote ${formatQuote({ ...quote, text })}`.slice(0, 2000) };
  },
});

/** `/quotes remove`: deletes a quote; the others keep their numbers. */
export const removeQuoteAction = defineGuildAction({
  name: 'quotes.remove',
  input: z.object(quoteTarget),
  async run(ctx, call, input) {
    const quote = await findQuote(ctx, call, input);
    const { count } = await ctx.prisma.quote.deleteMany({ where: { id: quote.id, guildId: call.guildId } });
    if (count === 0) throw new UserFacingError(`There is no quote #${quote.number}.`);
    await auditAction(ctx, call, 'quotes.remove', { number: quote.number, text: quote.text, addedBy: quote.addedByName });
    return { message: `Removed quote ${formatQuote(quote)}`.slice(0, 2000) };
  },
});

/** What `quotes.settings` says about who may add quotes. */
export function quoteAddLevelText(level: string): string {
  return `\`!quote add\` is now for **${level}**${level === 'broadcaster' ? '' : ' and up'}.`;
}

/** `/quotes settings`: the lowest user level that may `!quote add` (audited when it changed). */
export const quoteSettingsAction = defineGuildAction({
  name: 'quotes.settings',
  input: z.object({ addLevel: z.string({ error: `Level must be one of: ${USER_LEVELS.join(', ')}.` }).max(40, `Level must be one of: ${USER_LEVELS.join(', ')}.`) }),
  async run(ctx, call, input) {
    const level = input.addLevel;
    if (!isUserLevel(level)) throw new UserFacingError(`Level must be one of: ${USER_LEVELS.join(', ')}.`);
    const current = await guildSettings(ctx.prisma, call.guildId);
    if (current.quoteAddLevel !== level) {
      await ctx.prisma.guildSettings.update({ where: { guildId: call.guildId }, data: { quoteAddLevel: level } });
      await forgetGuildSettings(ctx, call.guildId);
      await auditAction(ctx, call, 'quotes.settings', { addLevel: { from: current.quoteAddLevel, to: level } });
    }
    return { message: quoteAddLevelText(level) };
  },
});

/** Every quote action. */
export const quoteActions = [editQuoteAction, removeQuoteAction, quoteSettingsAction] as const;
