import { Prisma, type AccountLink, type AccountLinkMethod, type PrismaClient } from '@kickcord/db';

/** Input of {@link linkAccounts}. */
export interface LinkAccountsInput {
  discordUserId: string;
  kickUserId: number;
  /** The Kick username as Kick reported it when the link was proved (kept for lookups and display). */
  kickUsername: string;
  /** How the viewer proved the Kick account: a code typed in Kick chat, or Kick OAuth. */
  method: AccountLinkMethod;
  /**
   * Replace a link either side already has (the Discord user's other Kick account, the Kick account's
   * other Discord user). Without it such a link is left alone and the answer is `conflict`, so the
   * viewer can be asked first. Default false.
   */
  replace?: boolean;
}

/** What {@link linkAccounts} did. */
export type LinkAccountsResult =
  /** The link exists now; `replaced` lists the links it removed (empty for a first link). */
  | { status: 'linked'; link: AccountLink; replaced: AccountLink[] }
  /** The same Discord user and Kick account were linked already (the username is refreshed). */
  | { status: 'unchanged'; link: AccountLink }
  /** Another link stands in the way and `replace` was not set; nothing changed. */
  | { status: 'conflict'; discordLinkedTo: AccountLink | null; kickLinkedTo: AccountLink | null };

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * Links a Discord user and a Kick account: one Kick account per Discord user and one Discord user per
 * Kick account, the same in every guild. Points are never touched (they belong to the Kick account in
 * each guild). When either side is linked elsewhere, the answer is `conflict` unless `replace` is set,
 * in which case the old links are removed and the new one written in one transaction. Two concurrent
 * links of the same account cannot both win: the loser sees `conflict`.
 */
export async function linkAccounts(prisma: PrismaClient, input: LinkAccountsInput): Promise<LinkAccountsResult> {
  if (!Number.isSafeInteger(input.kickUserId) || input.kickUserId <= 0) throw new RangeError(`kickUserId must be a positive integer, got ${input.kickUserId}`);
  if (!/^\d{1,20}$/.test(input.discordUserId)) throw new RangeError(`discordUserId must be a Discord snowflake, got "${input.discordUserId}"`);
  for (let attempt = 0; ; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        const [byDiscord, byKick] = await Promise.all([
          tx.accountLink.findUnique({ where: { discordUserId: input.discordUserId } }),
          tx.accountLink.findUnique({ where: { kickUserId: input.kickUserId } }),
        ]);
        if (byDiscord && byDiscord.kickUserId === input.kickUserId) {
          const link = byDiscord.kickUsername === input.kickUsername
            ? byDiscord
            : await tx.accountLink.update({ where: { discordUserId: input.discordUserId }, data: { kickUsername: input.kickUsername } });
          return { status: 'unchanged', link };
        }
        if ((byDiscord || byKick) && !input.replace) return { status: 'conflict', discordLinkedTo: byDiscord, kickLinkedTo: byKick };
        const replaced = [byDiscord, byKick].filter((l): l is AccountLink => l !== null);
        if (replaced.length > 0) await tx.accountLink.deleteMany({ where: { discordUserId: { in: replaced.map((l) => l.discordUserId) } } });
        const link = await tx.accountLink.create({
          data: { discordUserId: input.discordUserId, kickUserId: input.kickUserId, kickUsername: input.kickUsername, method: input.method },
        });
        return { status: 'linked', link, replaced };
      });
    } catch (error) {
      // A concurrent link of the same account won the race: look again (it is now a conflict or unchanged).
      if (isUniqueViolation(error) && attempt < 2) continue;
      throw error;
    }
  }
}

/** Removes the Discord user's link. Returns the removed link, or null when there was none. Points stay with the Kick account. */
export async function unlinkAccount(prisma: PrismaClient, discordUserId: string): Promise<AccountLink | null> {
  const rows = await prisma.$queryRaw<AccountLink[]>`DELETE FROM "AccountLink" WHERE "discordUserId" = ${discordUserId} RETURNING *`;
  return rows[0] ?? null;
}

/** The Kick account a Discord user is linked to, or null. */
export async function findLinkByDiscord(prisma: PrismaClient, discordUserId: string): Promise<AccountLink | null> {
  return prisma.accountLink.findUnique({ where: { discordUserId } });
}

/** The Discord user a Kick account is linked to, or null. */
export async function findLinkByKick(prisma: PrismaClient, kickUserId: number): Promise<AccountLink | null> {
  return prisma.accountLink.findUnique({ where: { kickUserId } });
}

/** The link of a Kick username (case-insensitive, as Kick names are), or null. For moderators' lookups. */
export async function findLinkByKickUsername(prisma: PrismaClient, kickUsername: string): Promise<AccountLink | null> {
  return prisma.accountLink.findFirst({ where: { kickUsername: { equals: kickUsername, mode: 'insensitive' } }, orderBy: { verifiedAt: 'desc' } });
}

/**
 * The Discord user ids of the linked ones among `kickUserIds`, in one query: a map from Kick user id to
 * Discord user id (unlinked viewers are absent). For showing mentions beside leaderboards and winners.
 */
export async function linkedDiscordIds(prisma: PrismaClient, kickUserIds: readonly number[]): Promise<Map<number, string>> {
  const ids = [...new Set(kickUserIds)];
  if (ids.length === 0) return new Map();
  const rows = await prisma.accountLink.findMany({ where: { kickUserId: { in: ids } }, select: { kickUserId: true, discordUserId: true } });
  return new Map(rows.map((r) => [r.kickUserId, r.discordUserId]));
}
