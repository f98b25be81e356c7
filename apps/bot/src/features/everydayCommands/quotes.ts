/**
 * Quotes: saved from chat (`!quote add`) with the category of the open stream session and the date, read
 * by number or at random, edited and removed by moderators in Discord. Numbers are per guild; a new quote
 * takes the highest number plus one.
 */
import type { Quote } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { isUniqueViolation } from '../../database/isUniqueViolation.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { formatDay } from './formatDay.ts';

/** Longest quote, in characters (a quote must fit one Kick chat message with its number, category and date). */
export const MAX_QUOTE_LENGTH = 300;
/** Quotes one guild may keep. */
export const MAX_QUOTES = 5000;

type Db = Pick<BotContext, 'prisma'>;

/** Checks a quote's text: trimmed, not empty, at most {@link MAX_QUOTE_LENGTH} characters. */
export function checkedQuoteText(input: string): string {
  const text = input.replace(/\s+/gu, ' ').trim();
  if (text.length === 0) throw new UserFacingError('The quote is empty — write the words after "add".');
  if (text.length > MAX_QUOTE_LENGTH) throw new UserFacingError(`The quote is ${text.length} characters long — the limit is ${MAX_QUOTE_LENGTH}.`);
  return text;
}

/** Input of {@link addQuote}. */
export interface NewQuote {
  guildId: string;
  text: string;
  category: string | null;
  addedByName: string;
  addedByKickUserId: number | null;
  /** The Kick message that added it: a redelivered message adds nothing and gets the same quote back. */
  sourceMessageId: string | null;
  /** The date the quote shows. */
  addedAt: Date;
}

/** Saves a quote under the next number (once per source message). */
export async function addQuote(ctx: Db, input: NewQuote): Promise<Quote> {
  const text = checkedQuoteText(input.text);
  for (let attempt = 0; attempt < 8; attempt++) {
    if (input.sourceMessageId) {
      const existing = await ctx.prisma.quote.findUnique({ where: { guildId_sourceMessageId: { guildId: input.guildId, sourceMessageId: input.sourceMessageId } } });
      if (existing) return existing;
    }
    const stats = await ctx.prisma.quote.aggregate({ where: { guildId: input.guildId }, _max: { number: true }, _count: { _all: true } });
    if (stats._count._all >= MAX_QUOTES) throw new UserFacingError(`This channel already has ${MAX_QUOTES} quotes — remove some with /quotes remove first.`);
    try {
      const { addedAt, ...fields } = input;
      return await ctx.prisma.quote.create({ data: { ...fields, text, createdAt: addedAt, number: (stats._max.number ?? 0) + 1 } });
    } catch (error) {
      // Another quote took the number (or another delivery of the same message won): look again.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error(`could not number a new quote in guild ${input.guildId}: too many quotes added at the same moment; retry`);
}

/** Quote number `n` of a guild. */
export async function quoteByNumber(ctx: Db, guildId: string, number: number): Promise<Quote | null> {
  return ctx.prisma.quote.findUnique({ where: { guildId_number: { guildId, number } } });
}

/** A random quote of a guild (`rng` in [0, 1)). */
export async function randomQuote(ctx: Db, guildId: string, rng: () => number = Math.random): Promise<Quote | null> {
  const count = await ctx.prisma.quote.count({ where: { guildId } });
  if (count === 0) return null;
  const skip = Math.min(count - 1, Math.floor(rng() * count));
  return ctx.prisma.quote.findFirst({ where: { guildId }, orderBy: { number: 'asc' }, skip });
}

/** Changes a quote's text (moderators); throws a clear error for an unknown number. */
export async function editQuote(ctx: Db, guildId: string, number: number, text: string): Promise<Quote> {
  const checked = checkedQuoteText(text);
  const { count } = await ctx.prisma.quote.updateMany({ where: { guildId, number }, data: { text: checked } });
  if (count === 0) throw new UserFacingError(`There is no quote #${number}.`);
  return (await quoteByNumber(ctx, guildId, number)) as Quote;
}

/** Removes a quote (moderators); the other quotes keep their numbers. */
export async function removeQuote(ctx: Db, guildId: string, number: number): Promise<Quote> {
  const quote = await quoteByNumber(ctx, guildId, number);
  if (!quote) throw new UserFacingError(`There is no quote #${number}.`);
  await ctx.prisma.quote.deleteMany({ where: { id: quote.id } });
  return quote;
}

/** A quote as chat and Discord show it: `#3: "text" (Slots & Casino, 3 Dec 2026)`. */
export function formatQuote(quote: Pick<Quote, 'number' | 'text' | 'category' | 'createdAt'>): string {
  const context = [quote.category, formatDay(quote.createdAt)].filter(Boolean).join(', ');
  return `#${quote.number}: "${quote.text}" (${context})`;
}
